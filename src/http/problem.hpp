#pragma once

// RFC 9457 problem details: the single mapping from ErrorCode to HTTP status and title, and the
// writer every error response goes through.

#include <httplib.h>
#include <string_view>

#include "core/error.hpp"

namespace gw::http {

// Returns the HTTP status for `code` (one switch, no default: a new code without a status is a
// compile error).
int http_status(ErrorCode code);

// Returns the short human title for `code`, the same for every occurrence.
std::string_view title(ErrorCode code);

// Fills `response` with an application/problem+json body:
// {"type", "title", "status", "code", "detail", "request_id"}. `error.detail` must be safe to
// show the client.
void write_problem(httplib::Response& response, const Error& error, std::string_view request_id);

// Maps a status the transport produced by itself (before any route ran) to an ErrorCode.
ErrorCode error_code_for_status(int status);

}  // namespace gw::http
