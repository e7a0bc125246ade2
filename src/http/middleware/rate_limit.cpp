#include "http/middleware/rate_limit.hpp"

#include <algorithm>

namespace gw::http {

RateLimiter::RateLimiter(std::size_t buckets_max) : buckets_max_(buckets_max) {}

RateLimiter::Decision RateLimiter::take(const std::string& key, const RateLimitPolicy& policy,
                                        std::chrono::steady_clock::time_point now) {
    using std::chrono::microseconds;
    const std::int64_t period_us =
        std::chrono::duration_cast<microseconds>(policy.period).count();
    const std::int64_t capacity = policy.burst * period_us;  // one token = period_us units
    std::lock_guard lock(mutex_);
    longest_period_ = std::max(longest_period_, policy.period);
    auto found = buckets_.find(key);
    if (found == buckets_.end()) {
        if (buckets_.size() >= buckets_max_) {
            evict(now);
        }
        if (buckets_.size() >= buckets_max_) {
            // Full of live buckets: refuse newcomers rather than forget anyone's limit (an
            // attacker with many addresses must not be able to reset the others' buckets).
            return {false, std::chrono::seconds(1)};
        }
        found = buckets_.emplace(key, Bucket{capacity, now}).first;
    }
    Bucket& bucket = found->second;
    const std::int64_t elapsed_us =
        std::max<std::int64_t>(0, std::chrono::duration_cast<microseconds>(now - bucket.updated).count());
    // Refill at `burst` tokens per period: burst units per elapsed µs.
    const std::int64_t refill = elapsed_us > capacity / std::max<std::int64_t>(policy.burst, 1)
                                    ? capacity
                                    : elapsed_us * policy.burst;
    bucket.scaled_tokens = std::min(capacity, bucket.scaled_tokens + refill);
    bucket.updated = now;
    if (bucket.scaled_tokens >= period_us) {
        bucket.scaled_tokens -= period_us;
        return {};
    }
    const std::int64_t missing = period_us - bucket.scaled_tokens;
    const std::int64_t wait_us = (missing + policy.burst - 1) / std::max<std::int64_t>(policy.burst, 1);
    return {false, std::chrono::seconds(std::max<std::int64_t>(1, (wait_us + 999'999) / 1'000'000))};
}

void RateLimiter::evict(std::chrono::steady_clock::time_point now) {
    // A bucket untouched for a whole period is full again: forgetting it changes nothing.
    std::erase_if(buckets_, [&](const auto& entry) {
        return now - entry.second.updated >= longest_period_;
    });
}

}  // namespace gw::http
