#include "core/decimal_text.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gw {
namespace {

bool is_ascii_digit(char c) {
    return c >= '0' && c <= '9';
}

std::size_t digit_run(std::string_view text) {
    std::size_t n = 0;
    while (n < text.size() && is_ascii_digit(text[n])) {
        ++n;
    }
    return n;
}

// A JSON number split into sign, significant digits and the position of the decimal point
// within those digits (may lie before the first digit or after the last).
struct JsonNumber {
    bool negative = false;
    std::string digits;      // integer digits followed by fraction digits, never empty
    std::int64_t point = 0;  // digits before the decimal point once the exponent is applied
};

// Parses "e|E [+|-] digits" at the start of `text` and returns the signed exponent, or nullopt
// if malformed, if anything follows it, or if |exponent| > kMaxJsonNumberExponent.
std::optional<int> parse_exponent(std::string_view text) {
    text.remove_prefix(1);  // 'e' or 'E'
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    if (text.empty() || digit_run(text) != text.size()) {
        return std::nullopt;
    }
    int magnitude = 0;
    for (const char c : text) {
        magnitude = magnitude * 10 + (c - '0');
        if (magnitude > kMaxJsonNumberExponent) {
            return std::nullopt;  // checked per digit, so it can never overflow
        }
    }
    return negative ? -magnitude : magnitude;
}

// Splits `text` per RFC 8259: [-] (0 | [1-9][0-9]*) [. [0-9]+] [(e|E) [+|-] [0-9]+].
std::optional<JsonNumber> split_json_number(std::string_view text) {
    JsonNumber number;
    if (!text.empty() && text.front() == '-') {
        number.negative = true;
        text.remove_prefix(1);
    }
    const std::size_t integer_length = digit_run(text);
    if (integer_length == 0 || (integer_length > 1 && text.front() == '0')) {
        return std::nullopt;
    }
    number.digits.assign(text.substr(0, integer_length));
    number.point = static_cast<std::int64_t>(integer_length);
    text.remove_prefix(integer_length);
    if (!text.empty() && text.front() == '.') {
        text.remove_prefix(1);
        const std::size_t fraction_length = digit_run(text);
        if (fraction_length == 0) {
            return std::nullopt;
        }
        number.digits.append(text.substr(0, fraction_length));
        text.remove_prefix(fraction_length);
    }
    if (text.empty()) {
        return number;
    }
    if (text.front() != 'e' && text.front() != 'E') {
        return std::nullopt;
    }
    const std::optional<int> exponent = parse_exponent(text);
    if (!exponent) {
        return std::nullopt;
    }
    number.point += *exponent;
    return number;
}

// Writes the digits with the decimal point placed, then drops leading zeros of the integer
// part (keeping one), so "0.5e1" gives "5" and not "05".
std::string place_point(const JsonNumber& number) {
    const auto length = static_cast<std::int64_t>(number.digits.size());
    std::string integer;
    std::string fraction;
    if (number.point <= 0) {
        integer = "0";
        fraction = std::string(static_cast<std::size_t>(-number.point), '0') + number.digits;
    } else if (number.point >= length) {
        integer = number.digits + std::string(static_cast<std::size_t>(number.point - length), '0');
    } else {
        const auto split = static_cast<std::size_t>(number.point);
        integer = number.digits.substr(0, split);
        fraction = number.digits.substr(split);
    }
    const std::size_t first_nonzero = integer.find_first_not_of('0');
    integer.erase(0, first_nonzero == std::string::npos ? integer.size() - 1 : first_nonzero);
    std::string result = number.negative ? "-" : "";
    result += integer;
    if (!fraction.empty()) {
        result += '.';
        result += fraction;
    }
    return result;
}

}  // namespace

std::optional<std::string> plain_decimal_from_json_number_text(std::string_view text) {
    if (text.size() > kMaxJsonNumberTextLength) {
        return std::nullopt;
    }
    const std::optional<JsonNumber> number = split_json_number(text);
    if (!number) {
        return std::nullopt;
    }
    return place_point(*number);
}

}  // namespace gw
