// Proves that SecretKey parses exactly 64 hex characters (and refuses everything else with
// invalid_configuration and a detail that never contains the text), that it cannot be copied or
// streamed, that moves transfer ownership, and that derive() is deterministic and separates
// contexts and subkey ids.

#include "identity/secret_key.hpp"

#include <cctype>
#include <concepts>
#include <cstring>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <gtest/gtest.h>

namespace gw::identity {
namespace {

constexpr std::string_view kHex =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

template <typename T>
concept Streamable = requires(std::ostream& os, const T& value) {
    os << value;
};

static_assert(!std::is_copy_constructible_v<SecretKey>);
static_assert(!std::is_copy_assignable_v<SecretKey>);
static_assert(std::is_nothrow_move_constructible_v<SecretKey>);
static_assert(std::is_nothrow_move_assignable_v<SecretKey>);
static_assert(!Streamable<SecretKey>, "a key must not be printable");
static_assert(!std::is_convertible_v<SecretKey, std::string>);
static_assert(!std::is_convertible_v<SecretKey, std::string_view>);
static_assert(SecretKey::size() == 32);

bool same_bytes(const SecretKey& a, const SecretKey& b) {
    return std::memcmp(a.data(), b.data(), SecretKey::kBytes) == 0;
}

void expect_rejected(std::string_view hex) {
    SCOPED_TRACE(::testing::Message() << "input length " << hex.size());
    Result<SecretKey> key = SecretKey::from_hex(hex);
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(to_string(key.error().code), "invalid_configuration");
    if (hex.size() >= 8) {
        EXPECT_EQ(key.error().detail.find(hex.substr(0, 8)), std::string::npos);
    }
}

TEST(SecretKey, FromHexDecodesBothCases) {
    Result<SecretKey> lower = SecretKey::from_hex(kHex);
    ASSERT_TRUE(lower.has_value());
    for (std::size_t i = 0; i < SecretKey::kBytes; ++i) {
        EXPECT_EQ(lower->data()[i], i);
    }
    std::string upper(kHex);
    for (char& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    Result<SecretKey> from_upper = SecretKey::from_hex(upper);
    ASSERT_TRUE(from_upper.has_value());
    EXPECT_TRUE(same_bytes(*lower, *from_upper));
}

TEST(SecretKey, FromHexRejectsWrongLengthAndNonHex) {
    expect_rejected("");
    expect_rejected(kHex.substr(0, 63));
    expect_rejected(std::string(kHex) + "0");
    expect_rejected(std::string(kHex) + "00");
    expect_rejected(kHex.substr(0, 62));
    std::string with_g(kHex);
    with_g[10] = 'g';
    expect_rejected(with_g);
    expect_rejected("0x" + std::string(kHex.substr(2)));
    expect_rejected(" " + std::string(kHex.substr(1)));
    expect_rejected(std::string(kHex.substr(1)) + "\n");
    std::string with_colon(kHex);
    with_colon[2] = ':';
    expect_rejected(with_colon);
}

TEST(SecretKey, FromHexRejectsAllZeroPlaceholder) {
    Result<SecretKey> key = SecretKey::from_hex(std::string(64, '0'));
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().detail, "key must not be all zeros");
}

TEST(SecretKey, RandomKeysDiffer) {
    SecretKey a = SecretKey::random();
    SecretKey b = SecretKey::random();
    EXPECT_FALSE(same_bytes(a, b));
}

TEST(SecretKey, MoveTransfersOwnership) {
    SecretKey original = SecretKey::from_hex(kHex).value();
    const unsigned char* bytes = original.data();
    SecretKey moved(std::move(original));
    EXPECT_EQ(moved.data(), bytes);
    SecretKey assigned = SecretKey::random();
    assigned = std::move(moved);
    EXPECT_EQ(assigned.data(), bytes);
    EXPECT_EQ(assigned.data()[31], 31);
}

TEST(SecretKeyDeathTest, MovedFromKeyHasNoData) {
    SecretKey original = SecretKey::random();
    SecretKey moved(std::move(original));
    // NOLINTNEXTLINE(bugprone-use-after-move,clang-analyzer-cplusplus.Move): the point of the test
    EXPECT_DEATH((void)original.data(), "moved-from");
}

TEST(SecretKey, DeriveIsDeterministicAndSeparatesContextsAndIds) {
    SecretKey master = SecretKey::from_hex(kHex).value();
    SecretKey again = SecretKey::from_hex(kHex).value();
    SecretKey a = SecretKey::derive(master, "gwfield0", 1);
    SecretKey b = SecretKey::derive(again, "gwfield0", 1);
    SecretKey other_context = SecretKey::derive(master, "gwblind0", 1);
    SecretKey other_id = SecretKey::derive(master, "gwfield0", 2);
    EXPECT_TRUE(same_bytes(a, b));
    EXPECT_FALSE(same_bytes(a, other_context));
    EXPECT_FALSE(same_bytes(a, other_id));
    EXPECT_FALSE(same_bytes(a, master));
}

TEST(SecretKeyDeathTest, DeriveRequiresEightByteContext) {
    SecretKey master = SecretKey::random();
    EXPECT_DEATH((void)SecretKey::derive(master, "short", 1), "8 bytes");
}

TEST(SecretKey, EnsureSodiumIsIdempotent) {
    ensure_sodium();
    ensure_sodium();
    SUCCEED();
}

}  // namespace
}  // namespace gw::identity
