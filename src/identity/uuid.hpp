#pragma once

#include <string>

namespace gw::identity {

// Returns a random (version 4) UUID in canonical lowercase form. Ids are unguessable so that a
// leaked or enumerated id never helps reach another user's rows.
std::string random_uuid();

// True for a canonical lowercase or uppercase UUID ("8-4-4-4-12" hex digits).
bool is_uuid(std::string_view text);

}  // namespace gw::identity
