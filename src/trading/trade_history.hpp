#pragma once

// Reading trades: one trade for its owner (or staff who may see every trade), and a user's
// own trades page by page. A trade that is not the viewer's reads exactly like one that does
// not exist, so nobody learns another user's trade ids. A client may also wait for an open
// trade to end instead of polling (await_end). Thread-safe.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/pool.hpp"
#include "identity/actor.hpp"
#include "trading/trade.hpp"
#include "trading/trade_store.hpp"
#include "trading/trade_watch.hpp"

namespace gw::trading {

class TradeHistory {
public:
    // REQUIRES: `pool` and `watch` outlive the history. A trade ended by another node (which
    // `watch` does not hear of) is seen by a waiting caller within `recheck`.
    TradeHistory(db::ConnectionPool& pool, TradeWatch& watch,
                 std::chrono::milliseconds recheck = std::chrono::seconds(1));

    // The trade `trade_id` if `viewer` owns it or is an admin or treasury.
    // Error: not_found otherwise (also for an id that is not a UUID).
    Result<TradeView> find(const identity::Principal& viewer, const std::string& trade_id);

    // As find(), but while the trade is open (reserved, awaiting payment or payout) waits up to
    // `wait` for it to complete or fail, and returns it as it then is. Answers at once when the
    // watch has no room for another waiter.
    Result<TradeView> await_end(const identity::Principal& viewer, const std::string& trade_id,
                                std::chrono::milliseconds wait);

    // Up to `limit` of the user's trades, newest first, strictly older than `before`.
    std::vector<TradeView> list(const std::string& user_id, const std::optional<TradeCursor>& before,
                                std::size_t limit);

private:
    db::ConnectionPool& pool_;
    TradeWatch& watch_;
    const std::chrono::milliseconds recheck_;
};

}  // namespace gw::trading
