#pragma once

// The RFC 7240 Prefer request header, as far as this API honours it: the `wait` preference.

#include <chrono>
#include <optional>
#include <string_view>

namespace gw::http {

// The seconds of the `wait` preference in a Prefer header value ("wait=10", or among others:
// "respond-async, wait=10"; the value may be quoted), at most `max`. Nullopt when there is no
// such preference or it is not a whole number of seconds: a preference the server does not
// understand is ignored (RFC 7240 §2), so that is never an error. Several Prefer headers are
// one list, joined with commas. REQUIRES: 0 <= max <= 10^9 s.
std::optional<std::chrono::seconds> preferred_wait(std::string_view prefer, std::chrono::seconds max);

}  // namespace gw::http
