#pragma once

// The daily reconciliation (ISSUE 8), as a finance team runs it. One run covers one Nairobi day
// and, in order:
// 1. follows up what is stale now: every buy past its payment deadline is asked about (STK
//    Query) and settled by the answer; every B2C payout past its timeout is asked about
//    (Transaction Status, settled when the answer arrives);
// 2. matches the imported M-Pesa statements against the day's buys and payouts
//    (jobs/statement_matching.hpp);
// 3. checks the ledger and gold invariants (ledger/invariants.hpp) on one snapshot;
// 4. stores the run and everything it found (what is still stale is listed for a human), logs
//    each critical class at error level, and POSTs the critical items to the alert webhook.
// A run is stored once and never overwritten; a correction is an adjustment, never an edit.
//
// Runs come from `goldwallet reconcile`, POST /admin/reconciliation/run, and the daily schedule
// inside `serve`. One runs at a time across all nodes: each holds a PostgreSQL advisory lock
// (kReconciliationLockKey) for its whole duration; a unique index also admits one scheduled run
// per day. Thread-safe.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "db/pool.hpp"
#include "jobs/alert_sender.hpp"
#include "jobs/buy_sweeper.hpp"
#include "jobs/payout_sweeper.hpp"
#include "jobs/reconciliation_store.hpp"
#include "observability/metrics.hpp"

namespace gw::jobs {

// The pg_try_advisory_lock key every run holds ("GWRECON" in ASCII).
inline constexpr std::int64_t kReconciliationLockKey = 0x4757'5245'434f'4e;

struct ReconcileSettings {
    std::string paybill_shortcode = "174379";  // GOLDWALLET_MPESA_SHORTCODE
    std::string b2c_shortcode = "600980";      // GOLDWALLET_MPESA_B2C_SHORTCODE
    std::chrono::minutes daily_at{60};         // GOLDWALLET_RECONCILE_AT, Nairobi time of day
    std::chrono::seconds statement_timeout{600};  // bound of the matching queries
};

struct ReconcileRequest {
    std::optional<std::chrono::sys_days> day;  // default: yesterday in Nairobi
    RunTrigger trigger = RunTrigger::command;
    std::string requested_by;  // the admin, for an API run
};

class Reconciler {
public:
    // REQUIRES: every collaborator outlives the reconciler.
    Reconciler(db::ConnectionPool& pool,
               const Clock& clock,
               BuySweeper& buy_sweeper,
               PayoutSweeper& payout_sweeper,
               const AlertSender& alerts,
               obs::MetricsRegistry& metrics,
               ReconcileSettings settings);

    // Runs one reconciliation now and returns the stored run (completed, or failed with the
    // reason when an unexpected error stopped it; the error is logged). Error
    // reconciliation_running when another run holds the lock (nothing is stored).
    // REQUIRES: request.trigger is not schedule (run_scheduled_if_due starts those).
    [[nodiscard]] Result<RunView> run(const ReconcileRequest& request);

    // The daily schedule: after settings.daily_at (Nairobi), runs yesterday's reconciliation
    // unless some node has, holding the advisory lock while it runs. Returns the run, or nullopt
    // when there was nothing to do here.
    std::optional<RunView> run_scheduled_if_due(TimePoint now);

    // The Nairobi day before `now`'s.
    static std::chrono::sys_days previous_day(TimePoint now);

    // Whether Nairobi day `day` has begun (a run of a future day would check nothing).
    bool day_has_begun(std::chrono::sys_days day) const;

private:
    struct Stale;
    // Runs `request` while holding the lock; nullopt when its scheduled day has a run already.
    std::optional<RunView> run_locked(const ReconcileRequest& request);
    Stale follow_up_stale(TimePoint now);
    RunView execute(const RunView& run, TimePoint now);
    void report_critical(const RunView& run);

    db::ConnectionPool& pool_;
    const Clock& clock_;
    BuySweeper& buy_sweeper_;
    PayoutSweeper& payout_sweeper_;
    const AlertSender& alerts_;
    obs::MetricsRegistry& metrics_;
    ReconcileSettings settings_;
};

}  // namespace gw::jobs
