#pragma once

// Bridges JSON numbers to the exact decimal parsers of core/money.hpp. The HTTP layer receives
// amounts either as strings ("1.25", preferred) or as JSON numbers. nlohmann-json keeps a JSON
// number with a fraction or exponent as an IEEE-754 binary64 value and prints it back as its
// shortest round-trip text ("1.25", "1e-07", "1.5e+20", "-0.5"). This file turns that text
// into the plain decimal form the money parsers accept, so one grammar and one set of error
// codes applies to both. A value that was not exact in binary shows up as extra digits
// ("0.30000000000000004") and is then rejected by the parser as too_many_decimals.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gw {

// Longest JSON number text accepted (nlohmann prints at most ~25 characters for any number).
inline constexpr std::size_t kMaxJsonNumberTextLength = 64;

// Largest |exponent| accepted; beyond it a value is absurd for money and the digit string
// would only be long.
inline constexpr int kMaxJsonNumberExponent = 40;

// Rewrites JSON number text without an exponent, keeping every digit and the sign:
//   "1.25" -> "1.25", "1e-07" -> "0.0000001", "1.5e+20" -> "150000000000000000000",
//   "-0.5" -> "-0.5", "1.50E1" -> "15.0", "0.5e1" -> "5", "100" -> "100".
// The integer part never has leading zeros, so the result matches the money.hpp grammar and
// can go straight to parse_grams / parse_kes / parse_price_per_gram.
// Returns nullopt when `text` is not a JSON number (RFC 8259 grammar: no "+", no leading
// zeros, no ".5", no "1."), is longer than kMaxJsonNumberTextLength, or has an exponent whose
// magnitude exceeds kMaxJsonNumberExponent.
std::optional<std::string> plain_decimal_from_json_number_text(std::string_view text);

}  // namespace gw
