// Proves Daraja timestamps are Nairobi time (UTC+3, no daylight saving) both ways, across a
// day boundary and a leap day, and that anything but 14 digits of a real instant is refused.

#include "mpesa/nairobi_time.hpp"

#include <gtest/gtest.h>

#include "core/time_text.hpp"

namespace gw::mpesa {
namespace {

TEST(NairobiTime, IsThreeHoursAheadOfUtc) {
    EXPECT_EQ(daraja_timestamp(*parse_rfc3339("2025-03-01T11:30:05Z")), "20250301143005");
    EXPECT_EQ(daraja_timestamp(*parse_rfc3339("2025-12-31T22:59:59.999999Z")), "20260101015959");
    EXPECT_EQ(daraja_timestamp(*parse_rfc3339("2028-02-28T21:00:00Z")), "20280229000000");
    EXPECT_EQ(daraja_timestamp(*parse_rfc3339("2026-07-01T00:00:00Z")), "20260701030000")
        << "no daylight saving in July";
}

TEST(NairobiTime, ParsesBackToTheSameInstant) {
    const TimePoint at = *parse_rfc3339("2025-03-01T11:30:05Z");
    EXPECT_EQ(parse_daraja_timestamp("20250301143005"), at);
    EXPECT_EQ(parse_daraja_timestamp(daraja_timestamp(at)), at);
}

TEST(NairobiTime, RefusesWhatIsNotAnInstant) {
    for (const char* text : {"",
                             "2025030114300",
                             "202503011430055",
                             "2025-03-01 14:30",
                             "20250230143005",
                             "20250301243005",
                             "20250301146005",
                             "20250301143060",
                             "2025030114300x",
                             "20251301143005"}) {
        EXPECT_FALSE(parse_daraja_timestamp(text).has_value()) << text;
    }
}

}  // namespace
}  // namespace gw::mpesa
