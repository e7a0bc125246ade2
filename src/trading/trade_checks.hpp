#pragma once

// Checks every trade passes before anything is reserved, shared by buys and sells. Each
// REQUIRES being called inside the trade's transaction with the user row locked (lock_trader).

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

// The SHA-256 (hex) of what makes two requests "the same" for an Idempotency-Key.
std::string request_fingerprint(std::string_view canonical_request);

}  // namespace gw::trading
