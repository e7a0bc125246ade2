#include "http/middleware/security_headers.hpp"

#include <string>

namespace gw::http {

void add_security_headers(httplib::Response& response, bool tls) {
    response.set_header("Content-Security-Policy", std::string(kApiContentSecurityPolicy));
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("X-Frame-Options", "DENY");
    response.set_header("Referrer-Policy", "no-referrer");
    response.set_header("Cross-Origin-Opener-Policy", "same-origin");
    response.set_header("Cross-Origin-Resource-Policy", "same-origin");
    response.set_header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if (tls) {
        response.set_header("Strict-Transport-Security", "max-age=31536000");
    }
}

void use_page_policy(httplib::Response& response) {
    // set_header adds a second header rather than replacing; two policies would both apply.
    response.headers.erase("Content-Security-Policy");
    response.set_header("Content-Security-Policy", std::string(kPageContentSecurityPolicy));
}

}  // namespace gw::http
