// Proves Nairobi time handling: every text shape is UTC+3 (including across midnight and the
// year end), Timestamp validation refuses impossible dates and times,
// and a Nairobi day starts at 21:00 UTC the evening before. Also that SimClock only moves
// forward by what it is told.

#include "daraja-sim/nairobi_time.hpp"

#include <gtest/gtest.h>

namespace gw::sim {
namespace {

TimePoint utc(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
    return TimePoint(
        std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d)) +
        std::chrono::hours(hh) + std::chrono::minutes(mm) + std::chrono::seconds(ss));
}

TEST(NairobiTime, Shapes) {
    const TimePoint at = utc(2025, 3, 1, 11, 30, 5);
    EXPECT_EQ(nairobi_compact(at), "20250301143005");
    EXPECT_EQ(nairobi_checkout_stamp(at), "01032025143005");
    EXPECT_EQ(nairobi_dotted(at), "01.03.2025 14:30:05");
    EXPECT_EQ(nairobi_dashed(at), "01-03-2025 14:30:05");
    EXPECT_EQ(nairobi_date_compact(at), "20250301");
}

TEST(NairobiTime, CrossesMidnightAndYearEnd) {
    EXPECT_EQ(nairobi_compact(utc(2024, 12, 31, 21, 0, 0)), "20250101000000");
    EXPECT_EQ(nairobi_compact(utc(2024, 12, 31, 20, 59, 59)), "20241231235959");
    EXPECT_EQ(nairobi_day(utc(2024, 12, 31, 21, 0, 0)),
              std::chrono::sys_days(std::chrono::year(2025) / 1 / 1));
}

TEST(NairobiTime, DayStart) {
    const auto day = std::chrono::sys_days(std::chrono::year(2025) / 3 / 1);
    EXPECT_EQ(nairobi_day_start(day), utc(2025, 2, 28, 21, 0, 0));
}

TEST(NairobiTime, CompactTimestampValidation) {
    EXPECT_TRUE(is_compact_timestamp("20250301143005"));
    EXPECT_TRUE(is_compact_timestamp("20240229235959"));
    EXPECT_FALSE(is_compact_timestamp("20250229000000"));
    EXPECT_FALSE(is_compact_timestamp("20250001000000"));
    EXPECT_FALSE(is_compact_timestamp("20250301240000"));
    EXPECT_FALSE(is_compact_timestamp("20250301006000"));
    EXPECT_FALSE(is_compact_timestamp("20250301000060"));
    EXPECT_FALSE(is_compact_timestamp("2025030114300"));
    EXPECT_FALSE(is_compact_timestamp("2025-03-01 14:"));
}

TEST(SimClock, AdvancesByOffset) {
    SimClock clock;
    const TimePoint before = clock.now();
    clock.advance(std::chrono::seconds(3600));
    EXPECT_EQ(clock.offset(), std::chrono::seconds(3600));
    EXPECT_GE(clock.now() - before, std::chrono::seconds(3600));
    clock.reset();
    EXPECT_EQ(clock.offset(), std::chrono::seconds(0));
}

TEST(SimClock, FrozenMovesOnlyByAdvance) {
    SimClock clock;
    const TimePoint start = utc(2025, 3, 1, 9, 0, 0);
    clock.freeze(start);
    EXPECT_EQ(clock.now(), start);
    clock.advance(std::chrono::seconds(119));
    EXPECT_EQ(clock.now(), start + std::chrono::seconds(119));
}

}  // namespace
}  // namespace gw::sim
