// Proves that a blind index is deterministic (the same normalized value always gives the same
// 32 bytes, also across restarts), keyed (another master key gives an unrelated index), built
// exactly as documented (HMAC-SHA256 under the crypto_kdf subkey "gwblind0"/1, checked with raw
// libsodium calls), and pinned to the key id chosen at construction, not to whatever key the
// ring makes current after a rotation.

#include "identity/blind_index.hpp"

#include <set>
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <sodium.h>

namespace gw::identity {
namespace {

constexpr std::string_view kIndexKeyOneHex =
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";
constexpr std::string_view kIndexKeyTwoHex =
    "5f5e5d5c5b5a59585756555453525150"
    "4f4e4d4c4b4a49484746454443424140";

MasterKeyring ring_of(std::string_view hex) {
    MasterKeyring ring;
    ring.current_id = 1;
    ring.keys.emplace(1, SecretKey::from_hex(hex).value());
    return ring;
}

TEST(BlindIndex, IsDeterministicAndThirtyTwoBytes) {
    BlindIndex index(ring_of(kIndexKeyOneHex));
    const std::string first = index.compute("254712345678");
    EXPECT_EQ(first.size(), BlindIndex::kIndexBytes);
    EXPECT_EQ(index.compute("254712345678"), first);
    BlindIndex after_restart(ring_of(kIndexKeyOneHex));
    EXPECT_EQ(after_restart.compute("254712345678"), first);
}

TEST(BlindIndex, DifferentValuesGiveDifferentIndexes) {
    BlindIndex index(ring_of(kIndexKeyOneHex));
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        seen.insert(index.compute("2547" + std::to_string(10'000'000 + i)));
    }
    EXPECT_EQ(seen.size(), 1000U);
    EXPECT_NE(index.compute(""), index.compute(" "));
}

TEST(BlindIndex, IsKeyed) {
    BlindIndex one(ring_of(kIndexKeyOneHex));
    BlindIndex two(ring_of(kIndexKeyTwoHex));
    EXPECT_NE(one.compute("254712345678"), two.compute("254712345678"));
}

TEST(BlindIndex, MatchesTheDocumentedConstruction) {
    const SecretKey master = SecretKey::from_hex(kIndexKeyOneHex).value();
    unsigned char subkey[32];
    ASSERT_EQ(crypto_kdf_derive_from_key(subkey, sizeof subkey, 1, "gwblind0", master.data()), 0);
    const std::string_view value = "254712345678";
    std::string expected(32, '\0');
    crypto_auth_hmacsha256(reinterpret_cast<unsigned char*>(expected.data()),
                           reinterpret_cast<const unsigned char*>(value.data()),
                           value.size(),
                           subkey);
    EXPECT_EQ(BlindIndex(ring_of(kIndexKeyOneHex)).compute(value), expected);

    // And it is not a plain HMAC under the master key (the subkey separates it from other uses).
    std::string under_master(32, '\0');
    crypto_auth_hmacsha256(reinterpret_cast<unsigned char*>(under_master.data()),
                           reinterpret_cast<const unsigned char*>(value.data()),
                           value.size(),
                           master.data());
    EXPECT_NE(expected, under_master);
}

TEST(BlindIndex, StaysOnItsKeyIdAfterRotation) {
    const std::string before = BlindIndex(ring_of(kIndexKeyOneHex)).compute("254712345678");

    MasterKeyring rotated = ring_of(kIndexKeyOneHex);
    rotated.keys.emplace(2, SecretKey::from_hex(kIndexKeyTwoHex).value());
    rotated.current_id = 2;

    BlindIndex pinned(rotated, 1);
    EXPECT_EQ(pinned.key_id(), 1U);
    EXPECT_EQ(pinned.compute("254712345678"), before);

    // Following the current key would silently break every stored index: that is why the
    // key id is fixed at construction and a rotation needs a re-index.
    BlindIndex current(rotated);
    EXPECT_EQ(current.key_id(), 2U);
    EXPECT_NE(current.compute("254712345678"), before);
}

TEST(BlindIndexDeathTest, UnknownKeyIdIsAProgrammingError) {
    MasterKeyring ring = ring_of(kIndexKeyOneHex);
    EXPECT_DEATH(BlindIndex index(ring, 5), "blind-index key id");
}

}  // namespace
}  // namespace gw::identity
