#pragma once

#include <string>
#include <string_view>

namespace gw::http {

// Returns `incoming` when it is a usable X-Request-Id (1–128 characters of [A-Za-z0-9._-]),
// otherwise a fresh random 32-hex-digit id. Client ids are accepted so a mobile app can follow
// one request through our logs; anything else is replaced rather than echoed.
std::string request_id_for(std::string_view incoming);

}  // namespace gw::http
