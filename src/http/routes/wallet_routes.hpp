#pragma once

#include "http/router.hpp"
#include "trading/wallet_service.hpp"

namespace gw::http {

// The signed-in caller's own wallet (any role); the user id comes from the session only, so
// there is no id to tamper with and nobody can read another user's gold or entries.
// GET /user/balance → {grams, locked_grams, available_grams, sell_price_per_gram, value_kes}
//   Grams as "1.250000"; value_kes is `grams` (locked included) at the sell price, rounded
//   down to whole shillings as a sale would be. Before the first price, sell_price_per_gram
//   and value_kes are null.
// GET /user/ledger?limit=50&before=<cursor>
//   → {items: [{id, created_at, type, direction, grams, status, pool_id, trade_id}],
//      next_before}
//   Newest first; limit 1–100 (default 50); `before` is an opaque cursor, the next_before of
//   the previous page (null on the last page). A bad limit or cursor: validation_failed.
//   pool_id and trade_id are null when the entry has none.
// REQUIRES: `wallet` outlives the router.
void add_wallet_routes(Router& router, trading::WalletService& wallet);

}  // namespace gw::http
