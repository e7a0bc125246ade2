#pragma once

// Exact quantities of gold and Kenyan shillings (DESIGN §4). Every amount is an int64 count of
// the smallest unit: micrograms of gold, cents of KES, cents of KES per gram. Each unit is its
// own type with an explicit constructor and no conversions, so grams can never be added to
// shillings by accident. Arithmetic goes through checked_add/checked_sub, which report overflow
// as an Error instead of wrapping. The rounding rules that convert between units live in
// core/rounding.hpp and nowhere else.
//
// Text form (API, admin console, logs): plain decimal strings. Parsing accepts exactly
//     [ "-" ] ( "0" | [1-9][0-9]* ) [ "." [0-9]+ ]
// and then rejects the minus sign, so a negative amount gets its own error code. Leading zeros
// ("007.5", "00.5") are rejected: JSON forbids them too, and some clients read "010" as octal.
// "0.5" is accepted. Only ASCII digits count; no whitespace, sign "+", exponent, hex, NaN or Inf.
//
// Rejection precedence (the first that applies wins):
//   1. longer than kMaxDecimalTextLength bytes, or not the grammar above -> invalid_number_format
//   2. leading "-"                                                      -> negative_amount
//   3. more decimal places than the unit allows, even zeros ("1.0000000") -> too_many_decimals
//   4. above the caller's max (or beyond int64)                         -> amount_too_large
//   5. equal to zero ("0", "0.000000")                                  -> zero_amount
// Error::detail is one short sentence safe to show a client; it never echoes the input.

#include <compare>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace gw {

inline constexpr std::int64_t kMicrogramsPerGram = 1'000'000;
inline constexpr std::int64_t kCentsPerShilling = 100;

// Decimal places of each text form: grams to the microgram, KES (and KES per gram) to the cent.
inline constexpr int kGramDecimals = 6;
inline constexpr int kKesDecimals = 2;

// Inputs longer than this are rejected as invalid_number_format before any other work. The
// longest valid amount, INT64_MAX micrograms, is "9223372036854.775807" (20 bytes).
inline constexpr std::size_t kMaxDecimalTextLength = 64;

// A mass of gold in micrograms (1 g = kMicrogramsPerGram). Ledger views may hold negatives.
class Micrograms {
public:
    constexpr Micrograms() = default;
    constexpr explicit Micrograms(std::int64_t value) : value_(value) {}

    constexpr std::int64_t value() const { return value_; }

    friend constexpr bool operator==(Micrograms, Micrograms) = default;
    friend constexpr std::strong_ordering operator<=>(Micrograms a, Micrograms b) {
        return a.value_ <=> b.value_;
    }

private:
    std::int64_t value_ = 0;
};

// An amount of Kenyan shillings in cents (1 KES = kCentsPerShilling). M-Pesa moves whole
// shillings only; see require_whole_shillings in core/rounding.hpp.
class Cents {
public:
    constexpr Cents() = default;
    constexpr explicit Cents(std::int64_t value) : value_(value) {}

    constexpr std::int64_t value() const { return value_; }

    friend constexpr bool operator==(Cents, Cents) = default;
    friend constexpr std::strong_ordering operator<=>(Cents a, Cents b) {
        return a.value_ <=> b.value_;
    }

private:
    std::int64_t value_ = 0;
};

// A price of gold: cents of KES per whole gram (KES 8,500.00/g is PricePerGram{850'000}).
class PricePerGram {
public:
    constexpr PricePerGram() = default;
    constexpr explicit PricePerGram(std::int64_t value) : value_(value) {}

    constexpr std::int64_t value() const { return value_; }

    friend constexpr bool operator==(PricePerGram, PricePerGram) = default;
    friend constexpr std::strong_ordering operator<=>(PricePerGram a, PricePerGram b) {
        return a.value_ <=> b.value_;
    }

private:
    std::int64_t value_ = 0;
};

// The three exact quantity types; checked arithmetic is defined for these only.
template <typename T>
concept ExactQuantity =
    std::same_as<T, Micrograms> || std::same_as<T, Cents> || std::same_as<T, PricePerGram>;

// Returns a + b, or amount_too_large when the exact sum does not fit in int64 (either sign).
template <ExactQuantity T>
[[nodiscard]] Result<T> checked_add(T a, T b) {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(a.value(), b.value(), &sum)) {
        return make_error(ErrorCode::amount_too_large, "the sum of the amounts is too large");
    }
    return T{sum};
}

// Returns a - b, or amount_too_large when the exact difference does not fit in int64.
template <ExactQuantity T>
[[nodiscard]] Result<T> checked_sub(T a, T b) {
    std::int64_t difference = 0;
    if (__builtin_sub_overflow(a.value(), b.value(), &difference)) {
        return make_error(ErrorCode::amount_too_large,
                          "the difference of the amounts is too large");
    }
    return T{difference};
}

// Parses a gram amount with at most 6 decimals ("1.25" -> Micrograms{1'250'000}).
// Returns a value in [1, max]; errors as listed at the top of this file.
// REQUIRES: max.value() > 0 (a limit from config, not from a client).
[[nodiscard]] Result<Micrograms> parse_grams(std::string_view text, Micrograms max);

// Parses a KES amount with at most 2 decimals ("1500.5" -> Cents{150'050}).
// Returns a value in [1, max]; errors as listed at the top of this file.
// REQUIRES: max.value() > 0.
[[nodiscard]] Result<Cents> parse_kes(std::string_view text, Cents max);

// Parses a price in KES per gram with at most 2 decimals ("8500" -> PricePerGram{850'000}).
// Returns a value in [1, max]; errors as listed at the top of this file.
// REQUIRES: max.value() > 0.
[[nodiscard]] Result<PricePerGram> parse_price_per_gram(std::string_view text, PricePerGram max);

// Formats grams with exactly 6 decimals: Micrograms{1'250'000} -> "1.250000". Negative values
// get a leading '-' ("-0.000001"); every int64 including INT64_MIN formats exactly.
std::string format_grams(Micrograms amount);

// Formats KES with exactly 2 decimals: Cents{150'000} -> "1500.00"; negatives as "-0.50".
std::string format_kes(Cents amount);

// Formats a price in KES per gram with exactly 2 decimals: PricePerGram{850'000} -> "8500.00".
std::string format_price(PricePerGram price);

}  // namespace gw
