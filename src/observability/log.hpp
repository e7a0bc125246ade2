#pragma once

// JSON-lines logging on stderr (one object per line, through spdlog). Every line written while
// serving a request carries the request id, route and user id from the thread's RequestScope.
// Callers pass structured fields; never pass bodies, tokens, passwords, full phone numbers or
// KYC data.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace gw::obs {

enum class LogLevel { debug, info, warn, error, off };

// Returns the level named `name` ("debug", "info", "warn", "error", "off"), or nullopt-like
// false in `ok` when the name is unknown.
bool parse_log_level(std::string_view name, LogLevel& level);

// Sets up the process-wide logger. Safe to call more than once; the last call wins.
void init_logging(LogLevel level);

// Writes one line {"ts", "level", "event", ...fields, "request_id", "route", "user_id"}.
// Thread-safe.
void log(LogLevel level, std::string_view event, nlohmann::json fields = nlohmann::json::object());

inline void log_debug(std::string_view event, nlohmann::json fields = nlohmann::json::object()) {
    log(LogLevel::debug, event, std::move(fields));
}
inline void log_info(std::string_view event, nlohmann::json fields = nlohmann::json::object()) {
    log(LogLevel::info, event, std::move(fields));
}
inline void log_warn(std::string_view event, nlohmann::json fields = nlohmann::json::object()) {
    log(LogLevel::warn, event, std::move(fields));
}
inline void log_error(std::string_view event, nlohmann::json fields = nlohmann::json::object()) {
    log(LogLevel::error, event, std::move(fields));
}

// The request-scoped context a log line picks up. One per thread; RequestScope sets and clears
// it, so a worker thread that serves many requests never leaks one request's ids into another's.
struct RequestContext {
    std::string request_id;
    std::string route;
    std::string user_id;
};

// Returns the context of the request this thread is serving (empty fields when none).
RequestContext& current_request_context();

// RAII: installs a fresh context for the current thread and clears it on destruction.
class RequestScope {
public:
    explicit RequestScope(std::string request_id);
    ~RequestScope();
    RequestScope(const RequestScope&) = delete;
    RequestScope& operator=(const RequestScope&) = delete;
};

}  // namespace gw::obs
