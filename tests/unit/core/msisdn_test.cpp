// Proves that normalize_msisdn accepts exactly the Kenyan mobile forms of DARAJA.md §10
// (national, 9-digit, 254 and +254, with or without spaces) and maps them all to one canonical
// string, and that every other shape fails with ErrorCode::invalid_phone without echoing the
// input; also that mask_msisdn keeps only the first 4 and last 2 characters.

#include "core/msisdn.hpp"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace gw {
namespace {

// The canonical form, or "<error>" so a failure prints what went wrong.
std::string normalized(std::string_view text) {
    Result<std::string> result = normalize_msisdn(text);
    return result.has_value() ? result.value() : std::string("<error>");
}

// Asserts that `text` is rejected with invalid_phone. The detail is one fixed sentence for
// every input (see ErrorDetailIsFixedText), so it cannot echo the number.
void expect_rejected(std::string_view text) {
    SCOPED_TRACE(::testing::Message() << "input: [" << text << "]");
    Result<std::string> result = normalize_msisdn(text);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(to_string(result.error().code), "invalid_phone");
    EXPECT_EQ(result.error().detail, normalize_msisdn("not a phone").error().detail);
}

TEST(NormalizeMsisdn, NationalFormWithTrunkZero) {
    EXPECT_EQ(normalized("0712345678"), "254712345678");
    EXPECT_EQ(normalized("0112345678"), "254112345678");
    EXPECT_EQ(normalized("0799999999"), "254799999999");
}

TEST(NormalizeMsisdn, NineDigitsWithoutTrunkZero) {
    EXPECT_EQ(normalized("712345678"), "254712345678");
    EXPECT_EQ(normalized("112345678"), "254112345678");
}

TEST(NormalizeMsisdn, InternationalFormWithAndWithoutPlus) {
    EXPECT_EQ(normalized("254712345678"), "254712345678");
    EXPECT_EQ(normalized("+254712345678"), "254712345678");
    EXPECT_EQ(normalized("254112345678"), "254112345678");
    EXPECT_EQ(normalized("+254112345678"), "254112345678");
}

TEST(NormalizeMsisdn, SpacesAnywhereAreIgnored) {
    EXPECT_EQ(normalized("0712 345 678"), "254712345678");
    EXPECT_EQ(normalized("+254 712 345 678"), "254712345678");
    EXPECT_EQ(normalized("254 7 1 2 3 4 5 6 7 8"), "254712345678");
    EXPECT_EQ(normalized("  0712345678  "), "254712345678");
    EXPECT_EQ(normalized(" +254712345678"), "254712345678");
    EXPECT_EQ(normalized("712 345 678"), "254712345678");
}

TEST(NormalizeMsisdn, LengthLimitIsInclusive) {
    // 12 digits padded with spaces to exactly kMsisdnTextBytesMax bytes, then one more.
    std::string at_max = "254712345678";
    at_max.append(kMsisdnTextBytesMax - at_max.size(), ' ');
    ASSERT_EQ(at_max.size(), kMsisdnTextBytesMax);
    EXPECT_EQ(normalized(at_max), "254712345678");
    expect_rejected(at_max + " ");
}

TEST(NormalizeMsisdn, RejectsEmptyAndLonePlus) {
    expect_rejected("");
    expect_rejected("   ");
    expect_rejected("+");
    expect_rejected(" + ");
    expect_rejected("++254712345678");
}

TEST(NormalizeMsisdn, RejectsTooShortAndTooLong) {
    expect_rejected("071234567");      // 9 digits starting with 0
    expect_rejected("71234567");       // 8 digits
    expect_rejected("07123456789");    // 11 digits
    expect_rejected("25471234567");    // 11 digits with country code
    expect_rejected("2547123456789");  // 13 digits with country code
    expect_rejected("+2547123456789");
    expect_rejected("7123456789");  // 10 digits without the trunk zero
}

TEST(NormalizeMsisdn, RejectsNumbersOutsideKenyanMobileRanges) {
    expect_rejected("0812345678");  // 08…: not a mobile prefix
    expect_rejected("0212345678");  // Nairobi landline
    expect_rejected("812345678");
    expect_rejected("254812345678");  // 2548…
    expect_rejected("+254812345678");
    expect_rejected("254012345678");   // 2540…
    expect_rejected("2540712345678");  // trunk zero kept after the country code
    expect_rejected("255712345678");   // Tanzania
    expect_rejected("+255712345678");
    expect_rejected("256712345678");  // Uganda
}

TEST(NormalizeMsisdn, PlusOnlyInFrontOfTheCountryCode) {
    expect_rejected("+0712345678");
    expect_rejected("+712345678");
    expect_rejected("0712+345678");
    expect_rejected("254712345678+");
}

TEST(NormalizeMsisdn, RejectsSeparatorsLettersAndOtherWhitespace) {
    expect_rejected("0712-345-678");
    expect_rejected("0712.345.678");
    expect_rejected("(0712) 345678");
    expect_rejected("07I2345678");  // capital i, not one
    expect_rejected("O712345678");  // capital o, not zero
    expect_rejected("0712345678x");
    expect_rejected("0712\t345678");
    expect_rejected("0712345678\n");
    expect_rejected("\r0712345678");
    expect_rejected("0712\u00a0345678");  // no-break space (UTF-8 C2 A0)
    expect_rejected("\xd9\xa0\x37\x31\x32\x33\x34\x35\x36\x37\x38");  // Arabic-Indic zero
    expect_rejected(
        std::string_view("0712\0"
                         "345678",
                         11));  // embedded NUL
}

TEST(NormalizeMsisdn, ErrorDetailIsFixedText) {
    Result<std::string> a = normalize_msisdn("0812345678");
    Result<std::string> b = normalize_msisdn("hello");
    ASSERT_FALSE(a.has_value());
    ASSERT_FALSE(b.has_value());
    EXPECT_EQ(a.error(), b.error());
    EXPECT_EQ(a.error().detail.find("0812345678"), std::string::npos);
    EXPECT_EQ(a.error().detail.find("812345"), std::string::npos);
}

TEST(MaskMsisdn, KeepsFirstFourAndLastTwo) {
    EXPECT_EQ(mask_msisdn("254712345678"), "2547******78");
    EXPECT_EQ(mask_msisdn("254112345678"), "2541******78");
}

TEST(MaskMsisdn, ShortInputIsFullyMasked) {
    EXPECT_EQ(mask_msisdn(""), "");
    EXPECT_EQ(mask_msisdn("123456"), "******");
    EXPECT_EQ(mask_msisdn("1234567"), "1234*67");
}

}  // namespace
}  // namespace gw
