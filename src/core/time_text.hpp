#pragma once

// Timestamps as text: RFC 3339 UTC for the API and as SQL parameters, and the conversion of
// PostgreSQL's timestamptz output (the pool sets TimeZone to UTC) into RFC 3339.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace gw {

// Returns "2026-11-25T00:37:49.123456Z" (always six fraction digits).
std::string format_rfc3339(TimePoint at);

// Turns PostgreSQL's UTC timestamptz text ("2026-11-25 00:37:49.1234+00") into RFC 3339 with
// six fraction digits ("2026-11-25T00:37:49.123400Z"), the same text format_rfc3339 writes.
// Returns the input unchanged when it is not of that shape.
std::string rfc3339_from_pg(std::string_view pg_text);

// Parses RFC 3339 UTC with a 'Z' suffix and an optional fraction of up to 6 digits
// ("2026-11-25T00:37:49Z", "2026-11-25T00:37:49.5Z"). Returns nullopt for anything else.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

// A timestamptz as PostgreSQL prints it with TimeZone UTC (what every pooled connection uses).
// REQUIRES: `pg_text` is such a value (asserted).
TimePoint time_from_pg(std::string_view pg_text);

// Returns `day` as "YYYY-MM-DD".
std::string format_iso_day(std::chrono::sys_days day);

// Parses "YYYY-MM-DD" into a day. Returns nullopt for any other shape or an impossible date.
std::optional<std::chrono::sys_days> parse_iso_day(std::string_view text);

}  // namespace gw
