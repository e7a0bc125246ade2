// Proves the crash point names: every listed name is recognised, others are not, and an
// unarmed point (and a point other than the armed one) lets the process go on. Reaching the
// armed point is proved by tests/e2e/crash_recovery_test.cpp, where the node dies by SIGKILL.

#include "core/crash_point.hpp"

#include <csignal>
#include <cstdlib>

#include <gtest/gtest.h>

namespace gw {
namespace {

TEST(CrashPoint, NamesAreTheListedOnes) {
    for (const std::string_view name : kCrashPoints) {
        EXPECT_TRUE(is_crash_point(name)) << name;
    }
    for (const std::string_view name : {"", "stk", "stk.sent ", "STK.SENT", "buy.reserved.x"}) {
        EXPECT_FALSE(is_crash_point(name)) << name;
    }
}

TEST(CrashPoint, OnlyTheArmedPointKills) {
    crash_point("stk.sent");  // nothing armed yet in this process
    EXPECT_EXIT(
        {
            arm_crash_point("stk.sent");
            crash_point("buy.reserved");
            crash_point("callback.stored");
            std::exit(0);
        },
        ::testing::ExitedWithCode(0), "");
    EXPECT_EXIT(
        {
            arm_crash_point("stk.sent");
            crash_point("stk.sent");
            std::exit(0);
        },
        ::testing::KilledBySignal(SIGKILL), "");
}

}  // namespace
}  // namespace gw
