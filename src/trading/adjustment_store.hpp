#pragma once

// SQL of admin gold adjustments (the adjustments table of migrations/0008): the user row they
// lock and the append-only adjustment row. The pools and holdings they draw on are read with
// trade_store's lock_pool_supply and lock_user_holdings, as trades read them.
// Every function REQUIRES being called inside a database transaction.

#include <optional>
#include <string>
#include <string_view>

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

struct NewAdjustment {
    std::string id;
    std::string user_id;
    AdjustmentDirection direction = AdjustmentDirection::credit;
    Micrograms grams;    // > 0
    std::string reason;  // 1–500 characters
    std::string admin_id;
    TimePoint created_at;
};
void insert_adjustment(pqxx::work& tx, const NewAdjustment& adjustment);

}  // namespace gw::trading
