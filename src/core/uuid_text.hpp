#pragma once

#include <string_view>

namespace gw {

// True for a UUID in canonical form: 8-4-4-4-12 hex digits (either case).
bool is_uuid(std::string_view text);

}  // namespace gw
