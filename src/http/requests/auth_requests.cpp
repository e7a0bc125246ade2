#include "http/requests/auth_requests.hpp"

#include <vector>

#include "http/route_support.hpp"

namespace gw::http {
namespace {

// Reads the named string fields in order; the first missing or mistyped one is the error.
Result<std::vector<std::string>> strings(const nlohmann::json& body,
                                         std::initializer_list<const char*> names) {
    std::vector<std::string> values;
    for (const char* name : names) {
        auto value = required_string(body, name);
        if (!value) {
            return value.error();
        }
        values.push_back(std::move(*value));
    }
    return values;
}

}  // namespace

Result<identity::Registration> decode_registration(const nlohmann::json& body) {
    if (auto consent = body.find("accept_terms");
        consent != body.end() && !(consent->is_boolean() && consent->get<bool>())) {
        return make_error(ErrorCode::validation_failed, "accept_terms: must be true");
    }
    auto fields = strings(body, {"username", "email", "phone", "password"});
    if (!fields) {
        return fields.error();
    }
    auto& f = *fields;
    return identity::Registration{std::move(f[0]), std::move(f[1]), std::move(f[2]), std::move(f[3])};
}

Result<Credentials> decode_credentials(const nlohmann::json& body) {
    auto fields = strings(body, {"username", "password"});
    if (!fields) {
        return fields.error();
    }
    return Credentials{std::move((*fields)[0]), std::move((*fields)[1])};
}

Result<std::string> decode_refresh(const nlohmann::json& body) {
    return required_string(body, "refresh_token");
}

Result<PasswordChange> decode_password_change(const nlohmann::json& body) {
    auto fields = strings(body, {"current_password", "new_password"});
    if (!fields) {
        return fields.error();
    }
    return PasswordChange{std::move((*fields)[0]), std::move((*fields)[1])};
}

}  // namespace gw::http
