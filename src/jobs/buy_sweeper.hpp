#pragma once

// The expiry sweeper of buys (DESIGN §5): a buy still open after its payment deadline is
// never voided on a guess. It asks Daraja first (STK Query) and settles by the answer; it
// voids (reason `expired`) only a buy for which no payment request is live and none is queued,
// so no payment can land for it. A request whose CheckoutRequestID was never learnt (Daraja's
// answer was lost) cannot be asked about: it stays open for reconciliation and a human.
//
// Buys still waiting are looked at again later, less and less often, so a few stuck ones never
// starve the rest; sweepers on several nodes claim different buys (SKIP LOCKED). Thread-safe.

#include <chrono>
#include <cstddef>
#include <string>

#include "core/clock.hpp"
#include "db/pool.hpp"
#include "mpesa/callback_intake.hpp"
#include "mpesa/mpesa_gateway.hpp"
#include "observability/metrics.hpp"

namespace gw::jobs {

struct SweepReport {
    std::size_t examined = 0;
    std::size_t settled = 0;  // paid or failed by Daraja's answer (or meanwhile)
    std::size_t expired = 0;  // voided: no payment request was live
    std::size_t waiting = 0;  // still pending at Daraja, or not askable
};

class BuySweeper {
public:
    // REQUIRES: every collaborator outlives the sweeper.
    BuySweeper(db::ConnectionPool& pool,
               const Clock& clock,
               mpesa::MpesaGateway& gateway,
               mpesa::CallbackIntake& intake,
               obs::MetricsRegistry& metrics);

    // Looks at up to `limit` open buys due for a check at `now`.
    SweepReport sweep(TimePoint now, std::size_t limit);

private:
    enum class Fate { settled, expired, waiting };
    Fate sweep_one(const std::string& trade_id, TimePoint now);
    Fate ask_daraja(const mpesa::MpesaRequest& request);
    // Voids the buy when it is still open and no payment request for it is live.
    Fate expire(const std::string& trade_id);
    // A waiting buy is checked again after half its time overdue, between 10 s and 10 min.
    void postpone(const std::string& trade_id, TimePoint now);

    db::ConnectionPool& pool_;
    const Clock& clock_;
    mpesa::MpesaGateway& gateway_;
    mpesa::CallbackIntake& intake_;
    obs::MetricsRegistry& metrics_;
};

}  // namespace gw::jobs
