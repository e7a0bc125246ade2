#include "jobs/outbox_backoff.hpp"

#include <algorithm>
#include <memory>
#include <random>

#include "core/assert.hpp"

namespace gw::jobs {

std::int64_t backoff_ms(int attempt, std::int64_t base_ms, std::int64_t ms_max) {
    GW_ASSERT(attempt >= 1, "attempts are numbered from 1");
    GW_ASSERT(base_ms >= 1, "a zero base would retry at once forever");
    GW_ASSERT(base_ms <= ms_max, "the base delay cannot exceed the ceiling");
    std::int64_t delay_ms = base_ms;
    for (int doubling = 1; doubling < attempt; ++doubling) {
        // Stop before doubling could pass the ceiling (and, with it, int64).
        if (delay_ms > ms_max / 2) {
            return ms_max;
        }
        delay_ms *= 2;
    }
    return std::min(delay_ms, ms_max);
}

std::int64_t jitter_ms_bound(std::int64_t delay_ms, int percent_max) {
    GW_ASSERT(delay_ms >= 0, "delays are never negative");
    GW_ASSERT(percent_max >= 0 && percent_max <= 100, "jitter is a percentage of the delay");
    // delay_ms / 100 * percent + the remainder's share: no overflow for any int64 delay.
    return delay_ms / 100 * percent_max + delay_ms % 100 * percent_max / 100;
}

OutboxJitter seeded_jitter(std::uint64_t seed) {
    // Shared, not unique: std::function must be copyable. Only the returned source uses it.
    auto engine = std::make_shared<std::mt19937_64>(seed);
    return [engine](std::int64_t bound_ms) {
        std::uniform_int_distribution<std::int64_t> pick(0, std::max<std::int64_t>(bound_ms, 0));
        return pick(*engine);
    };
}

OutboxJitter fixed_jitter(std::int64_t fixed_ms) {
    return [fixed_ms](std::int64_t bound_ms) {
        return std::clamp<std::int64_t>(fixed_ms, 0, bound_ms);
    };
}

}  // namespace gw::jobs
