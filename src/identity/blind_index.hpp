#pragma once

// Blind indexes: a keyed, deterministic fingerprint of a sensitive value (phone number,
// national ID) stored beside its ciphertext, so "is this phone already registered?" is an
// equality lookup without decrypting every row (DESIGN §7). Without the key, an index reveals
// nothing and cannot be brute-forced from the small space of phone numbers.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "identity/secret_key.hpp"

namespace gw::identity {

// Computes blind indexes with HMAC-SHA256 under a subkey of ONE master key. Const after
// construction and safe to use from many threads at once.
//
// Rotation: unlike FieldCipher, a blind index cannot follow the keyring's current key, because
// every stored index would stop matching the moment the key changed. The master key is fixed
// at construction; moving to another key means recomputing the index column of every row
// (a re-index job) before the new key is used for lookups. Production wiring therefore pins
// the key id in configuration rather than taking whatever key is current.
class BlindIndex {
public:
    static constexpr std::string_view kKdfContext = "gwblind0";
    static constexpr std::uint64_t kKdfSubkeyId = 1;
    static constexpr std::size_t kIndexBytes = 32;

    // Uses the master key `key_id` of `ring`; keeps no reference to `ring`.
    // REQUIRES: ring.keys contains key_id.
    BlindIndex(const MasterKeyring& ring, std::uint32_t key_id);

    // Uses the ring's current key. Fine for tests and for a deployment that has never rotated;
    // see the class comment before relying on it after a rotation.
    // REQUIRES: ring.keys contains ring.current_id.
    explicit BlindIndex(const MasterKeyring& ring);

    BlindIndex(const BlindIndex&) = delete;
    BlindIndex& operator=(const BlindIndex&) = delete;

    // Returns the 32 raw bytes of HMAC-SHA256(subkey, normalized_value): the same value always
    // gives the same index; another key gives an unrelated one. Store as bytea.
    // REQUIRES: the value is already normalized (normalize_msisdn for phones), otherwise
    // "0712345678" and "254712345678" get different indexes.
    std::string compute(std::string_view normalized_value) const;

    // Returns the id of the master key the index is derived from.
    std::uint32_t key_id() const { return key_id_; }

private:
    std::uint32_t key_id_;
    SecretKey subkey_;
};

}  // namespace gw::identity
