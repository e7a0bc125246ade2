#include "http/middleware/access_log.hpp"

#include "observability/log.hpp"

namespace gw::http {

void record_exchange(obs::MetricsRegistry& metrics, std::string_view method, int status,
                     std::chrono::steady_clock::duration elapsed) {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed);
    const std::string& route = obs::current_request_context().route;
    metrics.increment("goldwallet_http_requests_total", "HTTP requests served",
                      {{"method", std::string(method)},
                       {"route", route},
                       {"status", std::to_string(status)}});
    metrics.observe("goldwallet_http_request_duration_seconds", "HTTP request latency",
                    {{"method", std::string(method)}, {"route", route}}, micros);
    obs::log_info("http.access", {{"method", method},
                                  {"status", status},
                                  {"duration_us", micros.count()}});
}

}  // namespace gw::http
