#include "mpesa/nairobi_time.hpp"

#include <cstdio>

namespace gw::mpesa {
namespace {

constexpr std::chrono::hours kNairobiOffset{3};

int digits_value(std::string_view text, std::size_t from, std::size_t count) {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

}  // namespace

std::string daraja_timestamp(TimePoint at) {
    using namespace std::chrono;
    const auto local = floor<seconds>(at) + kNairobiOffset;
    const auto day = floor<days>(local);
    const year_month_day date{day};
    const hh_mm_ss time{local - day};
    char text[40];
    std::snprintf(text,
                  sizeof text,
                  "%04d%02u%02u%02d%02d%02d",
                  static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()),
                  static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return text;
}

std::optional<TimePoint> parse_daraja_timestamp(std::string_view text) {
    using namespace std::chrono;
    if (text.size() != 14 || text.find_first_not_of("0123456789") != std::string_view::npos) {
        return std::nullopt;
    }
    const year_month_day date{year{digits_value(text, 0, 4)},
                              month{static_cast<unsigned>(digits_value(text, 4, 2))},
                              day{static_cast<unsigned>(digits_value(text, 6, 2))}};
    const int hour = digits_value(text, 8, 2);
    const int minute = digits_value(text, 10, 2);
    const int second = digits_value(text, 12, 2);
    if (!date.ok() || hour > 23 || minute > 59 || second > 59) {
        return std::nullopt;
    }
    const auto local = sys_days{date} + hours{hour} + minutes{minute} + seconds{second};
    return time_point_cast<microseconds>(local - kNairobiOffset);
}

std::chrono::sys_days nairobi_day(TimePoint at) {
    return std::chrono::floor<std::chrono::days>(at + kNairobiOffset);
}

TimePoint nairobi_day_start(std::chrono::sys_days day) {
    return std::chrono::time_point_cast<std::chrono::microseconds>(day - kNairobiOffset);
}

}  // namespace gw::mpesa
