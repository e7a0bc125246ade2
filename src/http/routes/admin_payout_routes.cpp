#include "http/routes/admin_payout_routes.hpp"

#include "core/time_text.hpp"
#include "http/requests/admin_requests.hpp"
#include "http/route_support.hpp"
#include "trading/wallet.hpp"

namespace gw::http {
namespace {

constexpr std::size_t kPageDefault = 50;
constexpr std::size_t kPageMax = 100;

Access payout_staff() {
    return Access::only({identity::Role::admin, identity::Role::treasury});
}

void list_payouts(trading::PayoutService& payouts,
                  const RouteRequest& request,
                  httplib::Response& response) {
    auto limit = limit_param(request.http, kPageDefault, kPageMax);
    if (!limit) {
        write_error(response, request, limit.error());
        return;
    }
    std::optional<trading::PayoutStatus> status;
    if (const std::string text = request.http.get_param_value("status"); !text.empty()) {
        status = trading::parse_payout_status(text);
        if (!status) {
            write_error(response,
                        request,
                        make_error(ErrorCode::validation_failed,
                                   "status: pending, sent, completed or failed"));
            return;
        }
    }
    std::optional<trading::PayoutCursor> after;
    if (const std::string text = request.http.get_param_value("after"); !text.empty()) {
        const auto cursor = trading::parse_ledger_cursor(text);
        if (!cursor) {
            write_error(
                response, request, make_error(ErrorCode::validation_failed, "after: not a cursor"));
            return;
        }
        after = trading::PayoutCursor{cursor->created_at, cursor->transfer_id};
    }
    const auto page = payouts.list(status, after, *limit);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& payout : page) {
        items.push_back(payout_json(payout));
    }
    nlohmann::json next = nullptr;
    if (page.size() == *limit) {
        next = trading::format_ledger_cursor({page.back().created_at, page.back().id});
    }
    write_json(response, 200, {{"items", items}, {"next_after", next}});
}

void decide(const RouteRequest& request,
            httplib::Response& response,
            const Result<trading::PayoutView>& decided) {
    decided ? write_json(response, 200, payout_json(*decided))
            : write_error(response, request, decided.error());
}

}  // namespace

nlohmann::json payout_json(const trading::PayoutView& payout) {
    auto text_or_null = [](const std::string& text) {
        return text.empty() ? nlohmann::json() : nlohmann::json(text);
    };
    return {{"payout_id", payout.id},
            {"kind", std::string(trading::to_string(payout.kind))},
            {"trade_id", payout.trade_id},
            {"user_id", payout.user_id},
            {"amount_kes", format_kes(payout.amount)},
            {"phone", payout.phone_masked},
            {"mode", std::string(trading::to_string(payout.mode))},
            {"status", std::string(trading::to_string(payout.status))},
            {"mpesa_transaction_id", text_or_null(payout.mpesa_transaction_id)},
            {"failure_reason", text_or_null(payout.failure_reason)},
            {"created_at", format_rfc3339(payout.created_at)},
            {"updated_at", format_rfc3339(payout.updated_at)}};
}

void add_admin_payout_routes(Router& router, trading::PayoutService& payouts) {
    router.add(
        "GET",
        "/admin/payouts",
        BodyKind::none,
        [&payouts](const RouteRequest& r, httplib::Response& w) { list_payouts(payouts, r, w); },
        payout_staff());
    router.add(
        "POST",
        "/admin/payouts/{id}/complete",
        BodyKind::json,
        [&payouts](const RouteRequest& r, httplib::Response& w) {
            auto id = decode_payout_completion(r.json);
            decide(r,
                   w,
                   id ? payouts.complete(identity::Actor::of(r.caller(), std::string(r.request_id)),
                                         r.param("id"),
                                         *id)
                      : Result<trading::PayoutView>(id.error()));
        },
        payout_staff());
    router.add(
        "POST",
        "/admin/payouts/{id}/fail",
        BodyKind::json,
        [&payouts](const RouteRequest& r, httplib::Response& w) {
            auto reason = decode_payout_failure(r.json);
            decide(r,
                   w,
                   reason ? payouts.fail(identity::Actor::of(r.caller(), std::string(r.request_id)),
                                         r.param("id"),
                                         *reason)
                          : Result<trading::PayoutView>(reason.error()));
        },
        payout_staff());
}

}  // namespace gw::http
