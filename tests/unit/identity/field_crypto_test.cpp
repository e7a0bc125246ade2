// Proves that FieldCipher round-trips values, binds each ciphertext to its associated data
// (user id + column) so a copy to another row or column fails, detects a change to any single
// byte, refuses unknown key ids and versions, keeps opening old values after a key rotation,
// leaks no plaintext into the stored bytes, and that the stored format is exactly the
// documented one (checked by decrypting with raw libsodium calls).

#include "identity/field_crypto.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sodium.h>

namespace gw::identity {
namespace {

constexpr std::string_view kFieldKeyOneHex =
    "8f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
constexpr std::string_view kFieldKeyTwoHex =
    "1111111111111111222222222222222233333333333333334444444444444444";
constexpr std::string_view kPhone = "254712345678";
constexpr std::string_view kPhoneAd = "user-42:phone";

SecretKey key_from(std::string_view hex) {
    return SecretKey::from_hex(hex).value();
}

MasterKeyring ring_with_key_one() {
    MasterKeyring ring;
    ring.current_id = 1;
    ring.keys.emplace(1, key_from(kFieldKeyOneHex));
    return ring;
}

// Key 1 (same bytes as ring_with_key_one) and key 2, current 2: the ring after a rotation.
MasterKeyring rotated_ring() {
    MasterKeyring ring = ring_with_key_one();
    ring.keys.emplace(2, key_from(kFieldKeyTwoHex));
    ring.current_id = 2;
    return ring;
}

TEST(FieldCipher, RoundTripsValuesOfAnyContent) {
    FieldCipher cipher(ring_with_key_one());
    const std::string binary("a\0b\xff\x00z", 6);
    for (std::string_view value : {std::string_view(),
                                   kPhone,
                                   std::string_view("12345678"),
                                   std::string_view(binary),
                                   std::string_view("ñandú 🔑")}) {
        SealedField sealed = cipher.seal(value, kPhoneAd);
        EXPECT_EQ(sealed.key_id, 1U);
        EXPECT_EQ(cipher.open(sealed, kPhoneAd), std::optional<std::string>(value));
    }
    const std::string large(100'000, 'x');
    EXPECT_EQ(cipher.open(cipher.seal(large, kPhoneAd), kPhoneAd), large);
}

TEST(FieldCipher, LayoutIsVersionNonceCiphertextTag) {
    FieldCipher cipher(ring_with_key_one());
    SealedField sealed = cipher.seal(kPhone, kPhoneAd);
    ASSERT_EQ(sealed.bytes.size(), 1 + 24 + kPhone.size() + 16);
    EXPECT_EQ(static_cast<unsigned char>(sealed.bytes[0]), FieldCipher::kVersion);
}

TEST(FieldCipher, SealingTwiceGivesDifferentBytes) {
    FieldCipher cipher(ring_with_key_one());
    SealedField a = cipher.seal(kPhone, kPhoneAd);
    SealedField b = cipher.seal(kPhone, kPhoneAd);
    EXPECT_NE(a.bytes, b.bytes);
    EXPECT_NE(a.bytes.substr(1, 24), b.bytes.substr(1, 24)) << "nonces must not repeat";
}

TEST(FieldCipher, AssociatedDataSwapFails) {
    FieldCipher cipher(ring_with_key_one());
    SealedField sealed = cipher.seal(kPhone, kPhoneAd);
    EXPECT_EQ(cipher.open(sealed, "user-43:phone"), std::nullopt) << "another row";
    EXPECT_EQ(cipher.open(sealed, "user-42:national_id"), std::nullopt) << "another column";
    EXPECT_EQ(cipher.open(sealed, ""), std::nullopt);
    EXPECT_EQ(cipher.open(sealed, "user-42:phone "), std::nullopt);
    EXPECT_EQ(cipher.open(sealed, kPhoneAd), std::string(kPhone));
}

TEST(FieldCipher, ChangingAnyByteFails) {
    FieldCipher cipher(ring_with_key_one());
    const SealedField sealed = cipher.seal(kPhone, kPhoneAd);
    for (std::size_t i = 0; i < sealed.bytes.size(); ++i) {
        for (unsigned char flip : {0x01, 0x80}) {
            SealedField tampered = sealed;
            tampered.bytes[i] = static_cast<char>(tampered.bytes[i] ^ flip);
            EXPECT_EQ(cipher.open(tampered, kPhoneAd), std::nullopt) << "byte " << i;
        }
    }
}

TEST(FieldCipher, ShortOrEmptyBytesFail) {
    FieldCipher cipher(ring_with_key_one());
    const SealedField sealed = cipher.seal("", kPhoneAd);
    ASSERT_EQ(sealed.bytes.size(), 41U);
    EXPECT_EQ(cipher.open(sealed, kPhoneAd), std::string());
    for (std::size_t length = 0; length < sealed.bytes.size(); ++length) {
        SealedField cut{sealed.key_id, sealed.bytes.substr(0, length)};
        EXPECT_EQ(cipher.open(cut, kPhoneAd), std::nullopt) << "length " << length;
    }
    SealedField extended = sealed;
    extended.bytes.push_back('\0');
    EXPECT_EQ(cipher.open(extended, kPhoneAd), std::nullopt);
}

TEST(FieldCipher, UnknownVersionFails) {
    FieldCipher cipher(ring_with_key_one());
    SealedField sealed = cipher.seal(kPhone, kPhoneAd);
    for (int version : {0, 2, 255}) {
        SealedField other = sealed;
        other.bytes[0] = static_cast<char>(version);
        EXPECT_EQ(cipher.open(other, kPhoneAd), std::nullopt) << "version " << version;
    }
}

TEST(FieldCipher, UnknownOrWrongKeyIdFails) {
    FieldCipher cipher(rotated_ring());
    SealedField sealed = cipher.seal(kPhone, kPhoneAd);
    ASSERT_EQ(sealed.key_id, 2U);
    SealedField unknown = sealed;
    unknown.key_id = 99;
    EXPECT_EQ(cipher.open(unknown, kPhoneAd), std::nullopt);
    SealedField other_known = sealed;
    other_known.key_id = 1;
    EXPECT_EQ(cipher.open(other_known, kPhoneAd), std::nullopt);
}

TEST(FieldCipher, AnotherMasterKeyWithTheSameIdCannotOpen) {
    FieldCipher cipher(ring_with_key_one());
    MasterKeyring impostor;
    impostor.current_id = 1;
    impostor.keys.emplace(1, SecretKey::random());
    FieldCipher other(impostor);
    EXPECT_EQ(other.open(cipher.seal(kPhone, kPhoneAd), kPhoneAd), std::nullopt);
}

TEST(FieldCipher, RotationKeepsOldValuesReadable) {
    FieldCipher before(ring_with_key_one());
    const SealedField old_value = before.seal(kPhone, kPhoneAd);
    ASSERT_EQ(old_value.key_id, 1U);

    FieldCipher after(rotated_ring());
    EXPECT_EQ(after.current_key_id(), 2U);
    EXPECT_EQ(after.open(old_value, kPhoneAd), std::string(kPhone));
    const SealedField new_value = after.seal(kPhone, kPhoneAd);
    EXPECT_EQ(new_value.key_id, 2U);
    EXPECT_EQ(after.open(new_value, kPhoneAd), std::string(kPhone));
    // A node still on the old ring cannot read values sealed under the new key.
    EXPECT_EQ(before.open(new_value, kPhoneAd), std::nullopt);
}

TEST(FieldCipher, CiphertextContainsNoPlaintext) {
    FieldCipher cipher(ring_with_key_one());
    for (std::string_view value : {kPhone, std::string_view("ID-12345678-KENYA-NATIONAL-CARD")}) {
        const SealedField sealed = cipher.seal(value, kPhoneAd);
        for (std::size_t start = 0; start + 6 <= value.size(); ++start) {
            EXPECT_EQ(sealed.bytes.find(value.substr(start, 6)), std::string::npos);
        }
        EXPECT_EQ(sealed.bytes.find(kPhoneAd), std::string::npos) << "AD is not stored";
    }
}

TEST(FieldCipher, StoredFormatMatchesTheDocumentedConstruction) {
    MasterKeyring ring;
    ring.current_id = 7;
    ring.keys.emplace(7, key_from(kFieldKeyOneHex));
    FieldCipher cipher(ring);
    const SealedField sealed = cipher.seal(kPhone, kPhoneAd);

    // subkey = crypto_kdf(master, id 1, "gwfield0"); AD = version || key id (BE32) || caller AD.
    const SecretKey master = key_from(kFieldKeyOneHex);
    unsigned char subkey[32];
    ASSERT_EQ(crypto_kdf_derive_from_key(subkey, sizeof subkey, 1, "gwfield0", master.data()), 0);
    std::string ad("\x01\x00\x00\x00\x07", 5);
    ad.append(kPhoneAd);
    const auto* bytes = reinterpret_cast<const unsigned char*>(sealed.bytes.data());
    std::string plain(kPhone.size(), '\0');
    unsigned long long plain_bytes = 0;  // NOLINT(google-runtime-int): libsodium's type
    ASSERT_EQ(crypto_aead_xchacha20poly1305_ietf_decrypt(
                  reinterpret_cast<unsigned char*>(plain.data()),
                  &plain_bytes,
                  nullptr,
                  bytes + 25,
                  sealed.bytes.size() - 25,
                  reinterpret_cast<const unsigned char*>(ad.data()),
                  ad.size(),
                  bytes + 1,
                  subkey),
              0);
    EXPECT_EQ(plain, kPhone);
}

TEST(FieldCipher, EqualRingsInteroperate) {
    // What a restart or a second node sees: the same key bytes give the same subkeys.
    FieldCipher first(ring_with_key_one());
    FieldCipher second(ring_with_key_one());
    EXPECT_EQ(second.open(first.seal(kPhone, kPhoneAd), kPhoneAd), std::string(kPhone));
}

TEST(FieldCipher, ConcurrentUseFromManyThreads) {
    const FieldCipher cipher(rotated_ring());
    std::vector<std::thread> threads;
    std::vector<int> failures(4, 0);
    for (std::size_t t = 0; t < failures.size(); ++t) {
        threads.emplace_back([&cipher, &failures, t] {
            for (int i = 0; i < 500; ++i) {
                const std::string value = "value-" + std::to_string(t) + "-" + std::to_string(i);
                if (cipher.open(cipher.seal(value, kPhoneAd), kPhoneAd) != value) {
                    ++failures[t];
                }
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(failures, std::vector<int>(4, 0));
}

TEST(FieldCipherDeathTest, RingWithoutItsCurrentKeyIsAProgrammingError) {
    MasterKeyring ring;
    ring.current_id = 3;
    ring.keys.emplace(1, SecretKey::random());
    EXPECT_DEATH(FieldCipher cipher(ring), "current key");
}

}  // namespace
}  // namespace gw::identity
