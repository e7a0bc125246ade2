#pragma once

// The bodies of the staff routes that are not pools or prices: KYC decisions, trade limits,
// payout outcomes, gold adjustments and reconciliation runs. Decoded from JSON by pure
// functions of the parsed body, fuzzed by tests/fuzz/request_decode_fuzz.cpp. Errors are
// validation_failed naming the field, or those of the exact money parsers.

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "identity/trade_limits.hpp"
#include "trading/adjustment_service.hpp"

namespace gw::http {

// Limits are KES amounts M-Pesa could move in a day for one customer, with room to spare.
inline constexpr Cents kLimitMax{100'000'000'00};
// The most one adjustment may move: 100 tonnes, as the largest pool, so a typo shows.
inline constexpr Micrograms kAdjustmentGramsMax{100'000'000 * kMicrogramsPerGram};

struct KycDecision {
    std::string status;  // checked by the KYC service (verified or rejected)
    std::string reason;
};

// POST /admin/kyc/{user_id}/decision: {status, optional reason}.
Result<KycDecision> decode_kyc_decision(const nlohmann::json& body);

struct LimitUpdate {
    identity::TradeLimit limit;
    std::string reason;
};

// PUT /admin/limits: {kyc_status, side, per_trade_kes, per_day_kes (zero allowed), reason}.
Result<LimitUpdate> decode_limit_update(const nlohmann::json& body);

// POST /admin/payouts/{id}/complete: {mpesa_transaction_id}; returns it.
Result<std::string> decode_payout_completion(const nlohmann::json& body);

// POST /admin/payouts/{id}/fail: {reason}; returns it.
Result<std::string> decode_payout_failure(const nlohmann::json& body);

// POST /admin/adjustments: {user_id, grams, direction: credit|debit, reason}, checked in
// that order.
Result<trading::AdjustmentOrder> decode_adjustment(const nlohmann::json& body);

// POST /admin/reconciliation/run: {optional date "YYYY-MM-DD"}; nullopt runs the previous day.
// Whether the day has begun is the reconciler's to say.
Result<std::optional<std::chrono::sys_days>> decode_reconciliation_run(const nlohmann::json& body);

// POST /admin/reconciliation/{run_id}/items/{item_id}/resolve: {note}; returns it.
Result<std::string> decode_resolution(const nlohmann::json& body);

}  // namespace gw::http
