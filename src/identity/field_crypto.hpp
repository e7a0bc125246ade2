#pragma once

// Encryption of single database fields at rest (phone number, national ID, KYC file keys):
// XChaCha20-Poly1305-IETF under a subkey of a master key, with the key id stored beside the
// ciphertext so keys can rotate (DESIGN §7).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "identity/secret_key.hpp"

namespace gw::identity {

// A sealed value as stored: the id of the master key it was sealed under, and
// bytes = version (1 byte, currently 1) || nonce (24 random bytes) || ciphertext || tag (16).
// `bytes` is binary; store it as bytea.
struct SealedField {
    std::uint32_t key_id = 0;
    std::string bytes;

    friend bool operator==(const SealedField&, const SealedField&) = default;
};

// Seals and opens fields. Const after construction and safe to use from many threads at once.
//
// Associated data binds a ciphertext to where it belongs: callers pass
// `user_id + ":" + column` (or "kyc-file:" + doc_id for a KYC file key), so a value copied to
// another row or column fails to open instead of decrypting as someone else's data. The
// version byte and key id are bound as well.
class FieldCipher {
public:
    // The crypto_kdf context and subkey id under which field subkeys derive from master keys.
    static constexpr std::string_view kKdfContext = "gwfield0";
    static constexpr std::uint64_t kKdfSubkeyId = 1;
    static constexpr unsigned char kVersion = 1;

    // Derives one field subkey per master key in `ring`; keeps no reference to `ring`.
    // REQUIRES: ring.keys contains ring.current_id.
    explicit FieldCipher(const MasterKeyring& ring);

    FieldCipher(const FieldCipher&) = delete;
    FieldCipher& operator=(const FieldCipher&) = delete;

    // Returns `plaintext` sealed under the current key with a fresh random nonce, bound to
    // `associated_data`. Two seals of the same value differ. Never fails.
    SealedField seal(std::string_view plaintext, std::string_view associated_data) const;

    // Returns the plaintext of `sealed` when it was sealed by a key of the ring with exactly
    // this `associated_data`; nullopt when the key id is unknown, the version byte is not
    // kVersion, the bytes are too short, or authentication fails (any byte changed, wrong
    // associated data). Callers treat nullopt as corruption or tampering, never as "empty".
    std::optional<std::string> open(const SealedField& sealed,
                                    std::string_view associated_data) const;

    // Returns the id of the key that seal() uses.
    std::uint32_t current_key_id() const { return current_id_; }

private:
    std::uint32_t current_id_;
    std::map<std::uint32_t, SecretKey> subkeys_;
};

}  // namespace gw::identity
