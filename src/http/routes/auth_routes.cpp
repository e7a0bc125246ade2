#include "http/routes/auth_routes.hpp"

#include <cctype>

#include "http/route_support.hpp"

namespace gw::http {
namespace {

nlohmann::json tokens_json(const identity::TokenPair& tokens) {
    return {{"access_token", tokens.access_token},
            {"refresh_token", tokens.refresh_token},
            {"token_type", "Bearer"},
            {"expires_in", tokens.expires_in_seconds}};
}

std::string lowercase(std::string text) {
    for (char& c : text) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return text;
}

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

void register_user(identity::AccountService& accounts, const RouteRequest& request,
                   httplib::Response& response) {
    // Registering is accepting the terms the client showed; a client that sends accept_terms
    // must send exactly true.
    if (auto consent = request.json.find("accept_terms");
        consent != request.json.end() && !(consent->is_boolean() && consent->get<bool>())) {
        write_error(response, request,
                    Error{ErrorCode::validation_failed, "accept_terms: must be true"});
        return;
    }
    auto fields = strings(request.json, {"username", "email", "phone", "password"});
    if (!fields) {
        write_error(response, request, fields.error());
        return;
    }
    auto& f = *fields;
    auto account = accounts.register_user({f[0], f[1], f[2], f[3]});
    if (!account) {
        write_error(response, request, account.error());
        return;
    }
    write_json(response, 201, account_json(*account));
}

void login(identity::AuthService& auth, RateLimiter& limiter, const AuthRateLimits& limits,
           const RouteRequest& request, httplib::Response& response) {
    if (!admit(limiter, "login:ip:" + request.http.remote_addr, limits.login_per_ip, request,
               response)) {
        return;
    }
    auto fields = strings(request.json, {"username", "password"});
    if (!fields) {
        write_error(response, request, fields.error());
        return;
    }
    if (!admit(limiter, "login:user:" + lowercase((*fields)[0]), limits.login_per_username,
               request, response)) {
        return;
    }
    auto tokens = auth.login((*fields)[0], (*fields)[1]);
    if (!tokens) {
        write_error(response, request, tokens.error());
        return;
    }
    write_json(response, 200, tokens_json(*tokens));
}

void refresh(identity::AuthService& auth, const RouteRequest& request, httplib::Response& response) {
    auto token = required_string(request.json, "refresh_token");
    if (!token) {
        write_error(response, request, token.error());
        return;
    }
    auto tokens = auth.refresh(*token);
    if (!tokens) {
        write_error(response, request, tokens.error());
        return;
    }
    write_json(response, 200, tokens_json(*tokens));
}

void change_password(identity::AccountService& accounts, const RouteRequest& request,
                     httplib::Response& response) {
    auto fields = strings(request.json, {"current_password", "new_password"});
    if (!fields) {
        write_error(response, request, fields.error());
        return;
    }
    auto changed = accounts.change_password(request.caller(), (*fields)[0], (*fields)[1],
                                            std::string(request.request_id));
    if (!changed) {
        write_error(response, request, changed.error());
        return;
    }
    response.status = 204;
}

}  // namespace

nlohmann::json account_json(const identity::AccountView& account) {
    return {{"id", account.id},
            {"username", account.username},
            {"email", account.email},
            {"phone", account.phone_masked.empty() ? nlohmann::json() : nlohmann::json(account.phone_masked)},
            {"role", to_string(account.role)},
            {"kyc_status", to_string(account.kyc_status)},
            {"created_at", account.created_at}};
}

void add_auth_routes(Router& router, identity::AccountService& accounts,
                     identity::AuthService& auth, RateLimiter& limiter,
                     const AuthRateLimits& limits) {
    router.add("POST", "/auth/register", BodyKind::json,
               [&accounts, &limiter, &limits](const RouteRequest& request, httplib::Response& response) {
                   if (admit(limiter, "register:ip:" + request.http.remote_addr,
                             limits.register_per_ip, request, response)) {
                       register_user(accounts, request, response);
                   }
               });
    router.add("POST", "/auth/login", BodyKind::json,
               [&auth, &limiter, &limits](const RouteRequest& request, httplib::Response& response) {
                   login(auth, limiter, limits, request, response);
               });
    router.add("POST", "/auth/refresh", BodyKind::json,
               [&auth, &limiter, &limits](const RouteRequest& request, httplib::Response& response) {
                   if (admit(limiter, "refresh:ip:" + request.http.remote_addr,
                             limits.refresh_per_ip, request, response)) {
                       refresh(auth, request, response);
                   }
               });
    router.add("POST", "/auth/logout", BodyKind::none,
               [&auth](const RouteRequest& request, httplib::Response& response) {
                   auth.logout(request.caller());
                   response.status = 204;
               },
               Access::signed_in());
    router.add("POST", "/auth/password", BodyKind::json,
               [&accounts](const RouteRequest& request, httplib::Response& response) {
                   change_password(accounts, request, response);
               },
               Access::signed_in());
}

}  // namespace gw::http
