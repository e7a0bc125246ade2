#pragma once

// Paying users out: what the B2C worker (jobs/b2c_payout_sender) pays and records, and the
// admin's manual queue (list, complete, fail — each audited). A payout's result settles its sell in
// the same transaction (trade_settlement.hpp), whichever way it arrives.
//
// Thread-safe: all state is in PostgreSQL.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "db/pool.hpp"
#include "identity/actor.hpp"
#include "identity/field_crypto.hpp"
#include "trading/payout_store.hpp"

namespace gw::trading {

// What a B2C payment for a payout asks M-Pesa for.
struct PayoutTarget {
    std::string payout_id;
    Cents amount;
    std::string msisdn;   // decrypted for the request only; never logged
    std::string remarks;  // "Gold sale" or "Refund"
};

class PayoutService {
public:
    // REQUIRES: every collaborator outlives the service.
    PayoutService(db::ConnectionPool& pool,
                  const Clock& clock,
                  const identity::FieldCipher& cipher);

    // The B2C payment to send for `payout_id`, or nullopt when none should be (not a pending
    // B2C payout). Throws when the phone cannot be decrypted (a key problem to fix, never to
    // guess around: the outbox retries, then dead-letters).
    std::optional<PayoutTarget> payout_target(const std::string& payout_id);

    // Records what became of a B2C payment: accepted (or possibly made) → sent; refused → the
    // payout fails (and its sell, whose grams are the user's again). A payout no longer
    // pending is left alone (the Result can beat Daraja's answer).
    void record_b2c(const std::string& payout_id,
                    const std::string& mpesa_request_id,
                    bool accepted);

    // Up to `limit` payouts, oldest first, with `status` when given, after `after`.
    std::vector<PayoutView> list(std::optional<PayoutStatus> status,
                                 const std::optional<PayoutCursor>& after,
                                 std::size_t limit);

    // An admin paid a manual payout by hand: records the M-Pesa transaction id and settles the
    // sell (audited `payout.complete`). Completing it again with the same id answers the same.
    // Errors: not_found, payout_not_manual, forbidden (the payout is the actor's own),
    // validation_failed (bad transaction id, one another payout was paid with, or the payout is
    // already failed or completed with another id).
    Result<PayoutView> complete(const identity::Actor& actor,
                                const std::string& payout_id,
                                const std::string& mpesa_transaction_id);

    // An admin could not pay a manual payout: the sell fails and the grams are the user's
    // again (audited `payout.fail` with the reason). Errors: not_found, payout_not_manual,
    // forbidden (the payout is the actor's own), validation_failed (no reason, or the payout is
    // already final).
    Result<PayoutView> fail(const identity::Actor& actor,
                            const std::string& payout_id,
                            const std::string& reason);

private:
    db::ConnectionPool& pool_;
    const Clock& clock_;
    const identity::FieldCipher& cipher_;
};

}  // namespace gw::trading
