// Proves the session memo: answers are remembered for the TTL and no longer, forget() and
// clear() drop them, a TTL of zero disables it, and the table stays bounded.

#include "identity/session_cache.hpp"

#include <gtest/gtest.h>

namespace gw::identity {
namespace {

using namespace std::chrono_literals;

const TimePoint kStart{std::chrono::seconds(1'000)};

TEST(SessionCache, RemembersForTheTtlOnly) {
    SessionCache cache(5000ms, 100);
    cache.remember("s1", SessionState{"u1", Role::user}, kStart);
    auto hit = cache.find("s1", kStart + 4999ms);
    ASSERT_TRUE(hit.hit);
    ASSERT_TRUE(hit.state.has_value());
    EXPECT_EQ(hit.state->user_id, "u1");
    EXPECT_FALSE(cache.find("s1", kStart + 5000ms).hit);
    EXPECT_FALSE(cache.find("s1", kStart - 1ms).hit) << "a clock that went back is a miss";
}

TEST(SessionCache, RemembersThatASessionIsDead) {
    SessionCache cache(5000ms, 100);
    cache.remember("dead", std::nullopt, kStart);
    auto hit = cache.find("dead", kStart);
    EXPECT_TRUE(hit.hit);
    EXPECT_FALSE(hit.state.has_value());
}

TEST(SessionCache, ForgetAndClearDropEntries) {
    SessionCache cache(5000ms, 100);
    cache.remember("a", SessionState{"u", Role::user}, kStart);
    cache.remember("b", SessionState{"u", Role::user}, kStart);
    cache.forget("a");
    EXPECT_FALSE(cache.find("a", kStart).hit);
    EXPECT_TRUE(cache.find("b", kStart).hit);
    cache.clear();
    EXPECT_FALSE(cache.find("b", kStart).hit);
}

TEST(SessionCache, ZeroTtlRemembersNothing) {
    SessionCache cache(0ms, 100);
    cache.remember("a", SessionState{"u", Role::user}, kStart);
    EXPECT_FALSE(cache.find("a", kStart).hit);
}

TEST(SessionCache, StaysBounded) {
    SessionCache cache(5000ms, 2);
    cache.remember("a", SessionState{"u", Role::user}, kStart);
    cache.remember("b", SessionState{"u", Role::user}, kStart);
    cache.remember("c", SessionState{"u", Role::user}, kStart);
    EXPECT_FALSE(cache.find("a", kStart).hit) << "a full memo starts over";
    EXPECT_TRUE(cache.find("c", kStart).hit);
}

}  // namespace
}  // namespace gw::identity
