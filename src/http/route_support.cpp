#include "http/route_support.hpp"

#include <algorithm>
#include <charconv>

#include "core/decimal_text.hpp"
#include "http/problem.hpp"

namespace gw::http {

void write_json(httplib::Response& response, int status, const nlohmann::json& body) {
    response.status = status;
    response.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                         "application/json");
}

void write_error(httplib::Response& response, const RouteRequest& request, const Error& error) {
    write_problem(response, error, request.request_id);
}

Result<std::string> required_string(const nlohmann::json& body, const std::string& name) {
    const auto found = body.find(name);
    if (found == body.end() || found->is_null()) {
        return make_error(ErrorCode::validation_failed, name + ": required");
    }
    if (!found->is_string()) {
        return make_error(ErrorCode::validation_failed, name + ": must be a string");
    }
    return found->get<std::string>();
}

Result<std::string> optional_string(const nlohmann::json& body, const std::string& name,
                                    const std::string& fallback) {
    const auto found = body.find(name);
    if (found == body.end() || found->is_null()) {
        return fallback;
    }
    return required_string(body, name);
}

namespace {

// The decimal text of an amount field: a string as given, or an exact JSON number written out.
Result<std::string> amount_text(const nlohmann::json& body, const std::string& name) {
    const auto found = body.find(name);
    if (found == body.end() || found->is_null()) {
        return make_error(ErrorCode::validation_failed, name + ": required");
    }
    std::optional<std::string> text;
    if (found->is_string()) {
        text = found->get<std::string>();
    } else if (found->is_number()) {
        text = plain_decimal_from_json_number_text(found->dump());
    }
    if (!text) {
        return make_error(ErrorCode::validation_failed, name + ": must be a decimal string");
    }
    return *text;
}

template <typename Amount, typename Parse>
Result<Amount> required_amount(const nlohmann::json& body, const std::string& name, Amount max,
                               Parse parse, ZeroAmount zero) {
    auto text = amount_text(body, name);
    if (!text) {
        return text.error();
    }
    auto parsed = parse(*text, max);
    if (!parsed && parsed.error().code == ErrorCode::zero_amount && zero == ZeroAmount::allowed) {
        return Amount{0};
    }
    if (!parsed) {
        return Error{parsed.error().code, name + ": " + parsed.error().detail};
    }
    return parsed;
}

}  // namespace

Result<Cents> required_kes(const nlohmann::json& body, const std::string& name, Cents max,
                           ZeroAmount zero) {
    return required_amount(body, name, max, parse_kes, zero);
}

Result<Micrograms> required_grams(const nlohmann::json& body, const std::string& name,
                                  Micrograms max) {
    return required_amount(body, name, max, parse_grams, ZeroAmount::refused);
}

Result<PricePerGram> required_price(const nlohmann::json& body, const std::string& name,
                                    PricePerGram max) {
    return required_amount(body, name, max, parse_price_per_gram, ZeroAmount::refused);
}

Result<std::string> idempotency_key(const httplib::Request& request) {
    constexpr std::size_t kIdempotencyKeyBytesMax = 255;
    const std::string key = request.get_header_value("Idempotency-Key");
    const bool printable = std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 0x7f; });
    if (key.empty() || key.size() > kIdempotencyKeyBytesMax || !printable) {
        return make_error(ErrorCode::idempotency_key_required,
                          "send an Idempotency-Key header of 1–255 printable characters, new for each "
                          "request and the same when retrying it");
    }
    return key;
}

Result<std::size_t> limit_param(const httplib::Request& request, std::size_t fallback,
                                std::size_t max) {
    if (!request.has_param("limit")) {
        return fallback;
    }
    const std::string text = request.get_param_value("limit");
    std::size_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < 1 || value > max) {
        return make_error(ErrorCode::validation_failed,
                          "limit: must be an integer from 1 to " + std::to_string(max));
    }
    return value;
}

Result<std::optional<std::int64_t>> before_id_param(const httplib::Request& request) {
    const std::string text = request.get_param_value("before");
    if (text.empty()) {
        return std::optional<std::int64_t>();
    }
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < 1) {
        return make_error(ErrorCode::validation_failed, "before: not a cursor");
    }
    return std::optional<std::int64_t>(value);
}

bool admit(RateLimiter& limiter, const std::string& key, const RateLimitPolicy& policy,
           const RouteRequest& request, httplib::Response& response) {
    const auto decision = limiter.take(key, policy, std::chrono::steady_clock::now());
    if (decision.allowed) {
        return true;
    }
    response.set_header("Retry-After", std::to_string(decision.retry_after.count()));
    write_error(response, request,
                Error{ErrorCode::rate_limited,
                      "too many attempts; retry in " + std::to_string(decision.retry_after.count()) +
                          " s"});
    return false;
}

}  // namespace gw::http
