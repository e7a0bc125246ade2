// Proves the UTF-8 rules text crosses the database with: well-formed per RFC 3629 (overlong
// forms, surrogates, values above U+10FFFF and cut sequences refused), no NUL in text, and a
// prefix never splits a character.

#include "core/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gw {
namespace {

TEST(Utf8CodePoints, CountsCharactersNotBytes) {
    EXPECT_EQ(utf8_code_points(""), 0U);
    EXPECT_EQ(utf8_code_points("abc"), 3U);
    EXPECT_EQ(utf8_code_points("\u00e9\u20ac\U0001D50A"), 3U);  // 2, 3 and 4 bytes
    EXPECT_EQ(utf8_code_points("\U0010FFFF"), 1U);                // the last code point
}

TEST(Utf8CodePoints, RefusesMalformedSequences) {
    for (const std::string bad : {"\xC0\xAF",           // overlong '/'
                                  "\xE0\x80\xAF",       // overlong 3-byte
                                  "\xF0\x80\x80\xAF",   // overlong 4-byte
                                  "\xED\xA0\x80",       // surrogate U+D800
                                  "\xF4\x90\x80\x80",   // above U+10FFFF
                                  "\xF5\x80\x80\x80",   // lead byte never valid
                                  "\x80",               // lone continuation
                                  "\xE2\x82",           // cut before its end
                                  "a\xC3"}) {
        EXPECT_FALSE(utf8_code_points(bad).has_value()) << testing::PrintToString(bad);
    }
}

TEST(IsText, RefusesNulAndInvalidUtf8) {
    EXPECT_TRUE(is_text(""));
    EXPECT_TRUE(is_text("Nairobi \u00e9 \U0001D50A"));
    EXPECT_TRUE(is_text("\x01\x7f"));
    EXPECT_FALSE(is_text(std::string("a\0b", 3)));
    EXPECT_FALSE(is_text(std::string(1, '\0')));
    EXPECT_FALSE(is_text("\xFF"));
}

TEST(Utf8Prefix, CutsOnlyBetweenCharacters) {
    const std::string euros = "\u20ac\u20ac\u20ac";  // 3 bytes each
    EXPECT_EQ(utf8_prefix(euros, 9), euros);
    EXPECT_EQ(utf8_prefix(euros, 100), euros);
    EXPECT_EQ(utf8_prefix(euros, 8), "\u20ac\u20ac");
    EXPECT_EQ(utf8_prefix(euros, 6), "\u20ac\u20ac");
    EXPECT_EQ(utf8_prefix(euros, 5), "\u20ac");
    EXPECT_EQ(utf8_prefix(euros, 2), "");
    EXPECT_EQ(utf8_prefix("abc", 2), "ab");
    EXPECT_EQ(utf8_prefix("a\U0001D50A", 4), "a");
}

}  // namespace
}  // namespace gw
