#pragma once

#include <string>
#include <string_view>

namespace gw {

// True for a UUID in canonical form: 8-4-4-4-12 hex digits (either case).
bool is_uuid(std::string_view text);

// `uuid` in lower case, as PostgreSQL prints it, so that ids from a client compare equal to ids
// from the database. Any other text is lowered the same way.
std::string lower_case_uuid(std::string_view uuid);

}  // namespace gw
