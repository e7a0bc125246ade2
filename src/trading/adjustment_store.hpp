#pragma once

// SQL of admin gold adjustments (the adjustments table of migrations/0008 and 0010): the user
// row they lock, the append-only adjustment row and its lookup by the admin's
// Idempotency-Key. The pools and holdings they draw on are read with
// trade_store's lock_pool_supply and lock_user_holdings, as trades read them.
// Every function REQUIRES being called inside a database transaction.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

#include "core/clock.hpp"
#include "core/money.hpp"

namespace gw::trading {

// Which way the gold moves: credit = from the pools to the user, debit = back to the pools.
// The wire names ("credit", "debit") are what the adjustments table stores.
enum class AdjustmentDirection { credit, debit };

std::string_view to_string(AdjustmentDirection direction);
// Returns nullopt for anything but "credit" or "debit".
std::optional<AdjustmentDirection> parse_adjustment_direction(std::string_view text);

// Locks the user row (FOR NO KEY UPDATE) when the user exists and is not closed, and returns true;
// false otherwise. Trades lock the same row (lock_trader), so one user's gold changes one
// writer at a time.
// REQUIRES: `user_id` is a canonical UUID.
bool lock_open_user(pqxx::work& tx, const std::string& user_id);

// One ledger transfer of an adjustment, between the user's account in `pool_id` and the pool.
struct AdjustmentTransfer {
    std::string pool_id;
    Micrograms grams;  // > 0
    std::string transfer_id;
};

struct AdjustmentView {
    std::string id;
    std::string user_id;
    AdjustmentDirection direction = AdjustmentDirection::credit;
    Micrograms grams;
    std::string reason;
    std::vector<AdjustmentTransfer> transfers;  // in pool order; their grams sum to `grams`
    TimePoint created_at;
};

// Who makes an adjustment and how they name it: one adjustment per admin and key.
struct AdjustmentKey {
    std::string admin_id;          // canonical UUID
    std::string idempotency_key;   // 1–255 printable characters
    std::string request_hash_hex;  // SHA-256 of the canonical request
};

void insert_adjustment(pqxx::work& tx, const AdjustmentView& adjustment, const AdjustmentKey& key);

// Serialises the requests that carry `key` (admin and Idempotency-Key) until the transaction
// ends, so that two at once make one adjustment.
void lock_adjustment_key(pqxx::work& tx, const AdjustmentKey& key);

struct KeyedAdjustment {
    std::string request_hash_hex;  // of the request that made it
    AdjustmentView view;
};
// The adjustment made earlier under `key` (its admin and Idempotency-Key), if any.
std::optional<KeyedAdjustment> find_keyed_adjustment(pqxx::work& tx, const AdjustmentKey& key);

}  // namespace gw::trading
