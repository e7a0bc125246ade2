// Proves the SecurityCredential round trip: a credential made with the public half decrypts
// (PKCS#1 v1.5) to the password with the private half, encryption is randomised, a wrong
// password, garbage, non-base64 text or a credential from another key do not match, a
// public-only key cannot check, and load_or_create writes a 0600 PEM once and reloads it.

#include "daraja-sim/security_credential.hpp"

#include <filesystem>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "daraja-sim/base64.hpp"

namespace gw::sim {
namespace {

constexpr std::string_view kPassword = "Safaricom999!*!";

// One key for the whole file: RSA key generation is the slow part.
const RsaKey& shared_key() {
    static const RsaKey key = RsaKey::generate(2048);
    return key;
}

TEST(SecurityCredential, RoundTrip) {
    const std::string credential = shared_key().encrypt_credential(kPassword);
    EXPECT_EQ(base64_decode(credential)->size(), 256U);  // one 2048-bit block
    EXPECT_EQ(shared_key().decrypt_credential(credential), std::string(kPassword));
    EXPECT_TRUE(shared_key().credential_matches(credential, kPassword));
}

TEST(SecurityCredential, Randomised) {
    EXPECT_NE(shared_key().encrypt_credential(kPassword),
              shared_key().encrypt_credential(kPassword));
}

TEST(SecurityCredential, MismatchesAreRefused) {
    const std::string credential = shared_key().encrypt_credential("wrong-password");
    EXPECT_FALSE(shared_key().credential_matches(credential, kPassword));
    EXPECT_FALSE(shared_key().credential_matches("not base64!", kPassword));
    EXPECT_FALSE(shared_key().credential_matches(base64_encode("garbage"), kPassword));
    EXPECT_FALSE(shared_key().credential_matches("", kPassword));
    const RsaKey other = RsaKey::generate(1024);
    EXPECT_FALSE(shared_key().credential_matches(other.encrypt_credential(kPassword), kPassword));
}

TEST(SecurityCredential, PublicHalfEncryptsButCannotCheck) {
    const RsaKey public_only = RsaKey::from_pem(shared_key().public_key_pem());
    const std::string credential = public_only.encrypt_credential(kPassword);
    EXPECT_TRUE(shared_key().credential_matches(credential, kPassword));
    EXPECT_FALSE(public_only.credential_matches(credential, kPassword));
    EXPECT_NE(shared_key().public_key_pem().find("-----BEGIN PUBLIC KEY-----"), std::string::npos);
}

TEST(SecurityCredential, LoadOrCreateWritesAPrivateFileOnce) {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("daraja-sim-key-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const std::filesystem::path file = dir / "nested" / "key.pem";
    const RsaKey made = RsaKey::load_or_create(file, 1024);
    struct stat info {};
    ASSERT_EQ(::stat(file.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600U);
    const RsaKey loaded = RsaKey::load_or_create(file, 1024);
    EXPECT_EQ(loaded.public_key_pem(), made.public_key_pem());
    EXPECT_TRUE(loaded.credential_matches(made.encrypt_credential(kPassword), kPassword));
    std::filesystem::remove_all(dir);
}

TEST(SecurityCredential, RefusesWhatIsNotAKey) {
    EXPECT_THROW(RsaKey::from_pem("not a pem"), std::runtime_error);
}

}  // namespace
}  // namespace gw::sim
