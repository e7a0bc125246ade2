#pragma once

// Read-only SQL of the ledger for a user's own view: their gold balance and their entries.
// Both read the views of migrations/0003_ledger.sql (user_balances, ledgers), which derive
// everything from the accounts' counters and the transfers, never from a cached column.
// Every function REQUIRES being called inside a database transaction.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/clock.hpp"
#include "core/money.hpp"

namespace gw::ledger {

// A user's gold over all their user:<id>:pool:<id> accounts.
struct UserGold {
    Micrograms grams;      // owned and posted: credits_posted − debits_posted
    Micrograms locked;     // in sells in flight: debits_pending
    Micrograms available;  // free to sell: grams − locked
};

enum class EntryDirection { credit, debit };

// The state of an entry: a single-phase transfer is posted; a pending one is pending until a
// post or a void resolves it.
enum class EntryStatus { pending, posted, voided };

// One user-facing ledger entry: a transfer that touched one of the user's accounts.
struct LedgerEntry {
    std::string transfer_id;
    TimePoint created_at;
    std::string kind;  // the transfer's kind, e.g. "buy.reserve", "sell.settle"
    EntryDirection direction = EntryDirection::credit;
    Micrograms grams;  // always positive
    EntryStatus status = EntryStatus::posted;
    std::string pool_id;   // empty when the account has no pool
    std::string trade_id;  // empty when the transfer belongs to no trade
};

// Position in a user's ledger, newest first: entries strictly older than (created_at,
// transfer_id) in that order come after it.
struct LedgerCursor {
    TimePoint created_at;
    std::string transfer_id;  // canonical UUID

    friend bool operator==(const LedgerCursor&, const LedgerCursor&) = default;
};

// The gold of `user_id` (zeros for a user without accounts or an unknown user).
// REQUIRES: `user_id` is a canonical UUID.
UserGold read_user_gold(pqxx::transaction_base& tx, const std::string& user_id);

// Up to `limit` entries of `user_id`, newest first (created_at, then transfer id, descending),
// strictly after `before` when given. Only entries of the user's own accounts are returned.
// Resolutions (the post or void of a pending transfer) are not entries of their own: they
// change the status of the pending entry they resolve.
// REQUIRES: `user_id` is a canonical UUID; before->transfer_id is one; 1 <= limit.
// A transfer between two accounts of the same user would give two entries with one id; no
// flow makes such a transfer (gold moves between a user and a pool).
std::vector<LedgerEntry> read_user_ledger(pqxx::transaction_base& tx,
                                          const std::string& user_id,
                                          const std::optional<LedgerCursor>& before,
                                          std::size_t limit);

std::string_view to_string(EntryDirection direction);
std::string_view to_string(EntryStatus status);

}  // namespace gw::ledger
