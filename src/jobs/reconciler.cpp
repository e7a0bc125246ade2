#include "jobs/reconciler.hpp"

#include <map>

#include "core/assert.hpp"

#include "core/money.hpp"
#include "core/time_text.hpp"
#include "db/prepared.hpp"
#include "db/transaction.hpp"
#include "jobs/statement_matching.hpp"
#include "ledger/invariants.hpp"
#include "mpesa/nairobi_time.hpp"
#include "observability/log.hpp"
#include "trading/payout_store.hpp"
#include "trading/trade_store.hpp"

namespace gw::jobs {
namespace {

// How many stale buys and payouts one run asks M-Pesa about (the rest at the next run).
constexpr std::size_t kStaleAskedMax = 1000;
// How many critical items one alert carries (the count says how many there were).
constexpr std::size_t kAlertItemsMax = 100;
// A scheduled run that fails is tried again after a while, a few times, then left to people
// (each failure is logged at error level).
constexpr int kScheduledAttemptsMax = 3;
// A manual payout waiting in the admin queue longer than this is listed: someone is owed money.
constexpr std::chrono::hours kManualPayoutWaitMax{24};
constexpr std::chrono::minutes kScheduledRetryAfter{10};

std::vector<Finding> stale_findings(const std::vector<trading::OverdueBuy>& buys,
                                    const std::vector<trading::PayoutView>& payouts) {
    std::vector<Finding> findings;
    for (const trading::OverdueBuy& buy : buys) {
        Finding finding;
        finding.finding_class = FindingClass::stale_buy;
        finding.trade_id = buy.trade_id;
        finding.expected = buy.amount;
        finding.detail = "still " + std::string(trading::to_string(buy.status)) +
                         " after its payment deadline " + format_rfc3339(buy.payment_due_at) +
                         "; M-Pesa could not settle it: check the customer's payment by hand";
        findings.push_back(std::move(finding));
    }
    for (const trading::PayoutView& payout : payouts) {
        Finding finding;
        finding.finding_class = FindingClass::stale_payout;
        finding.trade_id = payout.trade_id;
        finding.payout_id = payout.id;
        finding.expected = payout.amount;
        finding.detail =
            payout.mode == trading::PayoutMode::manual
                ? "manual payout waiting in the admin queue since " + format_rfc3339(payout.created_at)
                : "B2C payout still " + std::string(trading::to_string(payout.status)) + " since " +
                      format_rfc3339(payout.created_at) +
                      "; Transaction Status was asked, or there is no request to ask about";
        findings.push_back(std::move(finding));
    }
    return findings;
}

nlohmann::json class_counts(const std::vector<Finding>& findings) {
    std::map<std::string, std::int64_t> counts;
    for (FindingClass known : kFindingClasses) {
        counts[std::string(to_string(known))] = 0;
    }
    for (const Finding& finding : findings) {
        ++counts[std::string(to_string(finding.finding_class))];
    }
    return counts;
}

std::int64_t critical_count(const std::vector<Finding>& findings) {
    std::int64_t count = 0;
    for (const Finding& finding : findings) {
        count += severity_of(finding.finding_class) == Severity::critical ? 1 : 0;
    }
    return count;
}

// Holds the reconciliation lock (when free) until the run ends, however it ends.
class RunLock {
public:
    explicit RunLock(db::ConnectionPool& pool) : connection_(pool.acquire()) {
        pqxx::nontransaction tx(*connection_);
        held_ = db::exec_prepared1(tx, "SELECT pg_try_advisory_lock($1)", kReconciliationLockKey)[0].as<bool>();
    }
    ~RunLock() {
        if (!held_) {
            return;
        }
        try {
            pqxx::nontransaction tx(*connection_);
            db::exec_prepared(tx, "SELECT pg_advisory_unlock($1)", kReconciliationLockKey);
        } catch (const std::exception& error) {
            // The lock goes with the session: a broken connection is closed, not pooled.
            obs::log_warn("reconciliation.unlock_failed", {{"what", error.what()}});
        }
    }
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

    bool held() const { return held_; }

private:
    db::PooledConnection connection_;
    bool held_ = false;
};

}  // namespace

struct Reconciler::Stale {
    std::vector<Finding> findings;
    nlohmann::json summary;
};

Reconciler::Reconciler(db::ConnectionPool& pool,
                       const Clock& clock,
                       BuySweeper& buy_sweeper,
                       PayoutSweeper& payout_sweeper,
                       const AlertSender& alerts,
                       obs::MetricsRegistry& metrics,
                       ReconcileSettings settings)
    : pool_(pool),
      clock_(clock),
      buy_sweeper_(buy_sweeper),
      payout_sweeper_(payout_sweeper),
      alerts_(alerts),
      metrics_(metrics),
      settings_(std::move(settings)) {}

std::chrono::sys_days Reconciler::previous_day(TimePoint now) {
    return mpesa::nairobi_day(now) - std::chrono::days(1);
}

bool Reconciler::day_has_begun(std::chrono::sys_days day) const {
    return day <= mpesa::nairobi_day(clock_.now());
}

Result<RunView> Reconciler::run(const ReconcileRequest& request) {
    GW_ASSERT(request.trigger != RunTrigger::schedule, "scheduled runs start in run_scheduled_if_due");
    const RunLock lock(pool_);
    if (!lock.held()) {
        return make_error(ErrorCode::reconciliation_running,
                          "a reconciliation is running; try again when it has finished");
    }
    return *run_locked(request);
}

std::optional<RunView> Reconciler::run_locked(const ReconcileRequest& request) {
    const TimePoint now = clock_.now();
    const std::chrono::sys_days day = request.day.value_or(previous_day(now));
    const auto started = db::with_transaction(pool_, "reconciliation.start", [&](pqxx::work& tx) {
        return insert_run(tx, day, request.trigger, request.requested_by, now);
    });
    if (!started) {
        return std::nullopt;
    }
    obs::log_info("reconciliation.started",
                  {{"run_id", started->id}, {"day", format_iso_day(day)},
                   {"trigger", std::string(to_string(request.trigger))}});
    RunView finished = execute(*started, now);
    metrics_.increment("goldwallet_reconciliation_runs_total", "Reconciliation runs by outcome",
                       {{"status", std::string(to_string(finished.status))}});
    if (finished.status == RunStatus::completed) {
        report_critical(finished);
    }
    return finished;
}

std::optional<RunView> Reconciler::run_scheduled_if_due(TimePoint now) {
    const auto since_midnight = now - mpesa::nairobi_day_start(mpesa::nairobi_day(now));
    if (since_midnight < settings_.daily_at) {
        return std::nullopt;
    }
    const std::chrono::sys_days day = previous_day(now);
    const auto due = [&] {
        return db::with_transaction(pool_, "reconciliation.scheduled", [&](pqxx::work& tx) {
            return scheduled_run_due(tx, day, now, kScheduledAttemptsMax, kScheduledRetryAfter);
        });
    };
    const RunLock lock(pool_);
    if (!lock.held()) {
        return std::nullopt;  // another run holds the lock
    }
    // Holding the lock, nothing scheduled is really running: a run still marked so was left by
    // a node that stopped mid-run, and must not block its day for ever.
    const std::size_t abandoned = db::with_transaction(pool_, "reconciliation.abandoned", [&](pqxx::work& tx) {
        return fail_abandoned_scheduled_runs(tx, clock_.now());
    });
    if (abandoned > 0) {
        obs::log_error("reconciliation.abandoned_runs_failed", {{"count", abandoned}});
    }
    if (!due()) {
        return std::nullopt;  // done, or failed too often or too recently
    }
    return run_locked(ReconcileRequest{day, RunTrigger::schedule, {}});
}

Reconciler::Stale Reconciler::follow_up_stale(TimePoint now) {
    db::with_transaction(pool_, "reconciliation.overdue_buys", [&](pqxx::work& tx) {
        trading::make_overdue_buys_due(tx, now);
    });
    const SweepReport buys = buy_sweeper_.sweep(now, kStaleAskedMax);
    const PayoutSweepReport payouts = payout_sweeper_.sweep(now, kStaleAskedMax);
    const TimePoint after = clock_.now();
    Stale stale;
    db::with_transaction(pool_, "reconciliation.stale", [&](pqxx::work& tx) {
        stale.findings = stale_findings(
            trading::select_overdue_buys(tx, after),
            trading::select_stale_payouts(tx, after - payout_sweeper_.settings().timeout,
                                          after - kManualPayoutWaitMax));
    });
    stale.summary = {{"buys_examined", buys.examined},
                     {"buys_settled", buys.settled},
                     {"buys_expired", buys.expired},
                     {"payouts_examined", payouts.examined},
                     {"payouts_asked", payouts.asked}};
    return stale;
}

RunView Reconciler::execute(const RunView& run, TimePoint now) {
    try {
        Stale stale = follow_up_stale(now);
        const MatchWindow window{mpesa::nairobi_day_start(run.day),
                                 mpesa::nairobi_day_start(run.day + std::chrono::days(1)),
                                 settings_.paybill_shortcode,
                                 settings_.b2c_shortcode};
        std::vector<Finding> findings = std::move(stale.findings);
        MatchReport matched;
        {
            // One snapshot for matching and the invariants, so trading cannot cause a false alarm.
            db::PooledConnection connection = pool_.acquire();
            pqxx::transaction<pqxx::repeatable_read> tx(*connection, "reconciliation.match");
            tx.exec0("SET LOCAL statement_timeout = " +
                     std::to_string(std::chrono::milliseconds(settings_.statement_timeout).count()));
            matched = match_statements(tx, window);
            for (const auto& violation : ledger::check_invariants(tx)) {
                Finding finding;
                finding.finding_class = FindingClass::ledger_invariant;
                finding.detail = violation.invariant + ": " + violation.detail;
                findings.push_back(std::move(finding));
            }
            tx.commit();
        }
        findings.insert(findings.begin(), matched.findings.begin(), matched.findings.end());
        const std::int64_t critical = critical_count(findings);
        const nlohmann::json summary = {
            {"window", {{"from", format_rfc3339(window.from)}, {"to", format_rfc3339(window.to)}}},
            {"statements", {{"paybill_covered", matched.paybill_covered},
                            {"b2c_covered", matched.b2c_covered}}},
            {"lines_in", matched.lines_in},
            {"lines_out", matched.lines_out},
            {"matched", matched.matched},
            {"counts", class_counts(findings)},
            {"critical_count", critical},
            {"warning_count", static_cast<std::int64_t>(findings.size()) - critical},
            {"stale", stale.summary}};
        return db::with_transaction(pool_, "reconciliation.finish", [&](pqxx::work& tx) {
            insert_findings(tx, run.id, findings);
            complete_run(tx, run.id, summary, critical, clock_.now());
            return *find_run(tx, run.id);
        });
    } catch (const std::exception& error) {
        obs::log_error("reconciliation.failed", {{"run_id", run.id}, {"what", error.what()}});
        return db::with_transaction(pool_, "reconciliation.fail", [&](pqxx::work& tx) {
            fail_run(tx, run.id, "the run stopped on an unexpected error; see the logs", clock_.now());
            return *find_run(tx, run.id);
        });
    }
}

void Reconciler::report_critical(const RunView& run) {
    if (run.critical_count == 0) {
        obs::log_info("reconciliation.completed", {{"run_id", run.id}, {"critical", 0}});
        return;
    }
    for (const auto& [name, count] : run.summary.at("counts").items()) {
        const auto finding_class = parse_finding_class(name);
        if (finding_class && severity_of(*finding_class) == Severity::critical && count.get<int>() > 0) {
            obs::log_error("reconciliation.critical",
                           {{"run_id", run.id}, {"class", name}, {"count", count.get<int>()}});
        }
    }
    if (!alerts_.enabled()) {
        return;
    }
    const auto items = db::with_transaction(pool_, "reconciliation.alert", [&](pqxx::work& tx) {
        return list_items(tx, run.id);
    });
    nlohmann::json critical = nlohmann::json::array();
    for (const ItemView& item : items) {
        if (item.severity == Severity::critical && critical.size() < kAlertItemsMax) {
            critical.push_back({{"item_id", item.id},
                                {"class", std::string(to_string(item.finding.finding_class))},
                                {"receipt", item.finding.receipt},
                                {"trade_id", item.finding.trade_id},
                                {"payout_id", item.finding.payout_id},
                                {"detail", item.finding.detail}});
        }
    }
    alerts_.send({{"event", "reconciliation.critical"},
                  {"run_id", run.id},
                  {"day", format_iso_day(run.day)},
                  {"critical_count", run.critical_count},
                  {"items", critical}});
}

}  // namespace gw::jobs
