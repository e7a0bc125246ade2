#pragma once

// Reading trades: one trade for its owner (or staff who may see every trade), and a user's
// own trades page by page. A trade that is not the viewer's reads exactly like one that does
// not exist, so nobody learns another user's trade ids. Thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/pool.hpp"
#include "identity/actor.hpp"
#include "trading/trade.hpp"
#include "trading/trade_store.hpp"

namespace gw::trading {

class TradeHistory {
public:
    // REQUIRES: `pool` outlives the history.
    explicit TradeHistory(db::ConnectionPool& pool);

    // The trade `trade_id` if `viewer` owns it or is an admin or treasury.
    // Error: not_found otherwise (also for an id that is not a UUID).
    Result<TradeView> find(const identity::Principal& viewer, const std::string& trade_id);

    // Up to `limit` of the user's trades, newest first, strictly older than `before`.
    std::vector<TradeView> list(const std::string& user_id, const std::optional<TradeCursor>& before,
                                std::size_t limit);

private:
    db::ConnectionPool& pool_;
};

}  // namespace gw::trading
