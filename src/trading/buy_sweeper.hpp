#pragma once

// The expiry sweeper of buys (DESIGN §5): a buy still open after its payment deadline is
// never voided on a guess. It asks Daraja first (STK Query) and settles by the answer; it
// voids (reason `expired`) only a buy for which no payment request is live, so no payment can
// land for it. A request whose CheckoutRequestID was never learnt (Daraja's answer was lost)
// cannot be asked about: it stays open for reconciliation and a human.
//
// Safe on several nodes at once: every settlement locks the request or the trade and leaves a
// settled one alone. Thread-safe.

#include <cstddef>
#include <string>

#include "core/clock.hpp"
#include "db/pool.hpp"
#include "mpesa/callback_intake.hpp"
#include "mpesa/mpesa_gateway.hpp"
#include "observability/metrics.hpp"

namespace gw::trading {

struct SweepReport {
    std::size_t examined = 0;
    std::size_t settled = 0;  // paid or failed by Daraja's answer
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

    // Looks at up to `limit` open buys whose payment deadline is at or before `now`.
    SweepReport sweep(TimePoint now, std::size_t limit);

private:
    enum class Fate { settled, expired, waiting };
    Fate sweep_one(const std::string& trade_id, TimePoint now);
    Fate ask_daraja(const mpesa::MpesaRequest& request);
    // Voids the trade when it is still open and no payment request for it is live.
    Fate expire(const std::string& trade_id);

    db::ConnectionPool& pool_;
    const Clock& clock_;
    mpesa::MpesaGateway& gateway_;
    mpesa::CallbackIntake& intake_;
    obs::MetricsRegistry& metrics_;
};

}  // namespace gw::trading
