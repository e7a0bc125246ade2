#pragma once

// UTF-8 as the database and clients need it: well-formed (RFC 3629), and cut only between
// characters.

#include <cstddef>
#include <optional>
#include <string_view>

namespace gw {

// Number of code points in `text`, or nullopt when it is not well-formed UTF-8 (overlong
// forms, surrogates and values above U+10FFFF are rejected, as RFC 3629 requires).
std::optional<std::size_t> utf8_code_points(std::string_view text);

// Whether `text` is well-formed UTF-8 without NUL: what PostgreSQL can store as text (it
// refuses invalid UTF-8, and libpq would silently cut a value at its first NUL).
bool is_text(std::string_view text);

// The longest prefix of `text` of at most `bytes_max` bytes that does not split a character.
// REQUIRES: `text` is well-formed UTF-8.
std::string_view utf8_prefix(std::string_view text, std::size_t bytes_max);

}  // namespace gw
