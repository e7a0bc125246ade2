#include "http/routes/openapi_routes.hpp"

#include <nlohmann/json.hpp>

#include "core/assert.hpp"
#include "http/openapi.hpp"

namespace gw::http {

void add_openapi_routes(Router& router) {
    const std::string_view text = openapi_document();
    const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
    // The file is checked in and compiled in; if it does not parse, the build is broken.
    GW_ASSERT(parsed.is_object(), "src/http/openapi.json is a JSON object");
    GW_ASSERT(parsed.contains("openapi"), "src/http/openapi.json is an OpenAPI document");
    router.add("GET",
               "/openapi.json",
               BodyKind::none,
               [text](const RouteRequest&, httplib::Response& response) {
                   // Clients revalidate, so a deployment's new contract is seen at once.
                   response.set_header("Cache-Control", "no-cache");
                   response.set_content(text.data(), text.size(), "application/json");
               });
}

}  // namespace gw::http
