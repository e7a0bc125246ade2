#include "identity/hex.hpp"

#include <sodium.h>

#include "core/assert.hpp"

namespace gw::identity {

std::string to_hex(std::string_view bytes) {
    std::string hex(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                   bytes.size());
    hex.pop_back();
    return hex;
}

std::string from_hex(std::string_view hex) {
    std::string bytes(hex.size() / 2, '\0');
    std::size_t length = 0;
    const int status = sodium_hex2bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(),
                                      hex.data(), hex.size(), nullptr, &length, nullptr);
    GW_ASSERT(status == 0 && length == bytes.size(), "hex from the database is well formed");
    return bytes;
}

}  // namespace gw::identity
