#include "http/routes/admin_trading_routes.hpp"

#include "core/time_text.hpp"
#include "http/requests/admin_requests.hpp"
#include "http/route_support.hpp"
#include "trading/wallet.hpp"

namespace gw::http {
namespace {

using identity::Role;

constexpr std::size_t kPageDefault = 50;
constexpr std::size_t kPageMax = 500;

nlohmann::json text_or_null(const std::string& text) {
    return text.empty() ? nlohmann::json() : nlohmann::json(text);
}

nlohmann::json adjustment_json(const trading::AdjustmentView& adjustment) {
    nlohmann::json transfers = nlohmann::json::array();
    for (const trading::AdjustmentTransfer& transfer : adjustment.transfers) {
        transfers.push_back({{"pool_id", transfer.pool_id},
                             {"grams", format_grams(transfer.grams)},
                             {"transfer_id", transfer.transfer_id}});
    }
    return {{"adjustment_id", adjustment.id},
            {"user_id", adjustment.user_id},
            {"direction", std::string(trading::to_string(adjustment.direction))},
            {"grams", format_grams(adjustment.grams)},
            {"reason", adjustment.reason},
            {"transfers", transfers},
            {"created_at", format_rfc3339(adjustment.created_at)}};
}

void create_adjustment(trading::AdjustmentService& adjustments,
                       const RouteRequest& request,
                       httplib::Response& response) {
    auto key = idempotency_key(request.http);
    auto order = key ? decode_adjustment(request.json) : Result<trading::AdjustmentOrder>(key.error());
    if (!order) {
        write_error(response, request, order.error());
        return;
    }
    const auto actor = identity::Actor::of(request.caller(), std::string(request.request_id));
    auto placed = adjustments.adjust(actor, *key, *order);
    if (!placed) {
        write_error(response, request, placed.error());
        return;
    }
    if (placed->replayed) {
        response.set_header("Idempotent-Replayed", "true");
    }
    write_json(response, 201, adjustment_json(placed->adjustment));
}

nlohmann::json entry_json(const ledger::AdminLedgerEntry& entry) {
    return {{"id", entry.transfer_id},
            {"created_at", format_rfc3339(entry.created_at)},
            {"kind", entry.kind},
            {"debit_account", entry.debit_account},
            {"credit_account", entry.credit_account},
            {"amount_grams", format_grams(entry.amount)},
            {"status", std::string(ledger::to_string(entry.status))},
            {"pending_id", text_or_null(entry.pending_id)},
            {"trade_id", text_or_null(entry.trade_id)},
            {"user_id", text_or_null(entry.user_id)},
            {"pool_id", text_or_null(entry.pool_id)}};
}

std::optional<std::string> query_param(const httplib::Request& request, const char* name) {
    return request.has_param(name) ? std::optional(request.get_param_value(name)) : std::nullopt;
}

// The query of the request, or validation_failed for a bad limit or cursor (the service
// checks the filters).
Result<trading::AdminLedgerQuery> ledger_query(const httplib::Request& request) {
    auto limit = limit_param(request, kPageDefault, kPageMax);
    if (!limit) {
        return limit.error();
    }
    trading::AdminLedgerQuery query;
    query.limit = *limit;
    const std::string before = request.get_param_value("before");
    if (!before.empty()) {
        query.before = trading::parse_ledger_cursor(before);
        if (!query.before) {
            return make_error(ErrorCode::validation_failed, "before: not a cursor");
        }
    }
    query.user_id = query_param(request, "user_id");
    query.kind = query_param(request, "kind");
    query.status = query_param(request, "status");
    query.from = query_param(request, "from");
    query.to = query_param(request, "to");
    return query;
}

void ledger_page(trading::AdminLedgerService& ledger,
                 const RouteRequest& request,
                 httplib::Response& response) {
    auto query = ledger_query(request.http);
    if (!query) {
        write_error(response, request, query.error());
        return;
    }
    auto page = ledger.page(*query);
    if (!page) {
        write_error(response, request, page.error());
        return;
    }
    nlohmann::json items = nlohmann::json::array();
    for (const auto& entry : page->entries) {
        items.push_back(entry_json(entry));
    }
    write_json(
        response,
        200,
        {{"items", items},
         {"next_before",
          page->next_before ? nlohmann::json(trading::format_ledger_cursor(*page->next_before))
                            : nlohmann::json()}});
}

}  // namespace

void add_admin_trading_routes(Router& router,
                              trading::AdjustmentService& adjustments,
                              trading::AdminLedgerService& ledger) {
    router.add(
        "POST",
        "/admin/adjustments",
        BodyKind::json,
        [&adjustments](const RouteRequest& r, httplib::Response& w) {
            create_adjustment(adjustments, r, w);
        },
        Access::only({Role::admin}));
    router.add(
        "GET",
        "/admin/ledger",
        BodyKind::none,
        [&ledger](const RouteRequest& r, httplib::Response& w) { ledger_page(ledger, r, w); },
        Access::only({Role::admin, Role::treasury}));
}

}  // namespace gw::http
