#pragma once

// Binary values cross the libpq boundary as hex text (`decode($1, 'hex')`, `encode(col, 'hex')`):
// libpq's text parameters end at the first NUL byte, and hex keeps every statement readable.

#include <string>
#include <string_view>

namespace gw::identity {

std::string to_hex(std::string_view bytes);

// REQUIRES: `hex` is lowercase or uppercase hex of even length (it comes from encode()).
std::string from_hex(std::string_view hex);

}  // namespace gw::identity
