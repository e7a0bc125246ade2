#include "core/time_text.hpp"

#include <algorithm>
#include <cctype>

#include "core/assert.hpp"

namespace gw {
namespace {

std::string two(unsigned value) {
    return std::string(1, static_cast<char>('0' + value / 10)) +
           static_cast<char>('0' + value % 10);
}

// The year as the four digits RFC 3339 and ISO 8601 days carry ("0282", not "282"). Years
// outside 0–9999, which no parser here accepts, are written as plain integers.
std::string four(std::chrono::year year) {
    const int value = static_cast<int>(year);
    if (value < 0 || value > 9999) {
        return std::to_string(value);
    }
    const auto digits = static_cast<unsigned>(value);
    return two(digits / 100) + two(digits % 100);
}

bool digits(std::string_view text, std::size_t from, std::size_t count, int& out) {
    if (from + count > text.size()) {
        return false;
    }
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
        if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) {
            return false;
        }
        value = value * 10 + (text[i] - '0');
    }
    out = value;
    return true;
}

}  // namespace

std::string format_rfc3339(TimePoint at) {
    using namespace std::chrono;
    const auto day = floor<days>(at);
    const year_month_day date{day};
    const hh_mm_ss time{at - day};
    std::string micros = std::to_string(time.subseconds().count());
    micros.insert(0, 6 - micros.size(), '0');
    return four(date.year()) + "-" +
           two(static_cast<unsigned>(date.month())) + "-" + two(static_cast<unsigned>(date.day())) +
           "T" + two(static_cast<unsigned>(time.hours().count())) + ":" +
           two(static_cast<unsigned>(time.minutes().count())) + ":" +
           two(static_cast<unsigned>(time.seconds().count())) + "." + micros + "Z";
}

std::string rfc3339_from_pg(std::string_view pg_text) {
    if (pg_text.size() < 22 || pg_text[10] != ' ' || !pg_text.ends_with("+00")) {
        return std::string(pg_text);
    }
    std::string text(pg_text.substr(0, pg_text.size() - 3));
    text[10] = 'T';
    // Six fraction digits always, as format_rfc3339 writes them: one instant, one text.
    const std::size_t dot = text.find('.', 19);
    const std::size_t digits = dot == std::string::npos ? 0 : text.size() - dot - 1;
    if (dot == std::string::npos) {
        text += '.';
    }
    text.append(6 - std::min<std::size_t>(digits, 6), '0');
    return text + "Z";
}

std::optional<TimePoint> parse_rfc3339(std::string_view text) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (text.size() < 20 || !digits(text, 0, 4, year) || text[4] != '-' ||
        !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) ||
        text[10] != 'T' || !digits(text, 11, 2, hour) || text[13] != ':' ||
        !digits(text, 14, 2, minute) || text[16] != ':' || !digits(text, 17, 2, second) ||
        text.back() != 'Z') {
        return std::nullopt;
    }
    std::int64_t micros = 0;
    const std::string_view rest = text.substr(19, text.size() - 20);
    if (!rest.empty()) {
        if (rest.front() != '.' || rest.size() < 2 || rest.size() > 7) {
            return std::nullopt;
        }
        int fraction = 0;
        if (!digits(rest, 1, rest.size() - 1, fraction)) {
            return std::nullopt;
        }
        micros = fraction;
        for (std::size_t i = rest.size() - 1; i < 6; ++i) {
            micros *= 10;
        }
    }
    using namespace std::chrono;
    const year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                              std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok() || hour > 23 || minute > 59 || second > 59) {
        return std::nullopt;
    }
    return TimePoint(sys_days(date)) + hours(hour) + minutes(minute) + seconds(second) +
           microseconds(micros);
}

TimePoint time_from_pg(std::string_view pg_text) {
    const auto at = parse_rfc3339(rfc3339_from_pg(pg_text));
    GW_ASSERT(at.has_value(), "PostgreSQL prints timestamptz in UTC as ISO 8601");
    return *at;
}

std::string format_iso_day(std::chrono::sys_days day) {
    const std::chrono::year_month_day date{day};
    return four(date.year()) + "-" + two(static_cast<unsigned>(date.month())) + "-" +
           two(static_cast<unsigned>(date.day()));
}

std::optional<std::chrono::sys_days> parse_iso_day(std::string_view text) {
    int year = 0;
    int month = 0;
    int day = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4, year) ||
        !digits(text, 5, 2, month) || !digits(text, 8, 2, day)) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year{year},
                                           std::chrono::month{static_cast<unsigned>(month)},
                                           std::chrono::day{static_cast<unsigned>(day)}};
    if (!date.ok()) {
        return std::nullopt;
    }
    return std::chrono::sys_days{date};
}

}  // namespace gw
