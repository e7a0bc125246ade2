// Proves that the exact money types of core/money.hpp cannot be mixed up, that checked
// arithmetic reports overflow instead of wrapping, and that the decimal parsers accept exactly
// the documented grammar: every rejection is checked for its EXACT ErrorCode (including the
// precedence between codes), both sides of every limit are probed (caller max, int64, the
// 64-byte length bound), and parse(format(x)) == x holds from 1 unit up to INT64_MAX.

#include "core/money.hpp"

#include <cstdint>
#include <limits>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "support/money_test_support.hpp"

namespace gw {

namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr Micrograms kAnyGrams{kMax};
constexpr Cents kAnyKes{kMax};
constexpr PricePerGram kAnyPrice{kMax};


// ---- types and checked arithmetic ----

template <typename A, typename B>
concept Addable = requires(A a, B b) {
    a + b;
};

TEST(MoneyTypes, UnitsDoNotConvertIntoEachOther) {
    static_assert(!std::is_convertible_v<Micrograms, Cents>);
    static_assert(!std::is_convertible_v<Cents, Micrograms>);
    static_assert(!std::is_convertible_v<Cents, PricePerGram>);
    static_assert(!std::is_constructible_v<Cents, Micrograms>);
    static_assert(!std::is_constructible_v<PricePerGram, Cents>);
    static_assert(!std::is_convertible_v<std::int64_t, Micrograms>, "constructor is explicit");
    static_assert(!std::is_convertible_v<Micrograms, std::int64_t>);
    static_assert(std::is_constructible_v<Micrograms, std::int64_t>);
    static_assert(!Addable<Micrograms, Cents>, "grams can never be added to KES");
    static_assert(!Addable<Micrograms, Micrograms>, "addition goes through checked_add");
    static_assert(!std::equality_comparable_with<Micrograms, Cents>);
    static_assert(std::is_trivially_copyable_v<Micrograms> && sizeof(Micrograms) == 8);
    EXPECT_EQ(Micrograms{}.value(), 0);
    EXPECT_EQ(Cents{42}.value(), 42);
}

TEST(MoneyTypes, ComparisonsFollowTheValue) {
    EXPECT_LT(Micrograms{1}, Micrograms{2});
    EXPECT_GT(Cents{0}, Cents{-1});
    EXPECT_EQ(PricePerGram{850'000}, PricePerGram{850'000});
    EXPECT_NE(Cents{1}, Cents{2});
    EXPECT_LE(Micrograms{kMin}, Micrograms{kMax});
}

TEST(MoneyTypes, CheckedAddAtAndBeyondInt64) {
    EXPECT_EQ(checked_add(Micrograms{1}, Micrograms{2}).value(), Micrograms{3});
    EXPECT_EQ(checked_add(Cents{kMax - 1}, Cents{1}).value(), Cents{kMax});
    EXPECT_EQ(code_of(checked_add(Cents{kMax}, Cents{1})), ErrorCode::amount_too_large);
    EXPECT_EQ(checked_add(Micrograms{kMin + 1}, Micrograms{-1}).value(), Micrograms{kMin});
    EXPECT_EQ(code_of(checked_add(Micrograms{kMin}, Micrograms{-1})), ErrorCode::amount_too_large);
    EXPECT_EQ(code_of(checked_add(PricePerGram{kMax}, PricePerGram{kMax})),
              ErrorCode::amount_too_large);
}

TEST(MoneyTypes, CheckedSubAtAndBeyondInt64) {
    EXPECT_EQ(checked_sub(Micrograms{5}, Micrograms{7}).value(), Micrograms{-2});
    EXPECT_EQ(checked_sub(Cents{kMin + 1}, Cents{1}).value(), Cents{kMin});
    EXPECT_EQ(code_of(checked_sub(Cents{kMin}, Cents{1})), ErrorCode::amount_too_large);
    EXPECT_EQ(checked_sub(Cents{-1}, Cents{kMax}).value(), Cents{kMin});
    EXPECT_EQ(code_of(checked_sub(Micrograms{0}, Micrograms{kMin})), ErrorCode::amount_too_large);
    EXPECT_EQ(code_of(checked_sub(Micrograms{kMax}, Micrograms{-1})), ErrorCode::amount_too_large);
}

// ---- parsing: accepted values ----

TEST(MoneyParse, OneMicrogramIsTheSmallestGramAmount) {
    EXPECT_EQ(parse_grams("0.000001", kAnyGrams).value(), Micrograms{1});
    EXPECT_EQ(format_grams(Micrograms{1}), "0.000001");
}

TEST(MoneyParse, GramsScaleToMicrograms) {
    EXPECT_EQ(parse_grams("1", kAnyGrams).value(), Micrograms{1'000'000});
    EXPECT_EQ(parse_grams("1.25", kAnyGrams).value(), Micrograms{1'250'000});
    EXPECT_EQ(parse_grams("0.5", kAnyGrams).value(), Micrograms{500'000});
    EXPECT_EQ(parse_grams("12.000000", kAnyGrams).value(), Micrograms{12'000'000});
    EXPECT_EQ(parse_grams("10.000010", kAnyGrams).value(), Micrograms{10'000'010});
    EXPECT_EQ(parse_grams("0.100000", kAnyGrams).value(), Micrograms{100'000});
    EXPECT_EQ(parse_grams("1000", kAnyGrams).value(), Micrograms{1'000'000'000});
}

TEST(MoneyParse, KesAndPricesScaleToCents) {
    EXPECT_EQ(parse_kes("1500", kAnyKes).value(), Cents{150'000});
    EXPECT_EQ(parse_kes("1500.5", kAnyKes).value(), Cents{150'050});
    EXPECT_EQ(parse_kes("1500.05", kAnyKes).value(), Cents{150'005});
    EXPECT_EQ(parse_kes("0.01", kAnyKes).value(), Cents{1});
    EXPECT_EQ(parse_price_per_gram("8500", kAnyPrice).value(), PricePerGram{850'000});
    EXPECT_EQ(parse_price_per_gram("8500.99", kAnyPrice).value(), PricePerGram{850'099});
    EXPECT_EQ(parse_price_per_gram("0.01", kAnyPrice).value(), PricePerGram{1});
}

TEST(MoneyParse, Int64BoundaryBothSides) {
    EXPECT_EQ(parse_grams("9223372036854.775807", kAnyGrams).value(), Micrograms{kMax});
    EXPECT_EQ(parse_grams("9223372036854.775806", kAnyGrams).value(), Micrograms{kMax - 1});
    EXPECT_EQ(code_of(parse_grams("9223372036854.775808", kAnyGrams)), ErrorCode::amount_too_large);
    EXPECT_EQ(code_of(parse_grams("9223372036855", kAnyGrams)), ErrorCode::amount_too_large);
    EXPECT_EQ(parse_kes("92233720368547758.07", kAnyKes).value(), Cents{kMax});
    EXPECT_EQ(code_of(parse_kes("92233720368547758.08", kAnyKes)), ErrorCode::amount_too_large);
    EXPECT_EQ(parse_price_per_gram("92233720368547758.07", kAnyPrice).value(), PricePerGram{kMax});
    EXPECT_EQ(code_of(parse_price_per_gram("92233720368547758.08", kAnyPrice)),
              ErrorCode::amount_too_large);
}

TEST(MoneyParse, DigitStringsBeyondInt64NeverOverflow) {
    // The integer part alone overflows int64 in each of these; the parser must check first.
    for (const std::string_view text : {"9223372036854775807",
                                        "9223372036854775808",
                                        "18446744073709551616",
                                        "99999999999999999999999999999999999999999",
                                        "9223372036854775807.99"}) {
        EXPECT_EQ(code_of(parse_grams(text, kAnyGrams)), ErrorCode::amount_too_large) << text;
        EXPECT_EQ(code_of(parse_kes(text, kAnyKes)), ErrorCode::amount_too_large) << text;
        EXPECT_EQ(code_of(parse_price_per_gram(text, kAnyPrice)), ErrorCode::amount_too_large)
            << text;
    }
}

TEST(MoneyParse, CallerMaxBothSides) {
    const Micrograms max_grams{1'000 * kMicrogramsPerGram};
    EXPECT_EQ(parse_grams("1000", max_grams).value(), max_grams);
    EXPECT_EQ(parse_grams("1000.000000", max_grams).value(), max_grams);
    EXPECT_EQ(code_of(parse_grams("1000.000001", max_grams)), ErrorCode::amount_too_large);
    EXPECT_EQ(code_of(parse_grams("1001", max_grams)), ErrorCode::amount_too_large);

    const Cents max_kes{150'000 * kCentsPerShilling};
    EXPECT_EQ(parse_kes("150000.00", max_kes).value(), max_kes);
    EXPECT_EQ(code_of(parse_kes("150000.01", max_kes)), ErrorCode::amount_too_large);

    const PricePerGram max_price{1};
    EXPECT_EQ(parse_price_per_gram("0.01", max_price).value(), max_price);
    EXPECT_EQ(code_of(parse_price_per_gram("0.02", max_price)), ErrorCode::amount_too_large);
}

// ---- parsing: every rejection with its exact code ----

TEST(MoneyParse, MalformedTextIsInvalidNumberFormat) {
    using namespace std::string_literals;
    const std::vector<std::string> inputs = {
        "",
        " ",
        " 1",
        "1 ",
        "\t1",
        "1\n",
        "+1",
        "+0.5",
        "abc",
        "1a",
        "a1",
        "NaN",
        "nan",
        "Inf",
        "inf",
        "-Inf",
        "Infinity",
        "1e3",
        "1E3",
        "1e-3",
        "1.5e+2",
        "1.",
        ".5",
        "-.5",
        ".",
        "1.2.3",
        "1..2",
        "0x10",
        "0X1A",
        "0b1",
        "1,5",
        "1_000",
        "1'000",
        "00.5",
        "007.5",
        "01",
        "00",
        "-01",
        "-",
        "--1",
        "-+1",
        "+-1",
        "1-",
        "1.-5",
        "1.+5",
        "0.5.",
        "\0"s,
        "1\0"s,
        std::string{'\0', '1'},
        "1.\0"s,
        "\xd9\xa1",          // ARABIC-INDIC DIGIT ONE
        "\xef\xbc\x91",      // FULLWIDTH DIGIT ONE
        "1\xef\xbc\x90",     // "1" then FULLWIDTH DIGIT ZERO
        "\xe2\x88\x92\x31",  // MINUS SIGN U+2212, then "1" (0x31)
        "\xc2\xbd",          // VULGAR FRACTION ONE HALF
        "1\xc2\xa0",         // trailing NO-BREAK SPACE
    };
    for (const std::string& text : inputs) {
        EXPECT_EQ(code_of(parse_grams(text, kAnyGrams)), ErrorCode::invalid_number_format)
            << "grams: [" << text << "]";
        EXPECT_EQ(code_of(parse_kes(text, kAnyKes)), ErrorCode::invalid_number_format)
            << "kes: [" << text << "]";
        EXPECT_EQ(code_of(parse_price_per_gram(text, kAnyPrice)), ErrorCode::invalid_number_format)
            << "price: [" << text << "]";
    }
}

TEST(MoneyParse, LengthBoundBothSides) {
    // 64 bytes is parsed (and then fails on its merits); 65 bytes is refused before any work.
    const std::string decimals_64 = "1." + std::string(62, '0');
    ASSERT_EQ(decimals_64.size(), kMaxDecimalTextLength);
    EXPECT_EQ(code_of(parse_grams(decimals_64, kAnyGrams)), ErrorCode::too_many_decimals);
    EXPECT_EQ(code_of(parse_grams(decimals_64 + "0", kAnyGrams)), ErrorCode::invalid_number_format);

    const std::string digits_64(64, '9');
    EXPECT_EQ(code_of(parse_kes(digits_64, kAnyKes)), ErrorCode::amount_too_large);
    EXPECT_EQ(code_of(parse_kes(digits_64 + "9", kAnyKes)), ErrorCode::invalid_number_format);

    const std::string negative_64 = "-" + std::string(63, '1');
    EXPECT_EQ(code_of(parse_grams(negative_64, kAnyGrams)), ErrorCode::negative_amount);
    EXPECT_EQ(code_of(parse_grams(negative_64 + "1", kAnyGrams)), ErrorCode::invalid_number_format);
}

TEST(MoneyParse, LeadingMinusIsNegativeAmount) {
    for (const std::string_view text :
         {"-1", "-0.5", "-0.000001", "-0", "-0.0", "-1500.00", "-99999999999999999999999"}) {
        EXPECT_EQ(code_of(parse_grams(text, kAnyGrams)), ErrorCode::negative_amount) << text;
        EXPECT_EQ(code_of(parse_kes(text, kAnyKes)), ErrorCode::negative_amount) << text;
        EXPECT_EQ(code_of(parse_price_per_gram(text, kAnyPrice)), ErrorCode::negative_amount)
            << text;
    }
}

TEST(MoneyParse, ZeroValuesAreZeroAmount) {
    for (const std::string_view text : {"0", "0.0", "0.00"}) {
        EXPECT_EQ(code_of(parse_grams(text, kAnyGrams)), ErrorCode::zero_amount) << text;
        EXPECT_EQ(code_of(parse_kes(text, kAnyKes)), ErrorCode::zero_amount) << text;
        EXPECT_EQ(code_of(parse_price_per_gram(text, kAnyPrice)), ErrorCode::zero_amount) << text;
    }
    EXPECT_EQ(code_of(parse_grams("0.000000", kAnyGrams)), ErrorCode::zero_amount);
}

TEST(MoneyParse, ExtraDecimalsAreRejectedEvenIfZero) {
    EXPECT_EQ(parse_grams("1.000000", kAnyGrams).value(), Micrograms{1'000'000});
    EXPECT_EQ(code_of(parse_grams("1.0000000", kAnyGrams)), ErrorCode::too_many_decimals);
    EXPECT_EQ(code_of(parse_grams("0.0000001", kAnyGrams)), ErrorCode::too_many_decimals);
    EXPECT_EQ(code_of(parse_grams("0.0000000", kAnyGrams)), ErrorCode::too_many_decimals);
    EXPECT_EQ(parse_kes("1.00", kAnyKes).value(), Cents{100});
    EXPECT_EQ(code_of(parse_kes("1.000", kAnyKes)), ErrorCode::too_many_decimals);
    EXPECT_EQ(code_of(parse_kes("0.001", kAnyKes)), ErrorCode::too_many_decimals);
    EXPECT_EQ(code_of(parse_price_per_gram("8500.001", kAnyPrice)), ErrorCode::too_many_decimals);
}

TEST(MoneyParse, PrecedenceFormatThenSignThenDecimalsThenSizeThenZero) {
    EXPECT_EQ(code_of(parse_grams("-1e3", kAnyGrams)), ErrorCode::invalid_number_format);
    EXPECT_EQ(code_of(parse_grams("-1.0000000", kAnyGrams)), ErrorCode::negative_amount);
    EXPECT_EQ(code_of(parse_grams("-99999999999999999999", kAnyGrams)), ErrorCode::negative_amount);
    EXPECT_EQ(code_of(parse_grams("99999999999999999999.1234567", kAnyGrams)),
              ErrorCode::too_many_decimals);
    EXPECT_EQ(code_of(parse_kes("0.000", Cents{1})), ErrorCode::too_many_decimals);
    EXPECT_EQ(code_of(parse_kes("0.02", Cents{1})), ErrorCode::amount_too_large);
}

TEST(MoneyParse, ErrorDetailIsShortAndNeverEchoesInput) {
    const std::string huge = std::string(60, '7') + ".5";
    const std::vector<std::string> inputs = {
        huge, "7777777x", "-777777", "0.7777777", "0", std::string(100, '7')};
    for (const std::string& text : inputs) {
        const Result<Micrograms> result = parse_grams(text, Micrograms{kMicrogramsPerGram});
        ASSERT_FALSE(result.has_value()) << text;
        const std::string& detail = result.error().detail;
        EXPECT_FALSE(detail.empty());
        EXPECT_LE(detail.size(), 80u) << detail;
        EXPECT_EQ(detail.find("777"), std::string::npos) << detail;
        EXPECT_NE(detail.find("gram"), std::string::npos) << detail;
    }
    EXPECT_NE(parse_kes("x", kAnyKes).error().detail.find("KES"), std::string::npos);
    EXPECT_NE(parse_price_per_gram("x", kAnyPrice).error().detail.find("price"), std::string::npos);
    EXPECT_EQ(parse_grams("2", Micrograms{kMicrogramsPerGram}).error().detail,
              "gram amount must not exceed 1.000000");
    EXPECT_EQ(parse_kes("2", Cents{100}).error().detail, "KES amount must not exceed 1.00");
}

TEST(MoneyParseDeathTest, NonPositiveMaxIsAProgrammerError) {
    EXPECT_DEATH((void)parse_grams("1", Micrograms{0}), "parse limit");
    EXPECT_DEATH((void)parse_kes("1", Cents{-1}), "parse limit");
}

// ---- formatting ----

TEST(MoneyFormat, GramsAlwaysSixPlaces) {
    EXPECT_EQ(format_grams(Micrograms{0}), "0.000000");
    EXPECT_EQ(format_grams(Micrograms{1}), "0.000001");
    EXPECT_EQ(format_grams(Micrograms{1'250'000}), "1.250000");
    EXPECT_EQ(format_grams(Micrograms{1'000'000'000}), "1000.000000");
    EXPECT_EQ(format_grams(Micrograms{-1}), "-0.000001");
    EXPECT_EQ(format_grams(Micrograms{-1'500'000}), "-1.500000");
    EXPECT_EQ(format_grams(Micrograms{kMax}), "9223372036854.775807");
    EXPECT_EQ(format_grams(Micrograms{kMin}), "-9223372036854.775808");
    EXPECT_EQ(format_grams(Micrograms{kMin + 1}), "-9223372036854.775807");
}

TEST(MoneyFormat, KesAndPriceAlwaysTwoPlaces) {
    EXPECT_EQ(format_kes(Cents{150'000}), "1500.00");
    EXPECT_EQ(format_kes(Cents{1}), "0.01");
    EXPECT_EQ(format_kes(Cents{10}), "0.10");
    EXPECT_EQ(format_kes(Cents{0}), "0.00");
    EXPECT_EQ(format_kes(Cents{-50}), "-0.50");
    EXPECT_EQ(format_kes(Cents{kMax}), "92233720368547758.07");
    EXPECT_EQ(format_kes(Cents{kMin}), "-92233720368547758.08");
    EXPECT_EQ(format_price(PricePerGram{850'000}), "8500.00");
    EXPECT_EQ(format_price(PricePerGram{850'099}), "8500.99");
    EXPECT_EQ(format_price(PricePerGram{kMin}), "-92233720368547758.08");
}

// ---- round trips ----

// Interesting values plus a seeded pseudo-random spread across every magnitude.
std::vector<std::int64_t> round_trip_values() {
    std::vector<std::int64_t> values = {1,
                                        2,
                                        9,
                                        10,
                                        11,
                                        99,
                                        100,
                                        101,
                                        999'999,
                                        1'000'000,
                                        1'000'001,
                                        123'456'789,
                                        kMax / 2,
                                        kMax - 1,
                                        kMax};
    for (std::int64_t p = 1; p <= kMax / 10; p *= 10) {
        values.push_back(p * 10 - 1);
        values.push_back(p * 10);
    }
    std::mt19937_64 random(20240601);
    for (int i = 0; i < 2000; ++i) {
        const auto bits = static_cast<int>(random() % 63);
        values.push_back(static_cast<std::int64_t>(random() >> (1 + bits)) | 1);
    }
    return values;
}

TEST(MoneyRoundTrip, ParseOfFormatIsIdentityUpToInt64Max) {
    for (const std::int64_t v : round_trip_values()) {
        ASSERT_GT(v, 0);
        EXPECT_EQ(parse_grams(format_grams(Micrograms{v}), kAnyGrams).value(), Micrograms{v});
        EXPECT_EQ(parse_kes(format_kes(Cents{v}), kAnyKes).value(), Cents{v});
        EXPECT_EQ(parse_price_per_gram(format_price(PricePerGram{v}), kAnyPrice).value(),
                  PricePerGram{v});
        // With the value itself as the caller's max: still accepted, and one more is not.
        EXPECT_TRUE(parse_grams(format_grams(Micrograms{v}), Micrograms{v}).has_value());
        if (v > 1) {
            EXPECT_EQ(code_of(parse_grams(format_grams(Micrograms{v}), Micrograms{v - 1})),
                      ErrorCode::amount_too_large);
        }
    }
}

TEST(MoneyRoundTrip, FormatOfParseIsTheCanonicalForm) {
    EXPECT_EQ(format_grams(parse_grams("1.5", kAnyGrams).value()), "1.500000");
    EXPECT_EQ(format_grams(parse_grams("0.000001", kAnyGrams).value()), "0.000001");
    EXPECT_EQ(format_grams(parse_grams("20", kAnyGrams).value()), "20.000000");
    EXPECT_EQ(format_kes(parse_kes("1500", kAnyKes).value()), "1500.00");
    EXPECT_EQ(format_kes(parse_kes("0.5", kAnyKes).value()), "0.50");
    EXPECT_EQ(format_price(parse_price_per_gram("8500.1", kAnyPrice).value()), "8500.10");
}

}  // namespace
}  // namespace gw
