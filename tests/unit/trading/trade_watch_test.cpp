// Proves the trade watch: an announced end wakes the waiters of that trade only (whatever the
// case of its id), even when it came between registering and waiting; waiters are bounded;
// stopping wakes them all.

#include "trading/trade_watch.hpp"

#include <gtest/gtest.h>

#include <future>

namespace gw::trading {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(TradeWatch, AnAnnouncedEndWakesThatTradesWaiterOnly) {
    TradeWatch watch(4);
    auto waiter = watch.watch("trade-a");
    auto other = watch.watch("trade-b");
    ASSERT_TRUE(waiter && other);
    auto woken = std::async(std::launch::async, [&] {
        const auto started = Clock::now();
        EXPECT_TRUE(waiter->wait_until(Clock::now() + 30s));
        return Clock::now() - started;
    });
    std::this_thread::sleep_for(50ms);
    watch.announce_end("trade-a");
    EXPECT_LT(woken.get(), 10s);
    const auto started = Clock::now();
    EXPECT_TRUE(other->wait_until(Clock::now() + 100ms));
    EXPECT_GE(Clock::now() - started, 100ms) << "trade-b was not announced";
}

TEST(TradeWatch, AnEndAnnouncedBeforeTheWaitIsNotMissed) {
    TradeWatch watch(4);
    auto waiter = watch.watch("trade-a");
    watch.announce_end("trade-a");  // e.g. while the waiter read the trade
    const auto started = Clock::now();
    EXPECT_TRUE(waiter->wait_until(Clock::now() + 30s));
    EXPECT_LT(Clock::now() - started, 10s);
}

TEST(TradeWatch, TradeIdsMatchInEitherCase) {
    TradeWatch watch(4);
    auto waiter = watch.watch("0A1B2C3D-0000-4000-8000-00000000000F");
    watch.announce_end("0a1b2c3d-0000-4000-8000-00000000000f");
    const auto started = Clock::now();
    EXPECT_TRUE(waiter->wait_until(Clock::now() + 30s));
    EXPECT_LT(Clock::now() - started, 10s);
}

TEST(TradeWatch, NoRoomMeansNobodyWaits) {
    TradeWatch watch(0);
    EXPECT_EQ(watch.watch("trade-a"), nullptr);
}

TEST(TradeWatch, RefusesWaitersBeyondItsRoomUntilOneLeaves) {
    TradeWatch watch(2);
    auto first = watch.watch("trade-a");
    auto second = watch.watch("trade-a");
    EXPECT_TRUE(first && second);
    EXPECT_EQ(watch.watch("trade-b"), nullptr);
    EXPECT_EQ(watch.waiting(), 2u);
    first.reset();
    EXPECT_EQ(watch.waiting(), 1u);
    EXPECT_NE(watch.watch("trade-b"), nullptr);
}

TEST(TradeWatch, StoppingWakesEveryWaiterAndRefusesNewOnes) {
    TradeWatch watch(4);
    auto waiter = watch.watch("trade-a");
    auto woken = std::async(std::launch::async, [&] { return waiter->wait_until(Clock::now() + 30s); });
    std::this_thread::sleep_for(50ms);
    watch.stop();
    EXPECT_FALSE(woken.get()) << "waiting is over";
    EXPECT_EQ(watch.watch("trade-b"), nullptr);
}

}  // namespace
}  // namespace gw::trading
