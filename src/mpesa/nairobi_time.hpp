#pragma once

// Daraja's clock: Africa/Nairobi, UTC+3 all year (Kenya has no daylight saving time). STK
// Timestamps, callback TransactionDates and Transaction Status times are "yyyyMMddHHmmss" in
// that zone; a timestamp built from a UTC clock breaks the STK Password (DARAJA.md §10).

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace gw::mpesa {

// Returns `at` as Nairobi "yyyyMMddHHmmss" (sub-second part dropped), e.g. 2025-03-01T11:30:05Z
// -> "20250301143005".
std::string daraja_timestamp(TimePoint at);

// Returns the instant a Nairobi "yyyyMMddHHmmss" names, or nullopt when `text` is not exactly
// 14 digits naming a real calendar date and time.
std::optional<TimePoint> parse_daraja_timestamp(std::string_view text);

// Returns the Nairobi calendar day `at` falls on.
std::chrono::sys_days nairobi_day(TimePoint at);

// Returns the instant Nairobi day `day` begins (00:00:00 local = 21:00:00 UTC the day before).
TimePoint nairobi_day_start(std::chrono::sys_days day);

}  // namespace gw::mpesa
