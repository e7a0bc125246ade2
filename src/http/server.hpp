#pragma once

// The HTTP server: cpp-httplib as transport, our router and middleware on top.
// Every request gets a request id (X-Request-Id accepted or generated, always echoed), the
// security headers (middleware/security_headers.hpp), one JSON access-log line, a request
// counter and a latency observation by route pattern and status.
// Every error leaves as RFC 9457 problem+json, including the ones the transport produces by
// itself (413, 404); an unexpected exception becomes a 500 without details, logged with the
// request id. A GET that no route takes may be one of the web UIs' files (static_files.hpp).

#include <atomic>
#include <functional>
#include <httplib.h>
#include <memory>

#include "core/error.hpp"
#include "http/router.hpp"
#include "http/settings.hpp"
#include "http/static_files.hpp"
#include "observability/metrics.hpp"

namespace gw::http {

// Turns a bearer token into the caller, or unauthorized / token_expired. Must be thread-safe.
using Authenticator = std::function<Result<identity::Principal>(std::string_view token)>;

class Server {
public:
    // Builds an HTTPS server when settings.tls_cert_path and tls_key_path are set, plain HTTP
    // otherwise, serving the web UIs from settings.web_root when it is set. Throws
    // std::runtime_error when the certificate or key, or the web files, cannot be loaded.
    // REQUIRES: `router` and `metrics` outlive the server and are not modified while it runs.
    Server(Settings settings, const Router& router, obs::MetricsRegistry& metrics);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds the listening socket and returns the port (the chosen one when settings.port is 0).
    // Throws std::runtime_error when the address cannot be bound.
    int bind();

    // Serves requests until stop(); returns once in-flight requests have finished.
    // REQUIRES: bind() succeeded.
    void serve();

    // Stops accepting connections and makes serve() return. Thread-safe; idempotent.
    void stop();

    bool is_tls() const { return tls_; }

    // Installs the authenticator used by routes that require a session. Without one, such
    // routes answer 401. REQUIRES: called before serve().
    void set_authenticator(Authenticator authenticator) { authenticator_ = std::move(authenticator); }

private:
    void install_handlers();
    void dispatch(const httplib::Request& request, httplib::Response& response) const;
    void run_route(const Router::Match& match,
                   const httplib::Request& request,
                   httplib::Response& response) const;
    // Returns the caller of a protected route, or the error (401/403) to answer with.
    Result<identity::Principal> authorize(const Route& route, const httplib::Request& request) const;
    // Answers an exception a route let escape: 503 when the database is unavailable, else a
    // 500 without details (logged with the request id).
    void answer_exception(const std::exception& error, httplib::Response& response) const;
    Result<void> check_body(const Router::Match& match, const httplib::Request& request) const;
    // Answers a GET or HEAD of a web UI file; false when `request` names none.
    bool serve_static(const httplib::Request& request, httplib::Response& response) const;

    const Settings settings_;
    const Router& router_;
    obs::MetricsRegistry& metrics_;
    bool tls_ = false;
    std::unique_ptr<httplib::Server> server_;
    StaticFiles static_files_;
    int listen_socket_ = -1;  // the bound socket, seen through the transport's socket options
    Authenticator authenticator_;
};

}  // namespace gw::http
