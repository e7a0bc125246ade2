#pragma once

// The B2C SecurityCredential (DARAJA.md §6): base64 of the initiator password encrypted with
// RSA PKCS#1 v1.5 under Safaricom's public key. The simulator plays Safaricom: it owns an RSA
// key pair (a PEM file, made on first start), publishes the public half (GET /sim/certificate)
// and checks credentials by decrypting them. RsaKey is immutable after construction and safe
// to use from several threads.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/evp.h>

namespace gw::sim {

inline constexpr int kRsaKeyBitsDefault = 2048;

class RsaKey {
public:
    // Generates a fresh key pair of `bits` bits. Throws std::runtime_error when OpenSSL fails.
    static RsaKey generate(int bits = kRsaKeyBitsDefault);

    // Loads the private key PEM at `path`; when the file does not exist, generates a key of
    // `bits` bits and writes it there with mode 0600 (creating parent directories).
    // Throws std::runtime_error when the file cannot be read, parsed or written.
    static RsaKey load_or_create(const std::filesystem::path& path, int bits = kRsaKeyBitsDefault);

    // Reads a PEM private key (PKCS#8 or traditional RSA) or public key ("PUBLIC KEY").
    // Throws std::runtime_error when `pem` holds neither.
    static RsaKey from_pem(std::string_view pem);

    // The public half as a "-----BEGIN PUBLIC KEY-----" PEM.
    std::string public_key_pem() const;

    // Returns base64(RSA-PKCS#1-v1.5-encrypt(public key, password)). Randomised: two calls give
    // different text for the same password. Throws std::runtime_error when OpenSSL fails.
    std::string encrypt_credential(std::string_view password) const;

    // Returns the plaintext of a credential made by encrypt_credential with this key pair, or
    // nullopt when it is not base64, the key has no private half, or decryption fails.
    std::optional<std::string> decrypt_credential(std::string_view credential) const;

    // True when `credential` decrypts to exactly `password`.
    bool credential_matches(std::string_view credential, std::string_view password) const;

private:
    struct KeyFree {
        void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
    };
    explicit RsaKey(EVP_PKEY* key) : key_(key, KeyFree{}) {}

    std::shared_ptr<EVP_PKEY> key_;  // shared so RsaKey copies cheaply; never mutated
};

}  // namespace gw::sim
