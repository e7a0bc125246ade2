// Proves that plain_decimal_from_json_number_text rewrites every JSON number text nlohmann-json
// can print ("1.25", "1e-07", "1.5e+20", "-0.5") into the exact plain decimal with the same
// digits, refuses text outside the RFC 8259 number grammar and absurd exponents (both sides of
// the 40 limit and of the 64-byte length limit), and that its output fed to the money parsers
// yields the same ErrorCodes a client sending the string form would get.

#include "core/decimal_text.hpp"

#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/money.hpp"
#include "support/money_test_support.hpp"

namespace gw {

namespace {

constexpr Micrograms kNoGramsLimit{std::numeric_limits<std::int64_t>::max()};

TEST(MoneyJsonNumber, RewritesWithoutExponentKeepingEveryDigit) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"1.25", "1.25"},
        {"1e-07", "0.0000001"},
        {"1e-06", "0.000001"},
        {"1.5e+20", "150000000000000000000"},
        {"-0.5", "-0.5"},
        {"0", "0"},
        {"-0", "-0"},
        {"0.0", "0.0"},
        {"100", "100"},
        {"1E3", "1000"},
        {"1e+3", "1000"},
        {"1e3", "1000"},
        {"1.50E1", "15.0"},
        {"1.5e1", "15"},
        {"1.5e0", "1.5"},
        {"1.5e-0", "1.5"},
        {"0.5e1", "5"},
        {"0.05e1", "0.5"},
        {"0e5", "0"},
        {"0.0e-3", "0.0000"},
        {"123.456e-2", "1.23456"},
        {"123.456e2", "12345.6"},
        {"123.456e3", "123456"},
        {"123.456e-3", "0.123456"},
        {"-2.5e-1", "-0.25"},
        {"0.30000000000000004", "0.30000000000000004"},
        {"18446744073709551615", "18446744073709551615"},
        {"1e007", "10000000"},
    };
    for (const auto& [text, expected] : cases) {
        const std::optional<std::string> plain = plain_decimal_from_json_number_text(text);
        ASSERT_TRUE(plain.has_value()) << text;
        EXPECT_EQ(*plain, expected) << text;
    }
}

TEST(MoneyJsonNumber, ExponentLimitBothSides) {
    EXPECT_EQ(plain_decimal_from_json_number_text("1e40"), "1" + std::string(40, '0'));
    EXPECT_EQ(plain_decimal_from_json_number_text("1e-40"), "0." + std::string(39, '0') + "1");
    EXPECT_EQ(plain_decimal_from_json_number_text("1e+0040"), "1" + std::string(40, '0'));
    EXPECT_EQ(plain_decimal_from_json_number_text("1e41"), std::nullopt);
    EXPECT_EQ(plain_decimal_from_json_number_text("1e-41"), std::nullopt);
    EXPECT_EQ(plain_decimal_from_json_number_text("0e41"), std::nullopt);
    EXPECT_EQ(plain_decimal_from_json_number_text("1e99999999999999999999999"), std::nullopt);
    EXPECT_EQ(plain_decimal_from_json_number_text("1e-99999999999999999999999"), std::nullopt);
    EXPECT_EQ(plain_decimal_from_json_number_text("1e+00000000000000000000041"), std::nullopt);
}

TEST(MoneyJsonNumber, LengthLimitBothSides) {
    const std::string digits_64(kMaxJsonNumberTextLength, '1');
    EXPECT_EQ(plain_decimal_from_json_number_text(digits_64), digits_64);
    EXPECT_EQ(plain_decimal_from_json_number_text(digits_64 + "1"), std::nullopt);
}

TEST(MoneyJsonNumber, RefusesTextOutsideTheJsonNumberGrammar) {
    using namespace std::string_literals;
    for (const std::string& text : std::vector<std::string>{
             "",     "-",        "+1",        "01",   "-01",          "00",     ".5",    "1.",
             "-.5",  "1e",       "1e+",       "1e-",  "1.e3",         "1.5e3x", "1e1.5", "NaN",
             "nan",  "Infinity", "-Infinity", " 1",   "1 ",           "0x1",    "1,5",   "e5",
             "1ee5", "1e+-5",    "--1",       "1\0"s, "\xef\xbc\x91", "1.2.3"}) {
        EXPECT_EQ(plain_decimal_from_json_number_text(text), std::nullopt) << "[" << text << "]";
    }
}

TEST(MoneyJsonNumber, OutputAlwaysMatchesTheMoneyGrammar) {
    // Whatever the rewrite returns, the parser may reject it on its merits but never as
    // malformed: the rewrite never invents leading zeros, exponents or a stray point.
    for (const std::string text : {"1.25",
                                   "1e-07",
                                   "1.5e+20",
                                   "-0.5",
                                   "0.5e1",
                                   "0.05e1",
                                   "0e5",
                                   "0.0e-3",
                                   "1e40",
                                   "1e-40",
                                   "-0",
                                   "5e-1",
                                   "123.456e-2",
                                   "0.000000e+10"}) {
        const std::optional<std::string> plain = plain_decimal_from_json_number_text(text);
        ASSERT_TRUE(plain.has_value()) << text;
        const Result<Micrograms> grams = parse_grams(*plain, kNoGramsLimit);
        if (!grams.has_value()) {
            EXPECT_NE(grams.error().code, ErrorCode::invalid_number_format) << text;
        }
    }
}

// The codes the HTTP layer gets for fractional JSON numbers are the ones of the string form.
TEST(MoneyJsonNumber, FeedsTheGramParserWithTheRightCodes) {
    const auto parse = [](const std::string& json) {
        return parse_grams(plain_decimal_from_json_number_text(json).value(), kNoGramsLimit);
    };
    EXPECT_EQ(parse("1.25").value(), Micrograms{1'250'000});
    EXPECT_EQ(parse("1e-06").value(), Micrograms{1});
    EXPECT_EQ(parse("2.5e+3").value(), Micrograms{2'500'000'000});
    EXPECT_EQ(parse("1e-07").error().code, ErrorCode::too_many_decimals);
    EXPECT_EQ(parse("0.30000000000000004").error().code, ErrorCode::too_many_decimals);
    EXPECT_EQ(parse("1.5e+20").error().code, ErrorCode::amount_too_large);
    EXPECT_EQ(parse("-0.5").error().code, ErrorCode::negative_amount);
    EXPECT_EQ(parse("-0").error().code, ErrorCode::negative_amount);
    EXPECT_EQ(parse("0.0").error().code, ErrorCode::zero_amount);
    EXPECT_EQ(parse("0e5").error().code, ErrorCode::zero_amount);
}

}  // namespace
}  // namespace gw
