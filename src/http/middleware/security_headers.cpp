#include "http/middleware/security_headers.hpp"

#include <string>

namespace gw::http {

namespace {

// httplib's set_header adds a second header rather than replacing the first; two policies
// would both apply.
void replace_header(httplib::Response& response, const std::string& name, std::string_view value) {
    response.headers.erase(name);
    response.set_header(name, std::string(value));
}

}  // namespace

void add_security_headers(httplib::Response& response, bool tls) {
    replace_header(response, "Content-Security-Policy", kApiContentSecurityPolicy);
    replace_header(response, "X-Content-Type-Options", "nosniff");
    replace_header(response, "X-Frame-Options", "DENY");
    replace_header(response, "Referrer-Policy", "no-referrer");
    replace_header(response, "Cross-Origin-Opener-Policy", "same-origin");
    replace_header(response, "Cross-Origin-Resource-Policy", "same-origin");
    replace_header(
        response, "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if (tls) {
        replace_header(response, "Strict-Transport-Security", "max-age=31536000");
    }
}

void use_page_policy(httplib::Response& response) {
    replace_header(response, "Content-Security-Policy", kPageContentSecurityPolicy);
}

}  // namespace gw::http
