#pragma once

#include <string>

#include "core/uuid_text.hpp"

namespace gw::identity {

// Returns a random (version 4) UUID in canonical lowercase form. Ids are unguessable so that a
// leaked or enumerated id never helps reach another user's rows.
std::string random_uuid();

using gw::is_uuid;

}  // namespace gw::identity
