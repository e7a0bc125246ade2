#pragma once

// A small JSON Schema checker for tests: enough of draft 2020-12 (the dialect of OpenAPI 3.1) to
// hold live responses against the schemas of src/http/openapi.json. It understands "$ref" (local
// JSON pointers into `document`), allOf, anyOf, oneOf, type (a name or a list), const, enum,
// pattern, required, properties, items, additionalProperties: false and
// unevaluatedProperties: false (counting the properties declared by the schema, its "$ref" and
// its allOf members). Other keywords (format, minimum, maxLength, …) are ignored.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gw::test {

// Returns one line per violation, each naming where it is ("$.items[0].grams: …"); empty when
// `value` conforms to `schema`. A "$ref" that does not resolve in `document` is a violation.
std::vector<std::string> schema_violations(const nlohmann::json& document,
                                           const nlohmann::json& schema,
                                           const nlohmann::json& value);

}  // namespace gw::test
