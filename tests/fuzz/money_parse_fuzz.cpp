// Fuzz entry point for the exact money parsers (core/money.hpp) and the JSON number rewrite
// (core/decimal_text.hpp). Every input is parsed as grams, KES and a price, each with the
// widest limit (INT64_MAX) and with a small one. The result is compared with an independent
// reference classifier (an explicit state machine plus digit-string comparison, no int64 math),
// in the spirit of Envoy's two-parser fuzz tests. Properties, any violation traps:
//   - parsing never crashes and never yields an ErrorCode outside the documented five;
//   - the ErrorCode equals the reference's, so precedence and limits are exact;
//   - an accepted value is within [1, max], format(x) is the canonical form of the input
//     (decimals padded to the unit's places) and parse(format(x)) == x;
//   - the JSON rewrite of any input either refuses it or yields text the parser never calls
//     malformed.
// Under GCC the checked-in corpus replays through corpus_replay_main.cpp as a unit test.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "core/decimal_text.hpp"
#include "core/error.hpp"
#include "core/money.hpp"

namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

void require(bool property) {
    if (!property) {
        __builtin_trap();
    }
}

// What the reference expects: an ErrorCode, or the canonical text of the accepted value.
struct Expected {
    std::optional<gw::ErrorCode> code;
    std::string canonical;
};

// Compares two non-negative decimal integers written without leading zeros.
bool digits_greater(const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a > b;
}

std::string strip_leading_zeros(const std::string& digits) {
    const std::size_t first = digits.find_first_not_of('0');
    return first == std::string::npos ? "0" : digits.substr(first);
}

// The grammar of money.hpp as an explicit state machine, a different shape from the
// production scanner on purpose. Fills sign, integer and fraction digits; false if no match.
struct Scanned {
    bool negative = false;
    std::string integer;
    std::string fraction;
};

enum class State { start, minus, zero, integer, dot, fraction };

// The transition function; nullopt when `c` cannot follow `state`.
std::optional<State> next_state(State state, char c) {
    const bool digit = c >= '0' && c <= '9';
    switch (state) {
        case State::start:
            if (c == '-') {
                return State::minus;
            }
            [[fallthrough]];
        case State::minus:
            if (c == '0') {
                return State::zero;
            }
            return digit ? std::optional(State::integer) : std::nullopt;
        case State::zero:
            return c == '.' ? std::optional(State::dot) : std::nullopt;
        case State::integer:
            if (c == '.') {
                return State::dot;
            }
            return digit ? std::optional(State::integer) : std::nullopt;
        case State::dot:
        case State::fraction:
            return digit ? std::optional(State::fraction) : std::nullopt;
    }
    return std::nullopt;
}

bool scan_reference(std::string_view text, Scanned& out) {
    State state = State::start;
    for (const char c : text) {
        const std::optional<State> next = next_state(state, c);
        if (!next) {
            return false;
        }
        state = *next;
        if (state == State::minus) {
            out.negative = true;
        } else if (state == State::zero || state == State::integer) {
            out.integer.push_back(c);
        } else if (state == State::fraction) {
            out.fraction.push_back(c);
        }
    }
    return state == State::zero || state == State::integer || state == State::fraction;
}

// Independent model of the documented grammar and precedence, written without int64 math.
Expected reference(std::string_view text, int decimals, std::int64_t max) {
    Scanned scanned;
    if (text.size() > gw::kMaxDecimalTextLength || !scan_reference(text, scanned)) {
        return {gw::ErrorCode::invalid_number_format, {}};
    }
    if (scanned.negative) {
        return {gw::ErrorCode::negative_amount, {}};
    }
    std::string fraction = scanned.fraction;
    if (fraction.size() > static_cast<std::size_t>(decimals)) {
        return {gw::ErrorCode::too_many_decimals, {}};
    }
    fraction.append(static_cast<std::size_t>(decimals) - fraction.size(), '0');
    const std::string units = strip_leading_zeros(scanned.integer + fraction);
    if (digits_greater(units, std::to_string(max))) {
        return {gw::ErrorCode::amount_too_large, {}};
    }
    if (units == "0") {
        return {gw::ErrorCode::zero_amount, {}};
    }
    return {std::nullopt, scanned.integer + "." + fraction};
}

template <typename T, typename Parse, typename Format>
void check_one(std::string_view text, int decimals, std::int64_t max, Parse parse, Format format) {
    const gw::Result<T> result = parse(text, T{max});
    const Expected expected = reference(text, decimals, max);
    if (!result.has_value()) {
        require(expected.code.has_value() && *expected.code == result.error().code);
        require(!result.error().detail.empty() && result.error().detail.size() <= 80);
        return;
    }
    require(!expected.code.has_value());
    const T value = result.value();
    require(value.value() >= 1 && value.value() <= max);
    const std::string formatted = format(value);
    require(formatted == expected.canonical);
    const gw::Result<T> again = parse(formatted, T{max});
    require(again.has_value() && again.value() == value);
}

void check_all(std::string_view text) {
    for (const std::int64_t max : {kInt64Max, std::int64_t{1'000'000'000}}) {
        check_one<gw::Micrograms>(text, gw::kGramDecimals, max, gw::parse_grams, gw::format_grams);
        check_one<gw::Cents>(text, gw::kKesDecimals, max, gw::parse_kes, gw::format_kes);
        check_one<gw::PricePerGram>(
            text, gw::kKesDecimals, max, gw::parse_price_per_gram, gw::format_price);
    }
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the libFuzzer entry point name is fixed.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    check_all(text);

    const std::optional<std::string> plain = gw::plain_decimal_from_json_number_text(text);
    if (plain.has_value()) {
        const gw::Result<gw::Micrograms> grams = gw::parse_grams(*plain, gw::Micrograms{kInt64Max});
        require(grams.has_value() || grams.error().code != gw::ErrorCode::invalid_number_format ||
                plain->size() > gw::kMaxDecimalTextLength);
        check_all(*plain);
    }
    return 0;
}
