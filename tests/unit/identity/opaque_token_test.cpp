// Proves that random_token returns 43-character base64url strings that carry 32 random bytes
// and do not repeat, that token_digest is plain SHA-256 (checked against the FIPS 180-2 "abc"
// vector) returned as 32 raw bytes, and that constant_time_equal compares bytes and lengths.

#include "identity/opaque_token.hpp"

#include <set>
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <sodium.h>

namespace gw::identity {
namespace {

std::string to_hex(std::string_view bytes) {
    std::string hex(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(
        hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    hex.pop_back();
    return hex;
}

bool is_base64url_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

TEST(RandomToken, IsFortyThreeBase64UrlCharacters) {
    for (int i = 0; i < 100; ++i) {
        const std::string token = random_token();
        ASSERT_EQ(token.size(), kTokenChars);
        for (char c : token) {
            EXPECT_TRUE(is_base64url_char(c)) << token;
        }
    }
}

TEST(RandomToken, DecodesToThirtyTwoBytes) {
    const std::string token = random_token();
    unsigned char decoded[64];
    std::size_t decoded_bytes = 0;
    ASSERT_EQ(sodium_base642bin(decoded,
                                sizeof decoded,
                                token.data(),
                                token.size(),
                                nullptr,
                                &decoded_bytes,
                                nullptr,
                                sodium_base64_VARIANT_URLSAFE_NO_PADDING),
              0);
    EXPECT_EQ(decoded_bytes, kTokenRandomBytes);
}

TEST(RandomToken, DoesNotRepeat) {
    std::set<std::string> seen;
    for (int i = 0; i < 10'000; ++i) {
        seen.insert(random_token());
    }
    EXPECT_EQ(seen.size(), 10'000U);
}

TEST(TokenDigest, IsRawSha256) {
    EXPECT_EQ(to_hex(token_digest("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(to_hex(token_digest("")),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(token_digest("abc").size(), kTokenDigestBytes);
}

TEST(TokenDigest, IsDeterministicAndSeparatesTokens) {
    const std::string token = random_token();
    EXPECT_EQ(token_digest(token), token_digest(token));
    EXPECT_NE(token_digest(token), token_digest(random_token()));
    EXPECT_NE(token_digest(token), token) << "the digest is not the token";
}

TEST(ConstantTimeEqual, ComparesBytesAndLengths) {
    const std::string token = random_token();
    std::string last_differs = token;
    last_differs.back() = last_differs.back() == 'A' ? 'B' : 'A';
    std::string first_differs = token;
    first_differs.front() = first_differs.front() == 'A' ? 'B' : 'A';
    EXPECT_TRUE(constant_time_equal(token, std::string(token)));
    EXPECT_FALSE(constant_time_equal(token, last_differs));
    EXPECT_FALSE(constant_time_equal(token, first_differs));
    EXPECT_FALSE(constant_time_equal(token, token.substr(0, token.size() - 1)));
    EXPECT_FALSE(constant_time_equal(token, token + "x"));
    EXPECT_FALSE(constant_time_equal(token, ""));
    EXPECT_TRUE(constant_time_equal("", std::string_view()));
    EXPECT_TRUE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
    EXPECT_FALSE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

}  // namespace
}  // namespace gw::identity
