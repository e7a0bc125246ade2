#pragma once

// The purity of a pool's gold as millesimal fineness with one decimal ("999.9" = 24 carat
// investment bar, "995.0" = good delivery), kept as an integer count of tenths (9999, 9950).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace gw::trading {

struct Fineness {
    std::int32_t tenths = 0;  // 1..10000

    friend bool operator==(Fineness, Fineness) = default;
};

// Parses "999.9", "995", "916.7"; at most one decimal, 0 < value <= 1000.
// Error: validation_failed naming `purity`.
Result<Fineness> parse_fineness(std::string_view text);

// Formats with one decimal: "999.9".
std::string format_fineness(Fineness fineness);

}  // namespace gw::trading
