#pragma once

#include "http/router.hpp"

namespace gw::http {

// GET /openapi.json (anyone) → 200 application/json: openapi_document(), the contract of every
// route. The document is parsed once here, at start-up: one that is not a JSON object with an
// `openapi` member is a build defect, not a runtime condition, and fails GW_ASSERT.
void add_openapi_routes(Router& router);

}  // namespace gw::http
