// Proves the Prefer header's wait preference (RFC 7240): found alone or among others, in any
// case, quoted or not, capped; anything else is ignored rather than refused.

#include "http/prefer.hpp"

#include <gtest/gtest.h>

namespace gw::http {
namespace {

using namespace std::chrono_literals;

TEST(PreferredWait, ReadsTheWaitPreferenceAloneOrAmongOthers) {
    EXPECT_EQ(preferred_wait("wait=10", 30s), 10s);
    EXPECT_EQ(preferred_wait("respond-async, wait=5", 30s), 5s);
    EXPECT_EQ(preferred_wait("wait=7, return=minimal", 30s), 7s);
    EXPECT_EQ(preferred_wait(" WAIT = \"3\" ; ignored=1", 30s), 3s);
    EXPECT_EQ(preferred_wait("wait=0", 30s), 0s);
}

TEST(PreferredWait, CapsTheWaitAtTheServersLongest) {
    EXPECT_EQ(preferred_wait("wait=30", 30s), 30s);
    EXPECT_EQ(preferred_wait("wait=31", 30s), 30s);
    EXPECT_EQ(preferred_wait("wait=99999999999999999999999999", 30s), 30s) << "no overflow";
}

TEST(PreferredWait, IgnoresWhatIsNotAWholeNumberOfSeconds) {
    EXPECT_EQ(preferred_wait("", 30s), std::nullopt);
    EXPECT_EQ(preferred_wait("respond-async", 30s), std::nullopt);
    EXPECT_EQ(preferred_wait("wait", 30s), std::nullopt);
    EXPECT_EQ(preferred_wait("wait=", 30s), std::nullopt);
    EXPECT_EQ(preferred_wait("wait=-1", 30s), std::nullopt);
    EXPECT_EQ(preferred_wait("wait=1.5", 30s), std::nullopt);
    EXPECT_EQ(preferred_wait("waiting=5", 30s), std::nullopt);
    EXPECT_EQ(preferred_wait("wait=\"", 30s), std::nullopt);
}

}  // namespace
}  // namespace gw::http
