#pragma once

#include <functional>

#include "core/error.hpp"
#include "http/router.hpp"
#include "observability/metrics.hpp"

namespace gw::http {

// Returns success when the node can serve traffic (database reachable, schema current), or the
// reason it cannot. Must be thread-safe and quick; /readyz calls it on every probe.
using ReadinessCheck = std::function<Result<void>()>;

// GET /healthz  — 200 while the process is up.
// GET /readyz   — 200 when `ready` succeeds, else 503 problem+json (service_unavailable).
// GET /metrics  — Prometheus text exposition of `metrics`.
void add_health_routes(Router& router, ReadinessCheck ready, const obs::MetricsRegistry& metrics);

}  // namespace gw::http
