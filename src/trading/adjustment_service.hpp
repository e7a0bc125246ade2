#pragma once

// Admin corrections of a user's gold (issue 7 item 4). Gold never appears or vanishes: a credit
// moves it from the pools (first in, first out by priority, as a buy allocates) to the user's
// accounts in those pools; a debit moves the user's available gold back to its pools in the
// same order. Each adjustment is one database transaction holding the single-phase ledger
// transfers, the adjustments row and the audit entry, so none exists without the others.
// Each is made once per admin and Idempotency-Key: a retry returns the adjustment made.
// Thread-safe.

#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/money.hpp"
#include "db/pool.hpp"
#include "identity/actor.hpp"
#include "trading/adjustment_store.hpp"

namespace gw::trading {

// The longest reason an adjustment may carry, in characters (the adjustments CHECK).
inline constexpr std::size_t kAdjustmentReasonCharsMax = 500;

struct AdjustmentOrder {
    std::string user_id;
    AdjustmentDirection direction = AdjustmentDirection::credit;
    Micrograms grams;
    std::string reason;
};

struct PlacedAdjustment {
    AdjustmentView adjustment;
    bool replayed = false;  // made earlier with this key and request; nothing moved now
};

class AdjustmentService {
public:
    // REQUIRES: `pool` and `clock` outlive the service.
    AdjustmentService(db::ConnectionPool& pool, const Clock& clock);

    // Moves `order.grams` as described at the top of this file and records who did it and why
    // (audit action "adjustment.create", target the user, before/after their grams).
    // Errors, in this order of precedence:
    //   validation_failed  grams <= 0, or a reason that is blank or longer than 500 characters;
    //   not_found          user_id is not a UUID, or no such user, or the account is closed;
    //   forbidden          the user is the admin making the adjustment (four eyes);
    //   idempotency_key_reused  this admin used `idempotency_key` for a different request;
    //   insufficient_gold  credit: the pools together hold less available gold (extension
    //                      available_grams);
    //   insufficient_grams debit: the user holds fewer available grams (gold locked in a sell
    //                      is not available; extension available_grams);
    //   ledger_rejected    the ledger refused a transfer (a bug: the accounts were locked).
    // Nothing is stored on any error. The same key with the same request returns the adjustment
    // it made (replayed), whatever has changed since.
    // REQUIRES: `actor` is a signed-in admin (its user_id is the adjustments.admin_id);
    // `idempotency_key` is 1–255 printable characters (the route checks).
    Result<PlacedAdjustment> adjust(const identity::Actor& actor,
                                    const std::string& idempotency_key,
                                    const AdjustmentOrder& order);

private:
    // The adjustment made earlier under `key` (replayed), or a new one (record()).
    Result<PlacedAdjustment> place(pqxx::work& tx,
                                   const identity::Actor& actor,
                                   const AdjustmentKey& key,
                                   const AdjustmentOrder& order);
    Result<AdjustmentView> record(pqxx::work& tx,
                                  const identity::Actor& actor,
                                  const AdjustmentKey& key,
                                  const AdjustmentOrder& order);

    db::ConnectionPool& pool_;
    const Clock& clock_;
};

}  // namespace gw::trading
