#pragma once

// Selling gold (DESIGN §5, §6). sell() decides everything in ONE database transaction: the
// Idempotency-Key, the KYC limits, the price (a locked sell quote or the current sell price),
// M-Pesa's payout range, and the grams to lock — pending transfers from the user's accounts back
// to their pools, in pool order (priority, then age) — then the trade, its first event and the
// payout (queued for the B2C worker, or waiting in the admin's manual queue). The payout's
// result posts the transfers (the gold is back in the pools, the user is paid) or voids them
// (the grams are the user's again).
//
// Thread-safe: all state is in PostgreSQL.

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "db/pool.hpp"
#include "identity/field_crypto.hpp"
#include "trading/buy_service.hpp"
#include "trading/payout_store.hpp"
#include "trading/trade.hpp"

namespace gw::trading {

struct SellSettings {
    PayoutMode payout_mode = PayoutMode::manual;  // GOLDWALLET_PAYOUT_MODE
};

struct SellOrder {
    std::optional<Micrograms> grams;  // required unless a quote is given; must match it
    std::optional<std::string> quote_id;
    std::string phone;  // the M-Pesa number to pay, as the user typed it
};

struct PlacedSell {
    TradeView trade;
    PayoutView payout;
    bool replayed = false;
};

class SellService {
public:
    // REQUIRES: every collaborator outlives the service.
    SellService(db::ConnectionPool& pool,
                const Clock& clock,
                const identity::FieldCipher& cipher,
                SellSettings settings);

    // Places a sell for `user_id` under `idempotency_key` (same rules as BuyService::buy).
    // Errors (nothing stored): validation_failed, invalid_phone, not_found (quote),
    // price_expired, quote_used, price_not_set, zero_amount, payout_out_of_range, kyc_required,
    // trade_limit_exceeded, insufficient_grams (extension available_grams),
    // idempotency_key_reused.
    Result<PlacedSell> sell(const std::string& user_id,
                            const std::string& idempotency_key,
                            const SellOrder& order);

    const SellSettings& settings() const { return settings_; }

private:
    Result<PlacedSell> place(pqxx::work& tx,
                             const std::string& user_id,
                             const std::string& idempotency_key,
                             const SellOrder& order,
                             const std::string& msisdn,
                             TimePoint now);

    db::ConnectionPool& pool_;
    const Clock& clock_;
    const identity::FieldCipher& cipher_;
    SellSettings settings_;
};

}  // namespace gw::trading
