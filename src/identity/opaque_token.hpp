#pragma once

// Opaque bearer secrets: refresh tokens, per-trade callback tokens. The client holds the token;
// the database holds only its SHA-256 digest, so a leaked table cannot be replayed.
// All functions are safe to call from any thread.

#include <cstddef>
#include <string>
#include <string_view>

namespace gw::identity {

inline constexpr std::size_t kTokenRandomBytes = 32;
// base64url without padding of 32 bytes.
inline constexpr std::size_t kTokenChars = 43;
inline constexpr std::size_t kTokenDigestBytes = 32;

// Returns 32 fresh random bytes (256 bits) as base64url without padding: 43 characters of
// [A-Za-z0-9_-], safe in URLs, headers and JSON without escaping. Never fails.
std::string random_token();

// Returns the SHA-256 of `token` as 32 raw bytes: what the database stores and looks up.
// A plain hash suffices (no salt, no Argon2) because the token has 256 bits of entropy.
std::string token_digest(std::string_view token);

// Returns whether `a` and `b` hold the same bytes, in time that depends only on their length
// (sodium_memcmp); false at once when the lengths differ, which reveals only the length.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace gw::identity
