#pragma once

// Base64 for tests that take tokens apart, forge them, or look for secrets in answers
// (libsodium's codec).

#include <optional>
#include <string>
#include <string_view>

namespace gw::test {

// `bytes` in base64url without padding, as JWS segments are written.
std::string base64url(std::string_view bytes);

// The bytes of the base64url (no padding) `text`, or nullopt when it is not that.
std::optional<std::string> from_base64url(std::string_view text);

// `bytes` in standard padded base64 (RFC 4648 §4).
std::string base64(std::string_view bytes);

}  // namespace gw::test
