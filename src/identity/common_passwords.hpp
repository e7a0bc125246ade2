#pragma once

// The embedded list of common passwords that check_password_policy refuses. The reviewed
// source is src/identity/common_passwords.txt; common_passwords.cpp is generated from it
// (the command is at the top of that file) so the binary never reads the source tree.

#include <span>
#include <string_view>

namespace gw::identity {

// Returns whether `lowercase_password` is on the list (binary search, exact match).
// REQUIRES: ASCII letters already lowercased; the list holds lowercase entries only.
bool is_common_password(std::string_view lowercase_password);

// Returns the whole list, sorted bytewise and free of duplicates; for tests and tools.
std::span<const std::string_view> common_passwords();

}  // namespace gw::identity
