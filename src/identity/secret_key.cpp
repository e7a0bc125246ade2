#include "identity/secret_key.hpp"

#include <cstddef>
#include <new>
#include <stdexcept>
#include <utility>

#include <sodium.h>

#include "core/assert.hpp"

namespace gw::identity {

static_assert(SecretKey::kBytes == crypto_kdf_KEYBYTES);
static_assert(SecretKey::kBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(SecretKey::kBytes == crypto_auth_hmacsha256_KEYBYTES);

namespace {

constexpr std::size_t kHexChars = SecretKey::kBytes * 2;

Error bad_key_text(std::string detail) {
    return make_error(ErrorCode::invalid_configuration, std::move(detail));
}

}  // namespace

void ensure_sodium() {
    // A function-local static is initialised exactly once, even with concurrent callers.
    static const int status = sodium_init();
    if (status < 0) {
        throw std::runtime_error("libsodium could not be initialised");
    }
}

SecretKey::SecretKey() {
    ensure_sodium();
    bytes_ = static_cast<unsigned char*>(sodium_malloc(kBytes));
    if (bytes_ == nullptr) {
        throw std::bad_alloc();
    }
}

Result<SecretKey> SecretKey::from_hex(std::string_view hex) {
    if (hex.size() != kHexChars) {
        return bad_key_text("key must be exactly 64 hexadecimal characters");
    }
    SecretKey key;
    std::size_t decoded_bytes = 0;
    const char* hex_end = nullptr;
    // Decodes straight into guarded memory so no copy of the key sits on the stack.
    int status = sodium_hex2bin(
        key.writable_data(), kBytes, hex.data(), hex.size(), nullptr, &decoded_bytes, &hex_end);
    if (status != 0 || decoded_bytes != kBytes || hex_end != hex.data() + hex.size()) {
        return bad_key_text("key must be exactly 64 hexadecimal characters");
    }
    if (sodium_is_zero(key.data(), kBytes) == 1) {
        return bad_key_text("key must not be all zeros");
    }
    key.seal();
    return key;
}

SecretKey SecretKey::random() {
    SecretKey key;
    randombytes_buf(key.writable_data(), kBytes);
    key.seal();
    return key;
}

SecretKey SecretKey::derive(const SecretKey& master,
                            std::string_view context,
                            std::uint64_t subkey_id) {
    GW_ASSERT(context.size() == crypto_kdf_CONTEXTBYTES, "crypto_kdf contexts are 8 bytes");
    SecretKey subkey;
    int status = crypto_kdf_derive_from_key(
        subkey.writable_data(), kBytes, subkey_id, context.data(), master.data());
    // Fails only for an out-of-range subkey length, which kBytes is not.
    GW_ASSERT(status == 0, "crypto_kdf_derive_from_key accepts 32-byte subkeys");
    subkey.seal();
    return subkey;
}

SecretKey::SecretKey(SecretKey&& other) noexcept : bytes_(std::exchange(other.bytes_, nullptr)) {}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
    if (this != &other) {
        if (bytes_ != nullptr) {
            sodium_free(bytes_);
        }
        bytes_ = std::exchange(other.bytes_, nullptr);
    }
    return *this;
}

SecretKey::~SecretKey() {
    // sodium_free makes the region writable again, zeroes it and unmaps it.
    if (bytes_ != nullptr) {
        sodium_free(bytes_);
    }
}

const unsigned char* SecretKey::data() const {
    GW_ASSERT(bytes_ != nullptr, "a moved-from SecretKey has no bytes");
    return bytes_;
}

unsigned char* SecretKey::writable_data() {
    return bytes_;
}

void SecretKey::seal() {
    // Read-only from here on: a stray write through a bad pointer faults instead of silently
    // changing the key.
    sodium_mprotect_readonly(bytes_);
}

}  // namespace gw::identity
