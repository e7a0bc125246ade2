#pragma once

// Checks every trade passes before anything is reserved, shared by buys and sells. Each
// REQUIRES being called inside the trade's transaction with the user row locked (lock_trader).

#include <optional>
#include <string>

#include <pqxx/pqxx>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/money.hpp"
#include "identity/trade_limits.hpp"
#include "trading/trade_store.hpp"

namespace gw::trading {

// The KYC limits: kyc_required when the status allows no trading (per-trade limit 0),
// trade_limit_exceeded when `amount` is above the per-trade limit or takes the rolling
// 24 hours of this side (failed trades not counted) above the daily one.
Result<void> check_trade_limits(pqxx::work& tx,
                                const std::string& user_id,
                                identity::TradeSide side,
                                const TraderLimits& limits,
                                Cents amount,
                                TimePoint now);

// What an Idempotency-Key says about a new request: nullopt when the key is new to this user;
// the id of the trade it placed when `request_hash_hex` is the same (repeat that trade's first
// answer); idempotency_key_reused when the request differs.
Result<std::optional<std::string>> find_replay(pqxx::work& tx,
                                               const std::string& user_id,
                                               const std::string& idempotency_key,
                                               const std::string& request_hash_hex);

// The SHA-256 (hex) of what makes two requests "the same" for an Idempotency-Key.
std::string request_fingerprint(std::string_view canonical_request);

}  // namespace gw::trading
