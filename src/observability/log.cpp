#include "observability/log.hpp"

#include <chrono>
#include <ctime>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace gw::obs {
namespace {

constexpr std::string_view kLoggerName = "goldwallet";

spdlog::level::level_enum to_spdlog(LogLevel level) {
    switch (level) {
        case LogLevel::debug: return spdlog::level::debug;
        case LogLevel::info: return spdlog::level::info;
        case LogLevel::warn: return spdlog::level::warn;
        case LogLevel::error: return spdlog::level::err;
        case LogLevel::off: return spdlog::level::off;
    }
    return spdlog::level::info;
}

std::string_view level_name(LogLevel level) {
    switch (level) {
        case LogLevel::debug: return "debug";
        case LogLevel::info: return "info";
        case LogLevel::warn: return "warn";
        case LogLevel::error: return "error";
        case LogLevel::off: return "off";
    }
    return "info";
}

// RFC 3339 UTC with milliseconds, e.g. 2026-11-25T10:00:00.123Z.
std::string utc_timestamp() {
    const auto now = std::chrono::system_clock::now();
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    const std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
    char result[48];
    std::snprintf(result, sizeof result, "%.*s.%03lldZ", static_cast<int>(length), buffer,
                  static_cast<long long>(millis));
    return result;
}

std::shared_ptr<spdlog::logger> logger() {
    auto existing = spdlog::get(std::string(kLoggerName));
    if (existing) {
        return existing;
    }
    init_logging(LogLevel::info);
    return spdlog::get(std::string(kLoggerName));
}

thread_local RequestContext tls_request_context;

}  // namespace

bool parse_log_level(std::string_view name, LogLevel& level) {
    for (LogLevel candidate :
         {LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error, LogLevel::off}) {
        if (level_name(candidate) == name) {
            level = candidate;
            return true;
        }
    }
    return false;
}

void init_logging(LogLevel level) {
    spdlog::drop(std::string(kLoggerName));
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto created = std::make_shared<spdlog::logger>(std::string(kLoggerName), sink);
    created->set_pattern("%v");
    created->set_level(to_spdlog(level));
    created->flush_on(spdlog::level::trace);
    spdlog::register_logger(created);
}

void log(LogLevel level, std::string_view event, nlohmann::json fields) {
    auto target = logger();
    if (!target->should_log(to_spdlog(level))) {
        return;
    }
    nlohmann::json line = {{"ts", utc_timestamp()}, {"level", level_name(level)}, {"event", event}};
    if (fields.is_object()) {
        line.update(fields);
    }
    const RequestContext& context = tls_request_context;
    if (!context.request_id.empty()) {
        line["request_id"] = context.request_id;
    }
    if (!context.route.empty()) {
        line["route"] = context.route;
    }
    if (!context.user_id.empty()) {
        line["user_id"] = context.user_id;
    }
    target->log(to_spdlog(level), "{}",
                line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

RequestContext& current_request_context() { return tls_request_context; }

RequestScope::RequestScope(std::string request_id) {
    tls_request_context = RequestContext{std::move(request_id), {}, {}};
}

RequestScope::~RequestScope() { tls_request_context = RequestContext{}; }

}  // namespace gw::obs
