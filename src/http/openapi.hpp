#pragma once

// The OpenAPI 3.1 document of the HTTP API. It is written by hand in src/http/openapi.json and
// compiled in at configure time (src/http/CMakeLists.txt), so a binary always serves the
// contract it was built with. tests/integration/app/openapi_test.cpp fails when it and the
// route table disagree.

#include <string_view>

namespace gw::http {

// Returns the text of src/http/openapi.json exactly as it was at configure time; the storage is
// static. Whether it parses is checked by add_openapi_routes at start-up.
std::string_view openapi_document();

}  // namespace gw::http
