#include "trading/trade_history.hpp"

#include "core/uuid_text.hpp"
#include "db/transaction.hpp"

namespace gw::trading {

TradeHistory::TradeHistory(db::ConnectionPool& pool) : pool_(pool) {}

Result<TradeView> TradeHistory::find(const identity::Principal& viewer, const std::string& trade_id) {
    const bool staff = viewer.role == identity::Role::admin || viewer.role == identity::Role::treasury;
    std::optional<TradeView> trade;
    if (is_uuid(trade_id)) {
        trade = db::with_transaction(pool_, "trade.find",
                                     [&](pqxx::work& tx) { return select_trade(tx, trade_id, false); });
    }
    if (!trade || (!staff && trade->user_id != viewer.user_id)) {
        return make_error(ErrorCode::not_found, "no such trade");
    }
    return *trade;
}

std::vector<TradeView> TradeHistory::list(const std::string& user_id, const std::optional<TradeCursor>& before,
                                          std::size_t limit) {
    return db::with_transaction(pool_, "trade.list", [&](pqxx::work& tx) {
        return select_user_trades(tx, user_id, before, limit);
    });
}

}  // namespace gw::trading
