#pragma once

// Small helpers every route file uses: JSON responses, typed fields of a JSON body with errors
// that name the field, pagination parameters, and rate-limit answers.

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/money.hpp"
#include "http/middleware/rate_limit.hpp"
#include "http/router.hpp"

namespace gw::http {

// Writes `body` as application/json with `status`.
void write_json(httplib::Response& response, int status, const nlohmann::json& body);

// Writes a problem for `error` (the request id comes from the route request).
void write_error(httplib::Response& response, const RouteRequest& request, const Error& error);

// The string member `name` of `body`. Errors: validation_failed "<name>: required" when absent
// or null, "<name>: must be a string" for another type.
Result<std::string> required_string(const nlohmann::json& body, const std::string& name);

// Like required_string, but absent or null gives `fallback`.
Result<std::string> optional_string(const nlohmann::json& body,
                                    const std::string& name,
                                    const std::string& fallback);

enum class ZeroAmount { refused, allowed };

// A KES amount given as a decimal string ("1500.00") or an exact JSON number. Errors as
// gw::parse_kes (zero_amount only when `zero` is refused), or validation_failed naming the
// field when absent or of another type.
Result<Cents> required_kes(const nlohmann::json& body,
                           const std::string& name,
                           Cents max,
                           ZeroAmount zero = ZeroAmount::refused);

// Grams given as a decimal string ("1.250000") or an exact JSON number; errors as
// gw::parse_grams or validation_failed naming the field.
Result<Micrograms> required_grams(const nlohmann::json& body, const std::string& name, Micrograms max);

// KES per gram given as a decimal string ("8500.00") or an exact JSON number; errors as
// gw::parse_price_per_gram or validation_failed naming the field.
Result<PricePerGram> required_price(const nlohmann::json& body, const std::string& name, PricePerGram max);

// `limit` query parameter: `fallback` when absent; validation_failed unless 1..max.
Result<std::size_t> limit_param(const httplib::Request& request, std::size_t fallback, std::size_t max);

// The Idempotency-Key header of a request that must happen once (a trade, an adjustment):
// idempotency_key_required unless 1–255 printable ASCII characters.
Result<std::string> idempotency_key(const httplib::Request& request);

// `before` query parameter holding a numeric id cursor: nullopt when absent;
// validation_failed unless a positive integer.
Result<std::optional<std::int64_t>> before_id_param(const httplib::Request& request);

// Takes a token for `key`; when refused writes 429 with Retry-After and returns false.
bool admit(RateLimiter& limiter,
           const std::string& key,
           const RateLimitPolicy& policy,
           const RouteRequest& request,
           httplib::Response& response);

}  // namespace gw::http
