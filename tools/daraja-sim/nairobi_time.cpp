#include "daraja-sim/nairobi_time.hpp"

#include "daraja-sim/wire.hpp"

namespace gw::sim {
namespace {

struct Fields {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    std::int64_t hours = 0;
    std::int64_t minutes = 0;
    std::int64_t seconds = 0;
};

Fields nairobi_fields(TimePoint at) {
    const auto local = std::chrono::floor<std::chrono::seconds>(at) + kNairobiUtcOffset;
    const auto day = std::chrono::floor<std::chrono::days>(local);
    const std::chrono::year_month_day date{day};
    const std::chrono::hh_mm_ss time{local - day};
    return Fields{static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()),
                  static_cast<std::int64_t>(time.hours().count()),
                  static_cast<std::int64_t>(time.minutes().count()),
                  static_cast<std::int64_t>(time.seconds().count())};
}

std::string two(std::int64_t value) {
    return std::string(1, static_cast<char>('0' + value / 10)) +
           static_cast<char>('0' + value % 10);
}

std::string four(int value) {
    std::string text = std::to_string(value);
    text.insert(0, text.size() < 4 ? 4 - text.size() : 0, '0');
    return text;
}

int number(std::string_view digits) {
    int value = 0;
    for (char c : digits) {
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<std::chrono::sys_days> make_day(int year, int month, int day) {
    const std::chrono::year_month_day date{std::chrono::year(year),
                                           std::chrono::month(static_cast<unsigned>(month)),
                                           std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok()) {
        return std::nullopt;
    }
    return std::chrono::sys_days(date);
}

}  // namespace

std::string nairobi_compact(TimePoint at) {
    const Fields f = nairobi_fields(at);
    return four(f.year) + two(f.month) + two(f.day) + two(f.hours) + two(f.minutes) +
           two(f.seconds);
}

std::string nairobi_checkout_stamp(TimePoint at) {
    const Fields f = nairobi_fields(at);
    return two(f.day) + two(f.month) + four(f.year) + two(f.hours) + two(f.minutes) +
           two(f.seconds);
}

std::string nairobi_dotted(TimePoint at) {
    const Fields f = nairobi_fields(at);
    return two(f.day) + "." + two(f.month) + "." + four(f.year) + " " + two(f.hours) + ":" +
           two(f.minutes) + ":" + two(f.seconds);
}

std::string nairobi_dashed(TimePoint at) {
    const Fields f = nairobi_fields(at);
    return two(f.day) + "-" + two(f.month) + "-" + four(f.year) + " " + two(f.hours) + ":" +
           two(f.minutes) + ":" + two(f.seconds);
}

std::string nairobi_date_compact(TimePoint at) {
    return nairobi_compact(at).substr(0, 8);
}

std::chrono::sys_days nairobi_day(TimePoint at) {
    return std::chrono::floor<std::chrono::days>(at + kNairobiUtcOffset);
}

TimePoint nairobi_day_start(std::chrono::sys_days day) {
    return TimePoint(std::chrono::duration_cast<std::chrono::microseconds>(
        (day - kNairobiUtcOffset).time_since_epoch()));
}

bool is_compact_timestamp(std::string_view text) {
    if (text.size() != 14 || !all_digits(text, 14)) {
        return false;
    }
    if (!make_day(
            number(text.substr(0, 4)), number(text.substr(4, 2)), number(text.substr(6, 2)))) {
        return false;
    }
    return number(text.substr(8, 2)) <= 23 && number(text.substr(10, 2)) <= 59 &&
           number(text.substr(12, 2)) <= 59;
}

}  // namespace gw::sim
