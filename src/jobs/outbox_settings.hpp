#pragma once

// How the outbox workers behave: plain data, filled once by app/config and handed to every
// OutboxWorker. The limits below are the ranges app/config accepts; check_outbox_settings()
// says what is wrong with a value outside them.
//
// Wiring contract (src/app, not done here): build `worker_count` OutboxWorker objects with the
// same settings and handlers, and give each its own Scheduler (a Scheduler runs its jobs on one
// thread, so N workers on one Scheduler would run one at a time), each running
// `worker.run_once` every `poll_interval_ms`. Every node of a deployment may do the same: claims
// use FOR UPDATE SKIP LOCKED, so workers on all nodes share the queue without running a
// message twice at once.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace gw::jobs {

inline constexpr std::size_t kOutboxBatchSizeLimit = 1'000;        // batch_size_max, at most
inline constexpr int kOutboxAttemptsLimit = 100;                   // attempts_max, at most
inline constexpr std::int64_t kOutboxBackoffMsLimit = 86'400'000;  // a day: backoff_ms_max
inline constexpr int kOutboxJitterPercentLimit = 100;              // backoff_jitter_percent_max
inline constexpr std::int64_t kOutboxLeaseMsMin = 1'000;           // lease_ms, at least
inline constexpr std::int64_t kOutboxLeaseMsLimit = 3'600'000;     // lease_ms, at most
inline constexpr std::size_t kOutboxWorkerCountLimit = 64;         // worker_count, at most

struct OutboxSettings {
    std::size_t batch_size_max = 32;        // messages one run_once claims at most
    int attempts_max = 10;                  // attempts before a message is dead-lettered
    std::int64_t backoff_base_ms = 1'000;   // delay after the first failed attempt
    std::int64_t backoff_ms_max = 300'000;  // ceiling of the doubling delay (jitter comes on top)
    int backoff_jitter_percent_max = 20;    // jitter: uniform in [0, delay * this / 100] ms
    // How long a claim holds. It must exceed the slowest handler (its HTTP timeouts included):
    // when it runs out, another worker may start the same message while the first still runs.
    std::int64_t lease_ms = 120'000;
    std::size_t worker_count = 2;         // workers per node, each on its own thread; 0: none here
    std::int64_t poll_interval_ms = 500;  // how often each worker calls run_once
};

// Returns nullopt when every field is within its limits, else a sentence naming the first
// field that is not (for app/config's start-up error).
std::optional<std::string> check_outbox_settings(const OutboxSettings& settings);

}  // namespace gw::jobs
