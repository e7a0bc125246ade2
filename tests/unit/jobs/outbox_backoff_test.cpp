// Proves the outbox retry delay: base * 2^(attempt - 1) exactly until the ceiling, the ceiling
// from then on without overflow however many attempts, the jitter bound on both sides of its
// rounding, and that the seeded source repeats for a seed and stays within its bound.

#include "jobs/outbox_backoff.hpp"

#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "support/money_test_support.hpp"

namespace gw::jobs {
namespace {


TEST(OutboxBackoff, DoublesFromTheBaseForEachFailedAttempt) {
    EXPECT_EQ(backoff_ms(1, 1'000, 300'000), 1'000);
    EXPECT_EQ(backoff_ms(2, 1'000, 300'000), 2'000);
    EXPECT_EQ(backoff_ms(3, 1'000, 300'000), 4'000);
    EXPECT_EQ(backoff_ms(9, 1'000, 300'000), 256'000);
}

TEST(OutboxBackoff, StopsAtTheCeilingOnBothSidesOfIt) {
    EXPECT_EQ(backoff_ms(3, 1'000, 4'000), 4'000);  // exactly the ceiling
    EXPECT_EQ(backoff_ms(3, 1'000, 3'999), 3'999);  // one over: capped
    EXPECT_EQ(backoff_ms(3, 1'000, 4'001), 4'000);  // one under: not capped
    EXPECT_EQ(backoff_ms(10, 1'000, 300'000), 300'000);
    EXPECT_EQ(backoff_ms(1, 5'000, 5'000), 5'000);  // base equal to the ceiling
}

TEST(OutboxBackoff, NeverOverflowsForHugeAttemptsOrCeilings) {
    EXPECT_EQ(backoff_ms(std::numeric_limits<int>::max(), 1, 300'000), 300'000);
    EXPECT_EQ(backoff_ms(63, 1, kInt64Max), std::int64_t{1} << 62);
    EXPECT_EQ(backoff_ms(64, 1, kInt64Max), kInt64Max);
    EXPECT_EQ(backoff_ms(1'000, 3, kInt64Max), kInt64Max);
}

TEST(OutboxBackoff, JitterBoundIsTheFlooredPercentage) {
    EXPECT_EQ(jitter_ms_bound(1'000, 20), 200);
    EXPECT_EQ(jitter_ms_bound(999, 20), 199);  // 199.8 rounds down
    EXPECT_EQ(jitter_ms_bound(1'000, 0), 0);
    EXPECT_EQ(jitter_ms_bound(1'000, 100), 1'000);
    EXPECT_EQ(jitter_ms_bound(0, 50), 0);
    EXPECT_EQ(jitter_ms_bound(kInt64Max, 100), kInt64Max);
    EXPECT_EQ(jitter_ms_bound(kInt64Max, 50), kInt64Max / 2);
}

TEST(OutboxBackoff, SeededJitterRepeatsForASeedAndStaysInBounds) {
    OutboxJitter first = seeded_jitter(42);
    OutboxJitter second = seeded_jitter(42);
    OutboxJitter other = seeded_jitter(43);
    std::vector<std::int64_t> a;
    std::vector<std::int64_t> b;
    std::vector<std::int64_t> c;
    for (int i = 0; i < 100; ++i) {
        a.push_back(first(1'000));
        b.push_back(second(1'000));
        c.push_back(other(1'000));
        EXPECT_GE(a.back(), 0);
        EXPECT_LE(a.back(), 1'000);
    }
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    EXPECT_EQ(first(0), 0);
}

TEST(OutboxBackoff, FixedJitterIsClampedToTheBound) {
    OutboxJitter jitter = fixed_jitter(150);
    EXPECT_EQ(jitter(1'000), 150);
    EXPECT_EQ(jitter(150), 150);
    EXPECT_EQ(jitter(149), 149);
    EXPECT_EQ(jitter(0), 0);
}

}  // namespace
}  // namespace gw::jobs
