#include "app/dashboard_routes.hpp"

#include "app/reconciliation_routes.hpp"
#include "core/assert.hpp"
#include "db/transaction.hpp"
#include "http/route_support.hpp"
#include "trading/payout_store.hpp"
#include "trading/trade_store.hpp"

namespace gw::app {
namespace {

Micrograms sum(Micrograms total, Micrograms more) {
    auto added = checked_add(total, more);
    GW_ASSERT(added.has_value(), "the gold of every pool overflows int64 micrograms");
    return *added;
}

nlohmann::json gold_and_pools_json(const std::vector<trading::PoolView>& pools) {
    Micrograms total, available, reserved, held, selling;
    std::int64_t active = 0;
    for (const trading::PoolView& pool : pools) {
        total = sum(total, pool.total);
        available = sum(available, pool.available);
        reserved = sum(reserved, pool.reserved);
        held = sum(held, pool.held);
        selling = sum(selling, pool.selling);
        active += pool.retired_at ? 0 : 1;
    }
    return {{"gold",
             {{"total_grams", format_grams(total)},
              {"available_grams", format_grams(available)},
              {"reserved_grams", format_grams(reserved)},
              {"held_by_users_grams", format_grams(held)},
              {"being_sold_grams", format_grams(selling)}}},
            {"pools",
             {{"active", active}, {"retired", static_cast<std::int64_t>(pools.size()) - active}}}};
}

std::int64_t pending_stk_pushes(pqxx::work& tx) {
    std::int64_t count = 0;
    for (const trading::OpenTradeCount& open : trading::count_open_trades(tx)) {
        if (open.side == identity::TradeSide::buy &&
            open.status != trading::TradeStatus::awaiting_payout) {
            count += open.count;
        }
    }
    return count;
}

nlohmann::json pending_payouts_json(pqxx::work& tx) {
    std::int64_t manual = 0;
    std::int64_t b2c = 0;
    for (const trading::OpenPayoutCount& open : trading::count_open_payouts(tx)) {
        (open.mode == trading::PayoutMode::manual ? manual : b2c) += open.count;
    }
    return {{"count", manual + b2c}, {"manual", manual}, {"b2c", b2c}};
}

nlohmann::json last_reconciliation_json(jobs::ReconciliationReports& reports) {
    const std::vector<jobs::RunView> newest = reports.list("", 1);
    if (newest.empty()) {
        return nullptr;
    }
    auto report = reports.report(newest.front().id);
    return report ? run_summary_json(*report) : nlohmann::json();
}

}  // namespace

void add_dashboard_routes(http::Router& router,
                          db::ConnectionPool& database,
                          trading::PoolService& pools,
                          jobs::ReconciliationReports& reports) {
    router.add(
        "GET",
        "/admin/dashboard",
        http::BodyKind::none,
        [&database, &pools, &reports](const http::RouteRequest&, httplib::Response& response) {
            nlohmann::json body = gold_and_pools_json(pools.list());
            db::with_transaction(database, "admin.dashboard", [&body](pqxx::work& tx) {
                body["pending_stk_pushes"] = pending_stk_pushes(tx);
                body["pending_payouts"] = pending_payouts_json(tx);
            });
            body["last_reconciliation"] = last_reconciliation_json(reports);
            http::write_json(response, 200, body);
        },
        http::Access::only({identity::Role::admin, identity::Role::treasury}));
}

}  // namespace gw::app
