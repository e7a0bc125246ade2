#include "identity/blind_index.hpp"

#include <string>

#include <sodium.h>

#include "core/assert.hpp"

namespace gw::identity {

static_assert(BlindIndex::kIndexBytes == crypto_auth_hmacsha256_BYTES);

namespace {

const SecretKey& master_key(const MasterKeyring& ring, std::uint32_t key_id) {
    auto found = ring.keys.find(key_id);
    GW_ASSERT(found != ring.keys.end(), "the blind-index key id is in the keyring");
    return found->second;
}

}  // namespace

BlindIndex::BlindIndex(const MasterKeyring& ring, std::uint32_t key_id)
    : key_id_(key_id),
      subkey_(SecretKey::derive(master_key(ring, key_id), kKdfContext, kKdfSubkeyId)) {}

BlindIndex::BlindIndex(const MasterKeyring& ring) : BlindIndex(ring, ring.current_id) {}

std::string BlindIndex::compute(std::string_view normalized_value) const {
    std::string index(kIndexBytes, '\0');
    crypto_auth_hmacsha256(reinterpret_cast<unsigned char*>(index.data()),
                           reinterpret_cast<const unsigned char*>(normalized_value.data()),
                           normalized_value.size(),
                           subkey_.data());
    return index;
}

}  // namespace gw::identity
