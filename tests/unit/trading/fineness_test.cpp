// Proves purity parsing: one optional decimal, bounds (0 < value <= 1000.0) on both sides, and
// that formatting round-trips.

#include "trading/fineness.hpp"

#include <gtest/gtest.h>

namespace gw::trading {
namespace {

TEST(Fineness, ParsesAndFormats) {
    EXPECT_EQ(parse_fineness("999.9")->tenths, 9999);
    EXPECT_EQ(parse_fineness("995")->tenths, 9950);
    EXPECT_EQ(parse_fineness("1000.0")->tenths, 10000);
    EXPECT_EQ(parse_fineness("0.1")->tenths, 1);
    EXPECT_EQ(format_fineness(Fineness{9999}), "999.9");
    EXPECT_EQ(format_fineness(Fineness{9160}), "916.0");
    EXPECT_EQ(format_fineness(*parse_fineness("916.7")), "916.7");
}

TEST(Fineness, RejectsOutOfRangeAndMalformed) {
    for (const char* text : {"0", "0.0", "1000.1", "1001", "", ".5", "99.99", "abc", "99a", "-1",
                             "999.", "12345"}) {
        const auto parsed = parse_fineness(text);
        ASSERT_FALSE(parsed.has_value()) << text;
        EXPECT_EQ(parsed.error().code, ErrorCode::validation_failed) << text;
    }
}

}  // namespace
}  // namespace gw::trading
