#pragma once

// The outbox worker: performs the effects domain code queued with jobs::enqueue (STK Pushes,
// B2C requests, notifications) at least once, each by the handler registered for its topic.
//
// One run_once(now): claim up to batch_size_max due messages in one short transaction
// (FOR UPDATE SKIP LOCKED, lease), run each handler OUTSIDE any transaction (handlers do network
// I/O), then record each attempt and the message's new state in a transaction of its own:
// done; retry after exponential backoff with jitter; or dead (dead-lettered) when the handler
// says so, after attempts_max attempts, or when no handler serves the topic.
//
// Delivery is at least once: a worker that dies after the effect but before recording it, or
// overruns its lease, leaves the message to be run again. Handlers must therefore be
// idempotent, keyed on the message's (topic, key) (e.g. one STK Push per trade, which
// mpesa_requests' one-live-request-per-reference index already enforces).
//
// Thread-safe: after the last register_handler(), run_once, lag_seconds and counts may be called
// from any number of threads, and any number of workers (on any number of nodes) may share one
// database. See outbox_settings.hpp for how app wires them.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "core/clock.hpp"
#include "db/pool.hpp"
#include "jobs/outbox_backoff.hpp"
#include "jobs/outbox_settings.hpp"
#include "db/outbox_store.hpp"
#include "jobs/scheduler.hpp"
#include "observability/metrics.hpp"

namespace gw::jobs {

// The worker speaks the outbox store's vocabulary (db/outbox_store.hpp).
using db::ClaimedMessage;
using db::OutboxCounts;
using db::OutboxMessage;
using db::OutboxOutcome;

// What a handler made of one attempt.
struct OutboxResult {
    OutboxOutcome outcome = OutboxOutcome::done;
    std::string error;  // why it failed; empty for done

    // The effect happened (or had already happened): the message is done.
    static OutboxResult done() { return {OutboxOutcome::done, {}}; }
    // A passing failure (timeout, 5xx): try again after backoff, dead after attempts_max.
    static OutboxResult retry(std::string error) {
        return {OutboxOutcome::retry, std::move(error)};
    }
    // A failure no retry can fix (a rejected request, a payload we cannot use): dead now.
    static OutboxResult dead(std::string error) { return {OutboxOutcome::dead, std::move(error)}; }
};

// Performs one message's effect. May throw: an exception counts as retry with its what().
// REQUIRES: idempotent (it may run more than once for one message), and finishes well within
// OutboxSettings::lease_ms.
using OutboxHandler = std::function<OutboxResult(const OutboxMessage&)>;

class OutboxWorker {
public:
    // REQUIRES: `pool`, `clock` and `metrics` outlive the worker; check_outbox_settings(settings)
    // finds nothing. `jitter` adds the random part of each retry delay (seeded_jitter in
    // production, fixed_jitter in tests).
    OutboxWorker(db::ConnectionPool& pool,
                 const Clock& clock,
                 obs::MetricsRegistry& metrics,
                 OutboxSettings settings,
                 OutboxJitter jitter);
    OutboxWorker(const OutboxWorker&) = delete;
    OutboxWorker& operator=(const OutboxWorker&) = delete;

    // Makes `handler` perform the messages of `topic`, replacing any earlier one.
    // REQUIRES: before the first run_once (handlers are read without a lock).
    void register_handler(std::string topic, OutboxHandler handler);

    // Runs one batch as described above and returns how many attempts it recorded (whatever
    // their outcome; lost attempts found when claiming included only when they dead-letter
    // their message). `now` decides what is due; attempt times are read from the clock. Throws
    // (pqxx, PoolTimeout) when the database fails; claimed messages not yet recorded are then
    // retried when their lease runs out. Counts goldwallet_outbox_attempts_total{topic,outcome}
    // and goldwallet_outbox_dead_total{topic}.
    JobReport run_once(TimePoint now);

    // Returns the age in seconds of the oldest due pending message (0 when none): the outbox
    // lag gauge. Throws when the database fails.
    std::int64_t lag_seconds(TimePoint now);

    // Returns the number of messages in each status. Throws when the database fails.
    OutboxCounts counts();

    // Returns when a message whose attempt number `attempt` failed at `finished_at` is due
    // again: finished_at + backoff_ms(attempt) + jitter. Public for tests and support tooling.
    TimePoint retry_at(int attempt, TimePoint finished_at);

private:
    // Runs the handler for `claimed`, turning exceptions and unknown topics into results.
    OutboxResult perform(const ClaimedMessage& claimed) const;
    // Records the attempt; returns whether it was still ours to record.
    bool finish(const ClaimedMessage& claimed, OutboxResult result, TimePoint started_at);

    db::ConnectionPool& pool_;
    const Clock& clock_;
    obs::MetricsRegistry& metrics_;
    const OutboxSettings settings_;
    std::map<std::string, OutboxHandler, std::less<>> handlers_;  // fixed before run_once
    std::mutex jitter_mutex_;
    OutboxJitter jitter_;  // guarded by jitter_mutex_
};

}  // namespace gw::jobs
