#include "trading/trade_history.hpp"

#include <algorithm>

#include "core/uuid_text.hpp"
#include "db/transaction.hpp"

namespace gw::trading {

TradeHistory::TradeHistory(db::ConnectionPool& pool, TradeWatch& watch, std::chrono::milliseconds recheck)
    : pool_(pool), watch_(watch), recheck_(recheck) {}

Result<TradeView> TradeHistory::find(const identity::Principal& viewer, const std::string& trade_id) {
    const bool staff = viewer.role == identity::Role::admin || viewer.role == identity::Role::treasury;
    std::optional<TradeView> trade;
    if (is_uuid(trade_id)) {
        trade = db::with_one_statement(pool_, "trade.find", [&](pqxx::nontransaction& tx) {
            return read_trade(tx, trade_id);
        });
    }
    if (!trade || (!staff && trade->user_id != viewer.user_id)) {
        return make_error(ErrorCode::not_found, "no such trade");
    }
    return *trade;
}

Result<TradeView> TradeHistory::await_end(const identity::Principal& viewer, const std::string& trade_id,
                                          std::chrono::milliseconds wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    // Registered before the first read, so an end committed in between still wakes it.
    const std::unique_ptr<TradeWatch::Waiter> waiter = wait.count() > 0 ? watch_.watch(trade_id) : nullptr;
    auto trade = find(viewer, trade_id);
    while (trade && is_open(trade->status) && waiter && std::chrono::steady_clock::now() < deadline) {
        if (!waiter->wait_until(std::min(deadline, std::chrono::steady_clock::now() + recheck_))) {
            break;  // shutting down
        }
        trade = find(viewer, trade_id);
    }
    return trade;
}

std::vector<TradeView> TradeHistory::list(const std::string& user_id, const std::optional<TradeCursor>& before,
                                          std::size_t limit) {
    return db::with_one_statement(pool_, "trade.list", [&](pqxx::nontransaction& tx) {
        return select_user_trades(tx, user_id, before, limit);
    });
}

}  // namespace gw::trading
