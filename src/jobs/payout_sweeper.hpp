#pragma once

// The follow-up of B2C payouts (ISSUE 8 item 4): a payout still pending or sent once its
// timeout has passed (a lost answer, a Result that never came, a queue timeout) is never paid
// again and never failed on a guess. The sweeper asks M-Pesa's Transaction Status about its
// request; the answer arrives as a callback and settles the payout through the usual path
// (CallbackIntake -> TradeSettlement). A payout with no request to ask about (the outbox has not
// sent it, or gave up) waits, and reconciliation lists it for a human.
//
// Each payout is asked about again after `recheck` at the earliest; sweepers on several nodes
// claim different payouts (SKIP LOCKED). Thread-safe.

#include <chrono>
#include <cstddef>

#include "core/clock.hpp"
#include "db/pool.hpp"
#include "mpesa/mpesa_gateway.hpp"

namespace gw::jobs {

struct PayoutSweepSettings {
    std::chrono::seconds timeout{300};  // GOLDWALLET_PAYOUT_TIMEOUT_SECONDS
    std::chrono::seconds recheck{300};  // between two questions about one payout
};

struct PayoutSweepReport {
    std::size_t examined = 0;
    std::size_t asked = 0;    // Transaction Status sent; the answer settles the payout
    std::size_t waiting = 0;  // nothing to ask about yet, or M-Pesa could not be reached
};

class PayoutSweeper {
public:
    // REQUIRES: every collaborator outlives the sweeper.
    PayoutSweeper(db::ConnectionPool& pool, mpesa::MpesaGateway& gateway, PayoutSweepSettings settings);

    // Looks at up to `limit` stale payouts due for a check at `now`.
    PayoutSweepReport sweep(TimePoint now, std::size_t limit);

    const PayoutSweepSettings& settings() const { return settings_; }

private:
    bool ask(const std::string& payout_id);

    db::ConnectionPool& pool_;
    mpesa::MpesaGateway& gateway_;
    PayoutSweepSettings settings_;
};

}  // namespace gw::jobs
