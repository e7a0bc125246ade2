#include "mpesa/callback_token.hpp"

#include <array>
#include <stdexcept>

#include <sodium.h>

namespace gw::mpesa {

CallbackToken new_callback_token() {
    if (sodium_init() < 0) {
        throw std::runtime_error("libsodium cannot initialise");
    }
    std::array<unsigned char, 32> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    const std::size_t size =
        sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    std::string token(size, '\0');
    sodium_bin2base64(token.data(),
                      token.size(),
                      bytes.data(),
                      bytes.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    token.resize(size - 1);
    std::string hash = callback_token_hash(token);
    return CallbackToken{std::move(token), std::move(hash)};
}

std::string callback_token_hash(std::string_view token) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(
        digest.data(), reinterpret_cast<const unsigned char*>(token.data()), token.size());
    std::string hex(digest.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    hex.resize(digest.size() * 2);
    return hex;
}

}  // namespace gw::mpesa
