#pragma once

// Buying gold (DESIGN §5, §6). buy() decides everything in ONE database transaction: the
// Idempotency-Key, the KYC limits, the price (a locked quote or the current one), allocation
// FIFO over the pools, the pending ledger transfers pool -> user, the trade, its first event,
// and the outbox message that asks the worker to send the STK Push. Nothing reaches M-Pesa from
// here: after commit the outbox worker (jobs/stk_push_sender) asks push_target(), sends the push
// and tells record_push(); the payment's final result (callback, STK Query) settles the trade
// through TradeSettlement.
//
// Thread-safe: all state is in PostgreSQL.

#include <chrono>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "db/pool.hpp"
#include "identity/field_crypto.hpp"
#include "observability/metrics.hpp"
#include "trading/price_service.hpp"
#include "trading/quote_service.hpp"
#include "trading/trade.hpp"

namespace gw::trading {

struct BuySettings {
    // How long a buy waits for its payment before the sweeper asks M-Pesa about it
    // (GOLDWALLET_STK_TIMEOUT_SECONDS). The STK prompt itself lives about a minute.
    std::chrono::seconds payment_timeout{120};
};

// The outbox topic of "send the STK Push for trade <key>".
inline constexpr std::string_view kStkPushTopic = "mpesa.stk_push";

struct BuyOrder {
    std::optional<QuoteBasis> basis;     // amount_kes or grams; must match the quote when given
    std::optional<std::string> quote_id;
    std::string phone;                   // the M-Pesa number to prompt, as the user typed it
    bool allow_partial = false;          // buy what the pools hold when it is less than asked
};

struct PlacedTrade {
    TradeView trade;
    bool replayed = false;  // the Idempotency-Key was seen before with the same order
};

// What an STK Push for a trade asks M-Pesa for.
struct PushTarget {
    std::string trade_id;
    Cents amount;
    std::string msisdn;  // decrypted for the request only; never logged
};

class BuyService {
public:
    // REQUIRES: every collaborator outlives the service.
    BuyService(db::ConnectionPool& pool,
               const Clock& clock,
               const identity::FieldCipher& cipher,
               obs::MetricsRegistry& metrics,
               BuySettings settings);

    // Places a buy for `user_id` under `idempotency_key`. The same key with the same order
    // returns the trade as first placed (replayed = true); with another order,
    // idempotency_key_reused.
    // Errors (nothing stored): validation_failed, invalid_phone, not_found (quote),
    // price_expired, quote_used, price_not_set, zero_amount, kyc_required,
    // trade_limit_exceeded, insufficient_gold (extensions available_grams and
    // available_amount_kes: the most that can be bought now), idempotency_key_reused.
    // REQUIRES: `user_id` is the caller's own id; idempotency_key is 1–255 printable chars.
    Result<PlacedTrade> buy(const std::string& user_id, const std::string& idempotency_key, const BuyOrder& order);

    // The push to send for `trade_id` now, or nullopt when none should be: the trade is no
    // longer reserved, or its payment deadline has passed (the sweeper then asks M-Pesa before
    // giving up). A phone that cannot be decrypted fails the trade (logged).
    std::optional<PushTarget> push_target(const std::string& trade_id);

    // Records what became of the push: `next` (awaiting_payment), or a failure (the trade is
    // voided with reason `failure`). Does nothing when the trade is no longer reserved (a
    // callback can beat Daraja's answer).
    void record_push(const std::string& trade_id, std::optional<TradeStatus> next, const std::string& failure,
                     const std::string& mpesa_request_id);

private:
    Result<PlacedTrade> place(pqxx::work& tx,
                              const std::string& user_id,
                              const std::string& idempotency_key,
                              const BuyOrder& order,
                              const std::string& msisdn,
                              TimePoint now);

    db::ConnectionPool& pool_;
    const Clock& clock_;
    const identity::FieldCipher& cipher_;
    obs::MetricsRegistry& metrics_;
    BuySettings settings_;
};

}  // namespace gw::trading
