#pragma once

// Security headers. Every response carries the baseline: no MIME sniffing, no framing, no
// referrer, no cross-origin reads, and a Content-Security-Policy that allows nothing (a JSON
// answer opened in a browser cannot run anything). The web pages then get the page policy:
// scripts, styles and API calls from this origin only, no inline script or style, images also
// from blob: (KYC documents fetched with the bearer token), no frames, objects or plugins.

#include <string_view>

#include <httplib.h>

namespace gw::http {

inline constexpr std::string_view kApiContentSecurityPolicy =
    "default-src 'none'; frame-ancestors 'none'";

inline constexpr std::string_view kPageContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

// Sets the baseline on `response`, replacing any earlier values (safe to call twice); `tls`
// adds Strict-Transport-Security.
void add_security_headers(httplib::Response& response, bool tls);

// Replaces the response's Content-Security-Policy with the page policy.
void use_page_policy(httplib::Response& response);

}  // namespace gw::http
