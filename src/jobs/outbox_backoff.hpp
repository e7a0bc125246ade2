#pragma once

// When a failed outbox message is tried again: exponential backoff with jitter. Pure
// arithmetic, plus the seedable jitter source the worker draws from (tests inject a fixed one).

#include <cstdint>
#include <functional>

namespace gw::jobs {

// Returns base_ms * 2^(attempt - 1), capped at ms_max: the delay after failed attempt number
// `attempt`. Never overflows, however large `attempt` is.
// REQUIRES: attempt >= 1 and 1 <= base_ms <= ms_max.
std::int64_t backoff_ms(int attempt, std::int64_t base_ms, std::int64_t ms_max);

// Returns the largest jitter to add to a delay of `delay_ms`: floor(delay_ms * percent_max / 100).
// REQUIRES: delay_ms >= 0 and 0 <= percent_max <= 100.
std::int64_t jitter_ms_bound(std::int64_t delay_ms, int percent_max);

// A jitter source: returns a value in [0, bound_ms]. Called with bound_ms >= 0.
using OutboxJitter = std::function<std::int64_t(std::int64_t bound_ms)>;

// Returns a source drawing uniformly from a std::mt19937_64 seeded with `seed`: the same seed
// gives the same sequence. Not thread-safe: the worker calls it under its own mutex.
OutboxJitter seeded_jitter(std::uint64_t seed);

// Returns a source that always answers min(fixed_ms, bound_ms) (tests).
OutboxJitter fixed_jitter(std::int64_t fixed_ms);

}  // namespace gw::jobs
