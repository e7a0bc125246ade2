#include "http/server.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <optional>
#include <stdexcept>

#include "core/assert.hpp"
#include "core/utf8.hpp"
#include "db/unavailable.hpp"
#include "http/json_body.hpp"
#include "http/middleware/access_log.hpp"
#include "http/middleware/request_id.hpp"
#include "http/middleware/security_headers.hpp"
#include "http/problem.hpp"
#include "observability/log.hpp"

namespace gw::http {
namespace {

constexpr std::string_view kUnmatchedRoute = "unmatched";

// When the exchange on this worker thread began. Set before routing, read by the access log.
thread_local std::chrono::steady_clock::time_point tls_request_started;

std::unique_ptr<httplib::Server> make_transport(const Settings& settings, bool& tls) {
    tls = !settings.tls_cert_path.empty() && !settings.tls_key_path.empty();
    if (!tls) {
        return std::make_unique<httplib::Server>();
    }
    auto server = std::make_unique<httplib::SSLServer>(settings.tls_cert_path.c_str(),
                                                       settings.tls_key_path.c_str());
    if (!server->is_valid()) {
        throw std::runtime_error(
            "GOLDWALLET_TLS_CERT / GOLDWALLET_TLS_KEY could not be loaded as a PEM pair");
    }
    return server;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string joined;
    for (const std::string& item : items) {
        if (!joined.empty()) {
            joined += separator;
        }
        joined += item;
    }
    return joined;
}

// Whether the decoded path and every query name and value are UTF-8 text without NUL: what
// PostgreSQL could not store or compare as text never reaches a handler.
bool target_is_text(const httplib::Request& request) {
    return is_text(request.path) &&
           std::all_of(request.params.begin(), request.params.end(), [](const auto& param) {
               return is_text(param.first) && is_text(param.second);
           });
}

}  // namespace

Server::Server(Settings settings, const Router& router, obs::MetricsRegistry& metrics)
    : settings_(std::move(settings)),
      router_(router),
      metrics_(metrics),
      server_(make_transport(settings_, tls_)) {
    if (!settings_.web_root.empty()) {
        static_files_ = StaticFiles::load(settings_.web_root);
    }
    install_handlers();
}

Server::~Server() { stop(); }

void Server::install_handlers() {
    const std::size_t threads = settings_.worker_threads;
    server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    // The transport admits the largest body any route takes; each route kind is then held to
    // its own limit in check_body().
    server_->set_payload_max_length(std::max(settings_.body_bytes_max, settings_.upload_bytes_max));
    server_->set_read_timeout(settings_.read_timeout_seconds, 0);
    server_->set_write_timeout(settings_.write_timeout_seconds, 0);
    server_->set_keep_alive_timeout(settings_.keep_alive_timeout_seconds);
    // The transport writes a response's headers and body separately: without TCP_NODELAY, the
    // second write of an answer on a kept-alive connection waits for the client's delayed ACK.
    server_->set_tcp_nodelay(true);
    server_->set_socket_options([this](socket_t socket) {
        httplib::default_socket_options(socket);
        listen_socket_ = static_cast<int>(socket);
    });

    server_->set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
        tls_request_started = std::chrono::steady_clock::now();
        obs::current_request_context() =
            obs::RequestContext{request_id_for(request.get_header_value("X-Request-Id")), {}, {}};
        response.set_header("X-Request-Id", obs::current_request_context().request_id);
        add_security_headers(response, tls_);
        return httplib::Server::HandlerResponse::Unhandled;
    });

    auto dispatch = [this](const httplib::Request& request, httplib::Response& response) {
        this->dispatch(request, response);
    };
    server_->Get(".*", dispatch);
    server_->Post(".*", dispatch);
    server_->Put(".*", dispatch);
    server_->Patch(".*", dispatch);
    server_->Delete(".*", dispatch);
    server_->Options(".*", dispatch);

    // Statuses the transport produced itself (413 before routing, 400 for a broken request
    // line or multipart body, 431) leave with an empty body; give them the same problem+json
    // shape. They also ask the client to close the connection (Connection: close): after such
    // an error the transport may not have read the whole body, and a client or proxy that sent
    // its next request on the same connection would have the rest of that body read as a
    // request (found by fuzz_multipart_parse; behind a proxy that reuses connections, request
    // smuggling).
    const httplib::Server::HandlerWithResponse problem_for_bare_status =
        [this](const httplib::Request&, httplib::Response& response) {
        add_security_headers(response, tls_);  // these may not have passed pre-routing
        if (!response.body.empty()) {
            return httplib::Server::HandlerResponse::Unhandled;
        }
        const ErrorCode code = error_code_for_status(response.status);
        response.set_header("Connection", "close");
        write_problem(response, Error{code, {}}, obs::current_request_context().request_id);
        return httplib::Server::HandlerResponse::Handled;
    };
    server_->set_error_handler(problem_for_bare_status);

    server_->set_logger([this](const httplib::Request& request, const httplib::Response& response) {
        auto& context = obs::current_request_context();
        if (context.route.empty()) {
            context.route = kUnmatchedRoute;
        }
        record_exchange(metrics_, request.method, response.status,
                        std::chrono::steady_clock::now() - tls_request_started);
        context = obs::RequestContext{};
    });
}

void Server::dispatch(const httplib::Request& request, httplib::Response& response) const {
    auto& context = obs::current_request_context();
    if (!target_is_text(request)) {
        write_problem(response,
                      Error{ErrorCode::validation_failed,
                            "the path and query must be UTF-8 text without NUL"},
                      context.request_id);
        return;
    }
    const Router::Match match = router_.match(request.method, request.path);
    if (auto body_ok = check_body(match, request); !body_ok) {
        write_problem(response, body_ok.error(), context.request_id);
        return;
    }
    switch (match.outcome) {
        case Router::Outcome::not_found:
            if (serve_static(request, response)) {
                return;
            }
            write_problem(response, Error{ErrorCode::not_found, "no such resource"},
                          context.request_id);
            return;
        case Router::Outcome::method_not_allowed:
            response.set_header("Allow", join(match.allowed_methods, ", "));
            write_problem(response,
                          Error{ErrorCode::method_not_allowed,
                                "allowed: " + join(match.allowed_methods, ", ")},
                          context.request_id);
            return;
        case Router::Outcome::found:
            break;
    }
    context.route = match.route->pattern;
    try {
        run_route(match, request, response);
    } catch (const std::exception& error) {
        answer_exception(error, response);
    }
}

void Server::answer_exception(const std::exception& error, httplib::Response& response) const {
    const auto& context = obs::current_request_context();
    response = httplib::Response{};
    response.set_header("X-Request-Id", context.request_id);
    add_security_headers(response, tls_);
    if (db::is_database_unavailable(error)) {
        // PostgreSQL restarting or out of reach: the request changed nothing it could not
        // replay (a trade retried with its Idempotency-Key is placed once).
        obs::log_warn("http.database_unavailable", {{"what", error.what()}});
        response.set_header("Retry-After", "1");
        write_problem(response, Error{ErrorCode::service_unavailable, "the database is unavailable; retry shortly"},
                      context.request_id);
        return;
    }
    if (db::is_database_busy(error)) {
        // Timed out or lost to contention: rolled back, so the request may simply be sent again.
        // Counted, because many of these mean the database needs more capacity (or a query
        // needs an index).
        metrics_.increment("goldwallet_database_busy_total",
                           "Requests answered 503 because the database was too busy", {});
        obs::log_warn("http.database_busy", {{"what", error.what()}});
        response.set_header("Retry-After", "1");
        write_problem(response, Error{ErrorCode::service_unavailable, "the database is busy; retry shortly"},
                      context.request_id);
        return;
    }
    if (dynamic_cast<const InvariantViolation*>(&error) != nullptr) {
        metrics_.increment("goldwallet_invariant_violations_total",
                           "Invariant checks that failed at run time", {});
    }
    obs::log_error("http.unhandled_exception", {{"what", error.what()}});
    write_problem(response, Error{ErrorCode::internal_error, {}}, context.request_id);
}

Result<void> Server::check_body(const Router::Match& match,
                                const httplib::Request& request) const {
    const bool upload = match.outcome == Router::Outcome::found &&
                        (match.route->body == BodyKind::multipart || match.route->body == BodyKind::csv);
    if (!upload && request.body.size() > settings_.body_bytes_max) {
        return make_error(ErrorCode::payload_too_large,
                          "request body over " + std::to_string(settings_.body_bytes_max) +
                              " bytes");
    }
    return {};
}

bool Server::serve_static(const httplib::Request& request, httplib::Response& response) const {
    if (request.method != "GET" && request.method != "HEAD") {
        return false;
    }
    const StaticFile* file = static_files_.find(request.path);
    // "/admin" is the console's address as people type it.
    const bool directory = file == nullptr && static_files_.find(request.path + "/") != nullptr;
    if (file == nullptr && !directory) {
        return false;
    }
    obs::current_request_context().route = "static";
    if (directory) {
        response.status = 308;
        response.set_header("Location", request.path + "/");
        return true;
    }
    use_page_policy(response);
    response.set_header("ETag", file->etag);
    response.set_header("Cache-Control", "no-cache");
    if (request.get_header_value("If-None-Match") == file->etag) {
        response.status = 304;
        return true;
    }
    response.set_content(file->body, file->content_type);
    return true;
}

Result<identity::Principal> Server::authorize(const Route& route,
                                              const httplib::Request& request) const {
    const std::string header = request.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (!authenticator_ || header.size() <= kBearer.size() || !header.starts_with(kBearer)) {
        return make_error(ErrorCode::unauthorized, "send a bearer access token");
    }
    auto principal = authenticator_(std::string_view(header).substr(kBearer.size()));
    if (!principal) {
        return principal.error();
    }
    if (route.access.kind == Access::Kind::roles &&
        std::find(route.access.roles.begin(), route.access.roles.end(), principal->role) ==
            route.access.roles.end()) {
        return make_error(ErrorCode::forbidden, "your role may not do this");
    }
    return principal;
}

void Server::run_route(const Router::Match& match, const httplib::Request& request,
                       httplib::Response& response) const {
    auto& context = obs::current_request_context();
    std::optional<identity::Principal> principal;
    if (match.route->access.kind != Access::Kind::anyone) {
        auto authorized = authorize(*match.route, request);
        if (!authorized) {
            if (authorized.error().code != ErrorCode::forbidden) {
                response.set_header("WWW-Authenticate", "Bearer");
            }
            write_problem(response, authorized.error(), context.request_id);
            return;
        }
        principal = std::move(*authorized);
        context.user_id = principal->user_id;
    }
    nlohmann::json body;
    if (match.route->body == BodyKind::json) {
        auto parsed = parse_json_request(request, settings_.json_depth_max);
        if (!parsed) {
            write_problem(response, parsed.error(), context.request_id);
            return;
        }
        body = std::move(*parsed);
    } else if (match.route->body == BodyKind::multipart && !request.is_multipart_form_data()) {
        write_problem(response,
                      Error{ErrorCode::unsupported_media_type, "send the body as multipart/form-data"},
                      context.request_id);
        return;
    } else if (match.route->body == BodyKind::csv &&
               !has_media_type(request.get_header_value("Content-Type"), "text/csv")) {
        write_problem(response,
                      Error{ErrorCode::unsupported_media_type, "send the body as text/csv"},
                      context.request_id);
        return;
    }
    const RouteRequest route_request{request, match.params, body, context.request_id,
                                     principal ? &*principal : nullptr};
    match.route->handler(route_request, response);
}

int Server::bind() {
    const int port = settings_.port == 0 ? server_->bind_to_any_port(settings_.host)
                                         : (server_->bind_to_port(settings_.host, settings_.port)
                                                ? settings_.port
                                                : -1);
    if (port < 0) {
        throw std::runtime_error("cannot listen on " + settings_.host + ":" +
                                 std::to_string(settings_.port));
    }
    // The transport listens with a backlog of 5: a burst of new connections (many buyers at
    // once, a load balancer opening its pool) would be dropped. Listening again only raises it.
    constexpr int kListenBacklog = 1024;
    if (listen_socket_ >= 0 && ::listen(listen_socket_, kListenBacklog) != 0) {
        obs::log_warn("http.listen_backlog", {{"errno", errno}});
    }
    return port;
}

void Server::serve() { server_->listen_after_bind(); }

void Server::stop() {
    if (server_->is_running()) {
        server_->stop();
    }
}

}  // namespace gw::http
