// Proves the token bucket: a full burst is admitted and the next request refused with a
// Retry-After of at least one second; tokens come back at burst per period; keys are
// independent; the bucket table stays bounded.

#include "http/middleware/rate_limit.hpp"

#include <gtest/gtest.h>

namespace gw::http {
namespace {

using namespace std::chrono_literals;

const RateLimitPolicy kTenPerMinute{10, 60s};

TEST(RateLimiter, AdmitsTheBurstThenRefuses) {
    RateLimiter limiter;
    const auto now = std::chrono::steady_clock::now();
    for (int i = 0; i < 10; ++i) {
        EXPECT_TRUE(limiter.take("login:ip:a", kTenPerMinute, now).allowed) << i;
    }
    const auto refused = limiter.take("login:ip:a", kTenPerMinute, now);
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.retry_after, 6s) << "one token per 6 s at 10 per minute";
}

TEST(RateLimiter, TokensComeBackAtTheRefillRate) {
    RateLimiter limiter;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 10; ++i) {
        ASSERT_TRUE(limiter.take("k", kTenPerMinute, start).allowed);
    }
    EXPECT_FALSE(limiter.take("k", kTenPerMinute, start + 5999ms).allowed);
    EXPECT_TRUE(limiter.take("k", kTenPerMinute, start + 6s).allowed);
    EXPECT_FALSE(limiter.take("k", kTenPerMinute, start + 6s).allowed);
    for (int i = 0; i < 10; ++i) {
        EXPECT_TRUE(limiter.take("k", kTenPerMinute, start + 1h).allowed) << "refills to the burst, no more";
    }
    EXPECT_FALSE(limiter.take("k", kTenPerMinute, start + 1h).allowed);
}

TEST(RateLimiter, KeysAreIndependent) {
    RateLimiter limiter;
    const auto now = std::chrono::steady_clock::now();
    const RateLimitPolicy one{1, 60s};
    EXPECT_TRUE(limiter.take("a", one, now).allowed);
    EXPECT_FALSE(limiter.take("a", one, now).allowed);
    EXPECT_TRUE(limiter.take("b", one, now).allowed);
}

TEST(RateLimiter, StaysBoundedAndForgetsIdleBuckets) {
    RateLimiter limiter(4);
    const auto now = std::chrono::steady_clock::now();
    const RateLimitPolicy one{1, 1s};
    for (int i = 0; i < 4; ++i) {
        EXPECT_TRUE(limiter.take("key" + std::to_string(i), one, now).allowed);
    }
    // A fifth key evicts the idle (refilled) buckets; an evicted key starts full again.
    EXPECT_TRUE(limiter.take("key4", one, now + 2s).allowed);
    EXPECT_TRUE(limiter.take("key0", one, now + 2s).allowed);
}

TEST(RateLimiter, WhenFullOfLiveBucketsNewKeysAreRefusedAndNoLimitIsForgotten) {
    RateLimiter limiter(2);
    const auto now = std::chrono::steady_clock::now();
    const RateLimitPolicy one{1, 60s};
    EXPECT_TRUE(limiter.take("victim", one, now).allowed);
    EXPECT_TRUE(limiter.take("attacker-1", one, now).allowed);
    const auto refused = limiter.take("attacker-2", one, now);
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.retry_after, 1s);
    EXPECT_FALSE(limiter.take("victim", one, now).allowed) << "the victim's bucket was kept";
}

}  // namespace
}  // namespace gw::http
