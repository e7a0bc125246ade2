#pragma once

// Standard base64 (RFC 4648 §4, with '=' padding), used for STK passwords, Basic auth and the
// B2C SecurityCredential. Pure functions, safe from any thread.

#include <optional>
#include <string>
#include <string_view>

namespace gw::sim {

// Returns the padded base64 text of `bytes`.
std::string base64_encode(std::string_view bytes);

// Returns the bytes of padded base64 `text`. Returns nullopt when the length is not a multiple
// of 4, a byte is outside the alphabet, or padding appears anywhere but the end.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace gw::sim
