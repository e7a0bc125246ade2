#pragma once

// Pure validation of account fields, in the order registration reports them
// (username, email, phone, password).

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace gw::identity {

// 3–32 characters of [A-Za-z0-9_.-], starting with a letter or digit (matches the users CHECK).
// Error: validation_failed naming the field.
Result<void> check_username(std::string_view username);

// A plausible address: one '@', a non-empty local part, a dotted domain, no spaces or control
// characters, at most 254 bytes. Deliverability is not checked here. Error: invalid_email.
Result<void> check_email(std::string_view email);

// Trims surrounding whitespace; for emails and usernames as typed by people.
std::string trimmed(std::string_view text);

}  // namespace gw::identity
