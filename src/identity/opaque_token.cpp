#include "identity/opaque_token.hpp"

#include <array>
#include <string>

#include <sodium.h>

#include "identity/secret_key.hpp"

namespace gw::identity {

static_assert(kTokenDigestBytes == crypto_hash_sha256_BYTES);
static_assert(kTokenChars + 1 ==
              sodium_base64_ENCODED_LEN(kTokenRandomBytes,
                                        sodium_base64_VARIANT_URLSAFE_NO_PADDING));

std::string random_token() {
    ensure_sodium();
    std::array<unsigned char, kTokenRandomBytes> random{};
    randombytes_buf(random.data(), random.size());
    std::string token(kTokenChars + 1, '\0');  // + the NUL sodium_bin2base64 writes
    sodium_bin2base64(token.data(),
                      token.size(),
                      random.data(),
                      random.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(random.data(), random.size());
    token.resize(kTokenChars);
    return token;
}

std::string token_digest(std::string_view token) {
    std::string digest(kTokenDigestBytes, '\0');
    crypto_hash_sha256(reinterpret_cast<unsigned char*>(digest.data()),
                       reinterpret_cast<const unsigned char*>(token.data()),
                       token.size());
    return digest;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    if (a.empty()) {
        return true;
    }
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace gw::identity
