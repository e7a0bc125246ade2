#pragma once

#include <chrono>
#include <string_view>

#include "observability/metrics.hpp"

namespace gw::http {

// Writes the access-log line of one finished exchange (method, route pattern, status, duration;
// the request id and route come from the thread's request context — never bodies or query
// strings) and records goldwallet_http_requests_total and
// goldwallet_http_request_duration_seconds.
void record_exchange(obs::MetricsRegistry& metrics,
                     std::string_view method,
                     int status,
                     std::chrono::steady_clock::duration elapsed);

}  // namespace gw::http
