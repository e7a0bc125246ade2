#include "jobs/outbox_worker.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include "core/assert.hpp"
#include "db/transaction.hpp"
#include "observability/log.hpp"

namespace gw::jobs {
namespace {

constexpr std::string_view kDeadHelp = "Outbox messages dead-lettered";
constexpr std::string_view kAttemptsHelp = "Outbox attempts finished, by topic and outcome";

}  // namespace

OutboxWorker::OutboxWorker(db::ConnectionPool& pool,
                           const Clock& clock,
                           obs::MetricsRegistry& metrics,
                           OutboxSettings settings,
                           OutboxJitter jitter)
    : pool_(pool),
      clock_(clock),
      metrics_(metrics),
      settings_(settings),
      jitter_(std::move(jitter)) {
    GW_ASSERT(!check_outbox_settings(settings_).has_value(), "app/config validates the settings");
    GW_ASSERT(static_cast<bool>(jitter_), "a worker needs a jitter source");
}

void OutboxWorker::register_handler(std::string topic, OutboxHandler handler) {
    handlers_.insert_or_assign(std::move(topic), std::move(handler));
}

JobReport OutboxWorker::run_once(TimePoint now) {
    const db::ClaimLimits limits{settings_.batch_size_max,
                             settings_.attempts_max,
                             std::chrono::milliseconds(settings_.lease_ms)};
    const db::ClaimedBatch batch = db::with_transaction(
        pool_, "outbox.claim", [&](pqxx::work& tx) { return db::claim_due(tx, now, limits); });
    JobReport report;
    for (const std::string& topic : batch.lease_dead_topics) {
        metrics_.increment("goldwallet_outbox_dead_total", kDeadHelp, {{"topic", topic}});
        obs::log_error("outbox.dead",
                       {{"topic", topic}, {"error", "lease expired on the last attempt"}});
        ++report.processed;
    }
    for (const ClaimedMessage& claimed : batch.messages) {
        const TimePoint started_at = clock_.now();
        OutboxResult result = perform(claimed);
        if (finish(claimed, std::move(result), started_at)) {
            ++report.processed;
        }
    }
    return report;
}

OutboxResult OutboxWorker::perform(const ClaimedMessage& claimed) const {
    const auto handler = handlers_.find(claimed.message.topic);
    if (handler == handlers_.end()) {
        return OutboxResult::dead("no handler for topic " + claimed.message.topic);
    }
    try {
        OutboxResult result = handler->second(claimed.message);
        if (result.outcome != OutboxOutcome::done && result.error.empty()) {
            result.error = "handler gave no reason";  // the store requires one for failures
        }
        if (result.outcome == OutboxOutcome::done) {
            result.error.clear();
        }
        return result;
    } catch (const std::exception& error) {
        // A boundary (STYLE 8b): one message's infrastructure failure becomes its retry.
        const std::string what = error.what();
        return OutboxResult::retry(what.empty() ? "handler threw" : "handler threw: " + what);
    }
}

bool OutboxWorker::finish(const ClaimedMessage& claimed,
                          OutboxResult result,
                          TimePoint started_at) {
    db::FinishedAttempt attempt;
    attempt.id = claimed.id;
    attempt.attempt = claimed.attempt;
    attempt.started_at = started_at;
    attempt.finished_at = std::max(started_at, clock_.now());
    attempt.outcome = result.outcome;
    attempt.error = std::move(result.error);
    if (attempt.outcome == OutboxOutcome::retry && claimed.attempt >= settings_.attempts_max) {
        attempt.outcome = OutboxOutcome::dead;
        attempt.error = "attempts exhausted (" + std::to_string(settings_.attempts_max) +
                        "); last error: " + attempt.error;
    }
    attempt.next_attempt_at = attempt.outcome == OutboxOutcome::retry
                                  ? retry_at(claimed.attempt, attempt.finished_at)
                                  : attempt.finished_at;
    const bool recorded = db::with_transaction(
        pool_, "outbox.finish", [&](pqxx::work& tx) { return db::finish_attempt(tx, attempt); });
    const std::string& topic = claimed.message.topic;
    if (!recorded) {
        // Another worker reclaimed the message after our lease ran out and recorded this attempt
        // as lost; it runs the message again, so the handler must be idempotent.
        obs::log_warn(
            "outbox.claim_lost",
            {{"topic", topic}, {"key", claimed.message.key}, {"attempt", claimed.attempt}});
        return false;
    }
    metrics_.increment("goldwallet_outbox_attempts_total",
                       kAttemptsHelp,
                       {{"topic", topic}, {"outcome", std::string(to_string(attempt.outcome))}});
    if (attempt.outcome == OutboxOutcome::dead) {
        metrics_.increment("goldwallet_outbox_dead_total", kDeadHelp, {{"topic", topic}});
        obs::log_error("outbox.dead",
                       {{"topic", topic},
                        {"key", claimed.message.key},
                        {"attempt", claimed.attempt},
                        {"error", attempt.error}});
    } else if (attempt.outcome == OutboxOutcome::retry) {
        obs::log_warn("outbox.retry",
                      {{"topic", topic},
                       {"key", claimed.message.key},
                       {"attempt", claimed.attempt},
                       {"error", attempt.error}});
    }
    return true;
}

TimePoint OutboxWorker::retry_at(int attempt, TimePoint finished_at) {
    const std::int64_t delay_ms =
        backoff_ms(attempt, settings_.backoff_base_ms, settings_.backoff_ms_max);
    const std::int64_t bound_ms = jitter_ms_bound(delay_ms, settings_.backoff_jitter_percent_max);
    std::int64_t jitter_ms = 0;
    {
        std::lock_guard lock(jitter_mutex_);
        jitter_ms = jitter_(bound_ms);
    }
    GW_ASSERT(jitter_ms >= 0 && jitter_ms <= bound_ms, "a jitter source stays within its bound");
    return finished_at + std::chrono::milliseconds(delay_ms + jitter_ms);
}

std::int64_t OutboxWorker::lag_seconds(TimePoint now) {
    return db::with_transaction(
        pool_, "outbox.lag", [&](pqxx::work& tx) { return db::oldest_due_age_seconds(tx, now); });
}

OutboxCounts OutboxWorker::counts() {
    return db::with_transaction(
        pool_, "outbox.counts", [&](pqxx::work& tx) { return db::count_by_status(tx); });
}

}  // namespace gw::jobs
