#include "identity/field_crypto.hpp"

#include <cstddef>
#include <string>

#include <sodium.h>

#include "core/assert.hpp"

namespace gw::identity {

namespace {

constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::size_t kHeaderBytes = 1 + kNonceBytes;
static_assert(kNonceBytes == 24 && kTagBytes == 16);

// The associated data actually authenticated: version || key id (4 bytes, big-endian) ||
// the caller's associated data. The header is fixed-length, so the encoding is unambiguous.
std::string full_associated_data(std::uint32_t key_id, std::string_view associated_data) {
    std::string full;
    full.reserve(5 + associated_data.size());
    full.push_back(static_cast<char>(FieldCipher::kVersion));
    for (int shift = 24; shift >= 0; shift -= 8) {
        full.push_back(static_cast<char>((key_id >> shift) & 0xffU));
    }
    full.append(associated_data);
    return full;
}

const unsigned char* bytes_of(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

FieldCipher::FieldCipher(const MasterKeyring& ring) : current_id_(ring.current_id) {
    GW_ASSERT(ring.keys.contains(ring.current_id), "the keyring holds its current key");
    for (const auto& [key_id, master] : ring.keys) {
        subkeys_.emplace(key_id, SecretKey::derive(master, kKdfContext, kKdfSubkeyId));
    }
}

SealedField FieldCipher::seal(std::string_view plaintext, std::string_view associated_data) const {
    const SecretKey& key = subkeys_.at(current_id_);
    std::string ad = full_associated_data(current_id_, associated_data);
    SealedField sealed{current_id_, std::string(kHeaderBytes + plaintext.size() + kTagBytes, '\0')};
    auto* out = reinterpret_cast<unsigned char*>(sealed.bytes.data());
    out[0] = kVersion;
    unsigned char* nonce = out + 1;
    randombytes_buf(nonce, kNonceBytes);
    // NOLINTNEXTLINE(google-runtime-int): libsodium writes lengths as unsigned long long
    unsigned long long cipher_bytes = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + kHeaderBytes,
                                               &cipher_bytes,
                                               bytes_of(plaintext),
                                               plaintext.size(),
                                               bytes_of(ad),
                                               ad.size(),
                                               nullptr,
                                               nonce,
                                               key.data());
    GW_ASSERT(cipher_bytes == plaintext.size() + kTagBytes, "AEAD output is plaintext + tag");
    return sealed;
}

std::optional<std::string> FieldCipher::open(const SealedField& sealed,
                                             std::string_view associated_data) const {
    auto key = subkeys_.find(sealed.key_id);
    if (key == subkeys_.end()) {
        return std::nullopt;
    }
    std::string_view bytes = sealed.bytes;
    if (bytes.size() < kHeaderBytes + kTagBytes) {
        return std::nullopt;
    }
    if (static_cast<unsigned char>(bytes[0]) != kVersion) {
        return std::nullopt;
    }
    std::string ad = full_associated_data(sealed.key_id, associated_data);
    std::string_view cipher = bytes.substr(kHeaderBytes);
    std::string plaintext(cipher.size() - kTagBytes, '\0');
    // NOLINTNEXTLINE(google-runtime-int): libsodium writes lengths as unsigned long long
    unsigned long long plain_bytes = 0;
    int status = crypto_aead_xchacha20poly1305_ietf_decrypt(
        reinterpret_cast<unsigned char*>(plaintext.data()),
        &plain_bytes,
        nullptr,
        bytes_of(cipher),
        cipher.size(),
        bytes_of(ad),
        ad.size(),
        bytes_of(bytes.substr(1, kNonceBytes)),
        key->second.data());
    if (status != 0) {
        return std::nullopt;
    }
    GW_ASSERT(plain_bytes == plaintext.size(), "AEAD output is ciphertext - tag");
    return plaintext;
}

}  // namespace gw::identity
