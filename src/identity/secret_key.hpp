#pragma once

// Key material that must never leak: the master encryption keys, the JWT signing key and the
// subkeys derived from them. A SecretKey lives in libsodium guarded memory (guard pages,
// mlock'ed where the system allows, read-only after construction) and is wiped when destroyed.
// It cannot be copied, printed or converted to text, so logging one by accident does not
// compile (STYLE 12, 15).

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <string_view>

#include "core/error.hpp"

namespace gw::identity {

// Initialises libsodium exactly once per process; safe to call from any thread, any number of
// times. Every identity function that uses libsodium calls it first, so callers need not.
// Throws std::runtime_error when libsodium cannot initialise (no usable randomness source).
void ensure_sodium();

// Exactly 32 bytes of secret key material. Move-only; a moved-from key is empty and may only be
// destroyed or assigned to. Immutable after construction, so one key may be read from many
// threads at once.
class SecretKey {
public:
    static constexpr std::size_t kBytes = 32;

    // Returns the key spelled by exactly 64 hexadecimal characters (either case).
    // Errors: ErrorCode::invalid_configuration when `hex` is not exactly 64 hex characters
    //   (no whitespace, no "0x"), or when the key is all zero bytes (a placeholder, not a key).
    //   The detail never contains the text or any part of it.
    // Callers reading a key file strip the trailing newline first.
    [[nodiscard]] static Result<SecretKey> from_hex(std::string_view hex);

    // Returns a fresh key from the operating system's CSPRNG. Throws std::bad_alloc when guarded
    // memory cannot be had.
    static SecretKey random();

    // Returns the subkey number `subkey_id` of `master` for `context` (crypto_kdf, BLAKE2b):
    // deterministic, and independent of the master key and of every other (context, id).
    // REQUIRES: context.size() == 8 (crypto_kdf_CONTEXTBYTES); `master` is not moved-from.
    static SecretKey derive(const SecretKey& master,
                            std::string_view context,
                            std::uint64_t subkey_id);

    SecretKey(SecretKey&& other) noexcept;
    SecretKey& operator=(SecretKey&& other) noexcept;
    SecretKey(const SecretKey&) = delete;
    SecretKey& operator=(const SecretKey&) = delete;
    ~SecretKey();

    // Returns the kBytes bytes of the key, for handing to libsodium or libjwt only.
    // REQUIRES: the key was not moved from.
    const unsigned char* data() const;

    // Returns kBytes. The size is not secret.
    static constexpr std::size_t size() { return kBytes; }

    // Deleted on purpose: a key has no text form. A log statement that tries to print one is a
    // compile error instead of a leak.
    friend std::ostream& operator<<(std::ostream&, const SecretKey&) = delete;

private:
    // Allocates kBytes of guarded, writable memory; the factories fill it and then seal it.
    SecretKey();
    unsigned char* writable_data();
    void seal();

    unsigned char* bytes_ = nullptr;  // sodium_malloc'ed; null when moved from
};

// The master keys of field encryption, by key id. Rotation adds a key and moves current_id to
// it; old keys stay so rows sealed under them still open (DESIGN §7). Built once at start-up
// and then only read, so it may be shared by reference across threads.
// REQUIRES (checked by its users): keys contains current_id.
struct MasterKeyring {
    std::uint32_t current_id = 0;
    std::map<std::uint32_t, SecretKey> keys;
};

}  // namespace gw::identity
