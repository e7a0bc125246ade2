#pragma once

// Strict JSON request bodies. Money never passes through a binary floating-point value without
// proof that no digit was lost: a JSON number written with an exponent, or whose decimal text
// differs from the value it parses to (e.g. 0.10000000000000000001 or a 30-digit integer), makes
// the whole body invalid. Depth is bounded.

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/error.hpp"

namespace gw::http {

// Parses `text` as one JSON document.
// Errors: malformed_json (syntax, trailing data, invalid UTF-8, a string or key holding
// U+0000), json_too_deep (nesting beyond depth_max), invalid_number_format (a number with an
// exponent), inexact_number (a number not exactly representable).
Result<nlohmann::json> parse_strict_json(std::string_view text, std::size_t depth_max);

// Checks that `request` carries application/json and parses its body as a JSON object.
// Errors: unsupported_media_type (415), malformed_json (also for an empty body or a non-object),
// plus those of parse_strict_json.
Result<nlohmann::json> parse_json_request(const httplib::Request& request, std::size_t depth_max);

// Returns whether a Content-Type header value names `media_type` (parameters such as charset
// are ignored; comparison is case-insensitive).
bool has_media_type(std::string_view content_type, std::string_view media_type);

}  // namespace gw::http
