#include "http/routes/health_routes.hpp"

#include "http/problem.hpp"

namespace gw::http {

void add_health_routes(Router& router, ReadinessCheck ready, const obs::MetricsRegistry& metrics) {
    router.add("GET", "/healthz", BodyKind::none, [](const RouteRequest&, httplib::Response& response) {
        response.set_content(R"({"status":"ok"})", "application/json");
    });
    router.add("GET", "/readyz", BodyKind::none,
               [ready = std::move(ready)](const RouteRequest& request, httplib::Response& response) {
                   const Result<void> outcome = ready();
                   if (!outcome) {
                       write_problem(response,
                                     Error{ErrorCode::service_unavailable, outcome.error().detail},
                                     request.request_id);
                       return;
                   }
                   response.set_content(R"({"status":"ready"})", "application/json");
               });
    router.add("GET", "/metrics", BodyKind::none,
               [&metrics](const RouteRequest&, httplib::Response& response) {
                   response.set_content(metrics.render(), "text/plain; version=0.0.4");
               });
}

}  // namespace gw::http
