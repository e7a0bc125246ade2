#pragma once

// The signed-in user's own wallet: their gold from the ledger (held, locked in sells in
// flight, available) valued at the current sell price, and their ledger entries page by page.
// Every read is scoped to the one user id it is given; there is no way to name another
// user's accounts. Thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/money.hpp"
#include "db/pool.hpp"
#include "ledger/ledger_read_store.hpp"
#include "trading/price_service.hpp"

namespace gw::trading {

struct BalanceView {
    Micrograms grams;                        // owned (posted), including locked
    Micrograms locked;                       // in sells in flight
    Micrograms available;                    // grams − locked
    std::optional<PricePerGram> sell_price;  // nullopt before the first price is set
    std::optional<Cents> value;              // `grams` at sell_price, as a sale would pay
};

struct LedgerPage {
    std::vector<ledger::LedgerEntry> entries;  // newest first
    // Where the next page starts; nullopt when this page is the last (fewer than `limit`).
    std::optional<ledger::LedgerCursor> next_before;
};

class WalletService {
public:
    // REQUIRES: `pool` and `prices` outlive the service.
    WalletService(db::ConnectionPool& pool, PriceService& prices);

    // The gold of `user_id`, valued with holding_value (trading/wallet.hpp) at the current
    // sell price: the total held, locked grams included, since they are the user's until the
    // sale settles. No price set is not an error: sell_price and value are then nullopt.
    // Error: amount_too_large when the value exceeds INT64_MAX cents.
    // REQUIRES: `user_id` is the caller's own id (a canonical UUID from the session).
    Result<BalanceView> balance(const std::string& user_id);

    // Up to `limit` of the entries of `user_id`, newest first, strictly after `before` when
    // given. `next_before` is set when the page is full (a following page may be empty).
    // REQUIRES: `user_id` as for balance(); 1 <= limit (routes cap it).
    LedgerPage ledger(const std::string& user_id,
                      const std::optional<ledger::LedgerCursor>& before,
                      std::size_t limit);

private:
    db::ConnectionPool& pool_;
    PriceService& prices_;
};

}  // namespace gw::trading
