#include "core/money.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "core/assert.hpp"

namespace gw {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

// What a parser needs to know about one text form: its decimal places and how to name it in a
// client-facing error sentence.
struct DecimalForm {
    int decimals;
    std::string_view noun;  // "gram amount", "KES amount", "price per gram"
};

constexpr DecimalForm kGramsForm{kGramDecimals, "gram amount"};
constexpr DecimalForm kKesForm{kKesDecimals, "KES amount"};
constexpr DecimalForm kPriceForm{kKesDecimals, "price per gram"};

// The pieces of a text that matched the grammar of money.hpp.
struct DecimalParts {
    bool negative = false;
    std::string_view integer_digits;   // "0" or no leading zero; never empty
    std::string_view fraction_digits;  // possibly empty
};

bool is_ascii_digit(char c) {
    return c >= '0' && c <= '9';
}

// Length of the run of ASCII digits at the start of `text`.
std::size_t digit_run(std::string_view text) {
    std::size_t n = 0;
    while (n < text.size() && is_ascii_digit(text[n])) {
        ++n;
    }
    return n;
}

// Splits `text` per the grammar [-](0|[1-9][0-9]*)[.[0-9]+], or returns nullopt.
std::optional<DecimalParts> split_decimal(std::string_view text) {
    DecimalParts parts;
    if (!text.empty() && text.front() == '-') {
        parts.negative = true;
        text.remove_prefix(1);
    }
    const std::size_t integer_length = digit_run(text);
    if (integer_length == 0) {
        return std::nullopt;  // "", "-", ".5", "+1", "abc", "NaN"
    }
    parts.integer_digits = text.substr(0, integer_length);
    if (integer_length > 1 && parts.integer_digits.front() == '0') {
        return std::nullopt;  // "007.5", "00"
    }
    text.remove_prefix(integer_length);
    if (text.empty()) {
        return parts;
    }
    if (text.front() != '.') {
        return std::nullopt;  // "1e3", "0x10", "1 ", "1,5"
    }
    text.remove_prefix(1);
    const std::size_t fraction_length = digit_run(text);
    if (fraction_length == 0 || fraction_length != text.size()) {
        return std::nullopt;  // "1.", "1.2.3", "1.5e3"
    }
    parts.fraction_digits = text;
    return parts;
}

constexpr std::int64_t pow10(int exponent) {
    std::int64_t result = 1;
    for (int i = 0; i < exponent; ++i) {
        result *= 10;
    }
    return result;
}

Error too_large_error(const DecimalForm& form, std::int64_t max) {
    std::string detail(form.noun);
    detail += " must not exceed ";
    detail +=
        form.decimals == kGramDecimals ? format_grams(Micrograms{max}) : format_kes(Cents{max});
    return make_error(ErrorCode::amount_too_large, std::move(detail));
}

// Returns the exact count of smallest units in `parts`, or nullopt when it exceeds int64.
// Every step is checked before it multiplies or adds, so nothing can overflow.
// REQUIRES: fraction_digits.size() <= form.decimals.
std::optional<std::int64_t> to_units(const DecimalParts& parts, const DecimalForm& form) {
    std::int64_t whole = 0;
    for (const char c : parts.integer_digits) {
        const std::int64_t digit = c - '0';
        if (whole > (kInt64Max - digit) / 10) {
            return std::nullopt;
        }
        whole = whole * 10 + digit;
    }
    const std::int64_t scale = pow10(form.decimals);
    if (whole > kInt64Max / scale) {
        return std::nullopt;
    }
    std::int64_t fraction = 0;
    for (const char c : parts.fraction_digits) {
        fraction = fraction * 10 + (c - '0');  // at most 6 digits: cannot overflow
    }
    fraction *= pow10(form.decimals - static_cast<int>(parts.fraction_digits.size()));
    if (whole * scale > kInt64Max - fraction) {
        return std::nullopt;
    }
    return whole * scale + fraction;
}

// The one parser behind parse_grams, parse_kes and parse_price_per_gram; the checks run in the
// precedence order documented in money.hpp.
Result<std::int64_t> parse_fixed(std::string_view text, const DecimalForm& form, std::int64_t max) {
    GW_ASSERT(max > 0, "a parse limit comes from config and must be positive");
    const std::string noun(form.noun);
    if (text.size() > kMaxDecimalTextLength) {
        return make_error(ErrorCode::invalid_number_format, noun + " is too long");
    }
    const std::optional<DecimalParts> parts = split_decimal(text);
    if (!parts) {
        return make_error(ErrorCode::invalid_number_format,
                          noun + " must be a plain decimal number such as 12.5");
    }
    if (parts->negative) {
        return make_error(ErrorCode::negative_amount, noun + " must not be negative");
    }
    if (parts->fraction_digits.size() > static_cast<std::size_t>(form.decimals)) {
        return make_error(
            ErrorCode::too_many_decimals,
            noun + " allows at most " + std::to_string(form.decimals) + " decimal places");
    }
    const std::optional<std::int64_t> units = to_units(*parts, form);
    if (!units || *units > max) {
        return too_large_error(form, max);
    }
    if (*units == 0) {
        return make_error(ErrorCode::zero_amount, noun + " must be greater than zero");
    }
    return *units;
}

// Formats `value` smallest units as a decimal with exactly `decimals` places. Works on the
// unsigned magnitude, so INT64_MIN needs no special case.
std::string format_fixed(std::int64_t value, int decimals) {
    const std::uint64_t magnitude = value < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(value)
                                              : static_cast<std::uint64_t>(value);
    const auto scale = static_cast<std::uint64_t>(pow10(decimals));
    std::array<char, 32> buffer{};  // "-" + 20 digits + "." + up to 6 decimals fits
    char* out = buffer.data();
    if (value < 0) {
        *out++ = '-';
    }
    out = std::to_chars(out, buffer.data() + buffer.size(), magnitude / scale).ptr;
    *out++ = '.';
    std::uint64_t fraction = magnitude % scale;
    for (int i = decimals - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + static_cast<char>(fraction % 10));
        fraction /= 10;
    }
    out += decimals;
    return std::string(buffer.data(), out);
}

}  // namespace

Result<Micrograms> parse_grams(std::string_view text, Micrograms max) {
    Result<std::int64_t> units = parse_fixed(text, kGramsForm, max.value());
    if (!units) {
        return units.error();
    }
    return Micrograms{*units};
}

Result<Cents> parse_kes(std::string_view text, Cents max) {
    Result<std::int64_t> units = parse_fixed(text, kKesForm, max.value());
    if (!units) {
        return units.error();
    }
    return Cents{*units};
}

Result<PricePerGram> parse_price_per_gram(std::string_view text, PricePerGram max) {
    Result<std::int64_t> units = parse_fixed(text, kPriceForm, max.value());
    if (!units) {
        return units.error();
    }
    return PricePerGram{*units};
}

std::string format_grams(Micrograms amount) {
    return format_fixed(amount.value(), kGramDecimals);
}

std::string format_kes(Cents amount) {
    return format_fixed(amount.value(), kKesDecimals);
}

std::string format_price(PricePerGram price) {
    return format_fixed(price.value(), kKesDecimals);
}

}  // namespace gw
