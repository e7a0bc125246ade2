#pragma once

// Callback URLs: just enough parsing to tell where a POST would go and whether that is this
// machine. The simulator contacts loopback hosts only (127.0.0.0/8, ::1, localhost); every
// other host is recorded as refused and never contacted. Pure functions, safe from any thread.

#include <optional>
#include <string>
#include <string_view>

namespace gw::sim {

struct Url {
    std::string scheme;  // "http" or "https"
    std::string host;    // without brackets for IPv6 ("::1")
    int port = 0;        // the explicit port, or 80 / 443
    std::string target;  // path and query, "/" when empty
};

// Parses "http(s)://host[:port][/path][?query]" (IPv6 hosts in brackets). Returns nullopt for
// another scheme, an empty host, a port that is not 1..65535, user info ("user@host") or a
// fragment-only remainder. Does not resolve anything.
std::optional<Url> parse_url(std::string_view text);

// True for "localhost" (any case), an IPv4 address in 127.0.0.0/8 and "::1".
bool is_loopback_host(std::string_view host);

// Returns the path of `url` without query ("/hooks/abc"), or "" when it does not parse. Used
// where the simulator shows a callback URL without its secret-bearing query or host.
std::string url_path(std::string_view url);

}  // namespace gw::sim
