#include "trading/allocation.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "trading/trade.hpp"

namespace gw::trading {
namespace {

std::vector<PoolSupply> pools(std::initializer_list<std::int64_t> available) {
    std::vector<PoolSupply> supply;
    std::int64_t account = 10;
    for (std::int64_t grams : available) {
        supply.push_back({"pool-" + std::to_string(account), account, Micrograms{grams}});
        ++account;
    }
    return supply;
}

TEST(Allocation, TheFirstPoolThatHoldsEnoughGivesEverything) {
    const auto allocations = allocate(pools({5, 100}), Micrograms{5});
    ASSERT_EQ(allocations.size(), 1u);
    EXPECT_EQ(allocations[0].pool_id, "pool-10");
    EXPECT_EQ(allocations[0].account_id, 10);
    EXPECT_EQ(allocations[0].grams, Micrograms{5});
}

TEST(Allocation, ABuySpansPoolsInOrderAndSkipsEmptyOnes) {
    const auto allocations = allocate(pools({2, 0, 3, 100}), Micrograms{7});
    ASSERT_EQ(allocations.size(), 3u);
    EXPECT_EQ(allocations[0].grams, Micrograms{2});
    EXPECT_EQ(allocations[1].pool_id, "pool-12");
    EXPECT_EQ(allocations[1].grams, Micrograms{3});
    EXPECT_EQ(allocations[2].pool_id, "pool-13");
    EXPECT_EQ(allocations[2].grams, Micrograms{2});
}

TEST(Allocation, ExactlyWhatThePoolsHoldIsEnoughAndOneMicrogramMoreIsNot) {
    EXPECT_EQ(allocate(pools({2, 3}), Micrograms{5}).size(), 2u);
    EXPECT_TRUE(allocate(pools({2, 3}), Micrograms{6}).empty());
    EXPECT_TRUE(allocate({}, Micrograms{1}).empty());
}

TEST(Allocation, NegativeAvailabilityNeverAllocatesOrCounts) {
    EXPECT_TRUE(allocate(pools({-5, 3}), Micrograms{4}).empty());
    EXPECT_EQ(total_available(pools({-5, 3})), Micrograms{3});
}

TEST(Allocation, TotalSaturatesInsteadOfOverflowing) {
    const std::int64_t max = std::numeric_limits<std::int64_t>::max();
    EXPECT_EQ(total_available(pools({max, max})), Micrograms{max});
    EXPECT_EQ(total_available(pools({4, 5})), Micrograms{9});
}

TEST(TradeFailure, ResultCodesMapToStableReasons) {
    EXPECT_EQ(failure_reason("1032"), "cancelled");
    EXPECT_EQ(failure_reason("2001"), "wrong_pin");
    EXPECT_EQ(failure_reason("1"), "insufficient_funds");
    EXPECT_EQ(failure_reason("1037"), "timeout");
    EXPECT_EQ(failure_reason("SFC_IC0003"), "payment_failed");
    EXPECT_EQ(failure_reason(""), "payment_failed");
}

}  // namespace
}  // namespace gw::trading
