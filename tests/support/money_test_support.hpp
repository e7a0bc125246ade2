#pragma once

// What the money tests share: printers (GoogleTest looks them up by the name PrintTo, so a
// failure shows "1.250000 g" or "amount_too_large", not bytes), the int64 limit and code_of.
// Header-only, so that every test binary may use it without the integration support library.

#include <cstdint>
#include <limits>
#include <ostream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/money.hpp"

namespace gw {

// NOLINTBEGIN(readability-identifier-naming)
inline void PrintTo(Micrograms v, std::ostream* os) {
    *os << format_grams(v) << " g";
}
inline void PrintTo(Cents v, std::ostream* os) {
    *os << "KES " << format_kes(v);
}
inline void PrintTo(PricePerGram v, std::ostream* os) {
    *os << "KES " << format_price(v) << "/g";
}
inline void PrintTo(ErrorCode code, std::ostream* os) {
    *os << to_string(code);
}
// NOLINTEND(readability-identifier-naming)

inline constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

// The error code of a failed Result; records a test failure if it succeeded.
template <typename T>
ErrorCode code_of(const Result<T>& result) {
    EXPECT_FALSE(result.has_value());
    return result.has_value() ? ErrorCode::internal_error : result.error().code;
}

}  // namespace gw
