#include "http/routes/trade_routes.hpp"

#include "core/time_text.hpp"
#include "http/prefer.hpp"
#include "http/requests/trade_requests.hpp"
#include "http/route_support.hpp"
#include "trading/wallet.hpp"

namespace gw::http {
namespace {

constexpr std::size_t kPageDefault = 50;
constexpr std::size_t kPageMax = 100;

void create_quote(trading::QuoteService& quotes,
                  const RouteRequest& request,
                  httplib::Response& response) {
    auto wanted = decode_quote_request(request.json);
    if (!wanted) {
        write_error(response, request, wanted.error());
        return;
    }
    auto quote = quotes.create(request.caller().user_id, wanted->side, wanted->basis);
    quote ? write_json(response, 201, quote_json(*quote))
          : write_error(response, request, quote.error());
}

void place_buy(trading::BuyService& buys, const RouteRequest& request, httplib::Response& response) {
    auto key = idempotency_key(request.http);
    if (!key) {
        write_error(response, request, key.error());
        return;
    }
    auto order = decode_buy_order(request.json);
    if (!order) {
        write_error(response, request, order.error());
        return;
    }
    auto placed = buys.buy(request.caller().user_id, *key, *order);
    if (!placed) {
        write_error(response, request, placed.error());
        return;
    }
    nlohmann::json body = trade_json(placed->trade);
    body["stk_push_initiated"] = true;  // queued in the same transaction as the trade
    if (placed->replayed) {
        response.set_header("Idempotent-Replayed", "true");
    }
    write_json(response, 201, body);
}

void place_sell(trading::SellService& sells, const RouteRequest& request, httplib::Response& response) {
    auto key = idempotency_key(request.http);
    auto order = key ? decode_sell_order(request.json) : Result<trading::SellOrder>(key.error());
    if (!order) {
        write_error(response, request, order.error());
        return;
    }
    auto placed = sells.sell(request.caller().user_id, *key, *order);
    if (!placed) {
        write_error(response, request, placed.error());
        return;
    }
    nlohmann::json body = trade_json(placed->trade);
    body["payout_id"] = placed->payout.id;
    body["payout_mode"] = std::string(trading::to_string(placed->payout.mode));
    body["payout_initiated"] = placed->payout.mode == trading::PayoutMode::b2c;
    if (placed->replayed) {
        response.set_header("Idempotent-Replayed", "true");
    }
    write_json(response, 201, body);
}

// GET /trade/{id}; with "Prefer: wait=N" an open trade is answered when it ends, or after N
// seconds (at most kTradeWaitMax) as it then is, so a client need not poll.
void find_trade(trading::TradeHistory& history, const RouteRequest& request, httplib::Response& response) {
    constexpr std::chrono::seconds kTradeWaitMax{30};
    std::string prefer;  // RFC 9110 §5.3: repeated list headers are one comma-separated list
    for (std::size_t i = 0; i < request.http.get_header_value_count("Prefer"); ++i) {
        prefer += (i == 0 ? "" : ", ") + request.http.get_header_value("Prefer", i);
    }
    const auto wait = preferred_wait(prefer, kTradeWaitMax);
    auto trade = wait ? history.await_end(request.caller(), request.param("id"), *wait)
                      : history.find(request.caller(), request.param("id"));
    trade ? write_json(response, 200, trade_json(*trade)) : write_error(response, request, trade.error());
}

void list_trades(trading::TradeHistory& history, const RouteRequest& request, httplib::Response& response) {
    auto limit = limit_param(request.http, kPageDefault, kPageMax);
    if (!limit) {
        write_error(response, request, limit.error());
        return;
    }
    std::optional<trading::TradeCursor> before;
    if (const std::string text = request.http.get_param_value("before"); !text.empty()) {
        const auto cursor = trading::parse_ledger_cursor(text);
        if (!cursor) {
            write_error(response, request, make_error(ErrorCode::validation_failed, "before: not a cursor"));
            return;
        }
        before = trading::TradeCursor{cursor->created_at, cursor->transfer_id};
    }
    const auto trades = history.list(request.caller().user_id, before, *limit);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& trade : trades) {
        items.push_back(trade_json(trade));
    }
    nlohmann::json next = nullptr;
    if (trades.size() == *limit) {
        next = trading::format_ledger_cursor({trades.back().created_at, trades.back().id});
    }
    write_json(response, 200, {{"items", items}, {"next_before", next}});
}

}  // namespace

nlohmann::json trade_json(const trading::TradeView& trade) {
    nlohmann::json allocations = nlohmann::json::array();
    for (const auto& allocation : trade.allocations) {
        allocations.push_back({{"pool_id", allocation.pool_id}, {"grams", format_grams(allocation.grams)}});
    }
    auto text_or_null = [](const std::string& text) { return text.empty() ? nlohmann::json() : nlohmann::json(text); };
    return {{"trade_id", trade.id},
            {"side", std::string(identity::to_string(trade.side))},
            {"status", std::string(trading::to_string(trade.status))},
            {"reason", text_or_null(trade.reason)},
            {"grams", format_grams(trade.grams)},
            {"amount_kes", format_kes(trade.amount)},
            {"price_per_gram", format_price(trade.price_per_gram)},
            {"partial", trade.partial},
            {"quote_id", trade.quote_id ? nlohmann::json(*trade.quote_id) : nlohmann::json()},
            {"phone", trade.phone_masked},
            {"receipt", text_or_null(trade.receipt)},
            {"allocations", allocations},
            {"payment_due_at", format_rfc3339(trade.payment_due_at)},
            {"created_at", format_rfc3339(trade.created_at)},
            {"updated_at", format_rfc3339(trade.updated_at)}};
}

nlohmann::json quote_json(const trading::QuoteView& quote) {
    return {{"quote_id", quote.id},
            {"side", std::string(identity::to_string(quote.side))},
            {"price_per_gram", format_price(quote.price_per_gram)},
            {"grams", format_grams(quote.grams)},
            {"amount_kes", format_kes(quote.amount)},
            {"created_at", format_rfc3339(quote.created_at)},
            {"expires_at", format_rfc3339(quote.expires_at)}};
}

void add_trade_routes(Router& router,
                      trading::QuoteService& quotes,
                      trading::BuyService& buys,
                      trading::SellService& sells,
                      trading::TradeHistory& history,
                      RateLimiter& limiter,
                      const RateLimits& limits) {
    // Each trade starts an M-Pesa operation: admitted per caller, then per client address.
    auto admitted = [&limiter, &limits](const RouteRequest& r, httplib::Response& w) {
        return admit(limiter, "trade:user:" + r.caller().user_id, limits.trade_per_user, r, w) &&
               admit(limiter, "trade:ip:" + r.http.remote_addr, limits.trade_per_ip, r, w);
    };
    router.add(
        "POST", "/trade/sell", BodyKind::json,
        [&sells, admitted](const RouteRequest& r, httplib::Response& w) {
            if (admitted(r, w)) {
                place_sell(sells, r, w);
            }
        },
        Access::signed_in());
    router.add(
        "POST", "/trade/buy", BodyKind::json,
        [&buys, admitted](const RouteRequest& r, httplib::Response& w) {
            if (admitted(r, w)) {
                place_buy(buys, r, w);
            }
        },
        Access::signed_in());
    router.add(
        "GET", "/trade/{id}", BodyKind::none,
        [&history](const RouteRequest& r, httplib::Response& w) { find_trade(history, r, w); },
        Access::signed_in());
    router.add(
        "GET", "/user/trades", BodyKind::none,
        [&history](const RouteRequest& r, httplib::Response& w) { list_trades(history, r, w); },
        Access::signed_in());
    router.add(
        "POST",
        "/trade/quote",
        BodyKind::json,
        [&quotes](const RouteRequest& r, httplib::Response& w) { create_quote(quotes, r, w); },
        Access::signed_in());
}

}  // namespace gw::http
