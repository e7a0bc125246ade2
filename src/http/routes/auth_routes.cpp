#include "http/routes/auth_routes.hpp"

#include <cctype>

#include "http/requests/auth_requests.hpp"
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

void register_user(identity::AccountService& accounts, const RouteRequest& request,
                   httplib::Response& response) {
    auto registration = decode_registration(request.json);
    auto account = registration ? accounts.register_user(*registration)
                                : Result<identity::AccountView>(registration.error());
    if (!account) {
        write_error(response, request, account.error());
        return;
    }
    write_json(response, 201, account_json(*account));
}

void login(identity::AuthService& auth, RateLimiter& limiter, const RateLimits& limits,
           const RouteRequest& request, httplib::Response& response) {
    if (!admit(limiter, "login:ip:" + request.http.remote_addr, limits.login_per_ip, request,
               response)) {
        return;
    }
    auto credentials = decode_credentials(request.json);
    if (!credentials) {
        write_error(response, request, credentials.error());
        return;
    }
    if (!admit(limiter, "login:user:" + lowercase(credentials->username), limits.login_per_username,
               request, response)) {
        return;
    }
    auto tokens = auth.login(credentials->username, credentials->password);
    if (!tokens) {
        write_error(response, request, tokens.error());
        return;
    }
    write_json(response, 200, tokens_json(*tokens));
}

void refresh(identity::AuthService& auth, const RouteRequest& request, httplib::Response& response) {
    auto token = decode_refresh(request.json);
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
    auto change = decode_password_change(request.json);
    if (!change) {
        write_error(response, request, change.error());
        return;
    }
    auto changed = accounts.change_password(request.caller(), change->current_password,
                                            change->new_password, std::string(request.request_id));
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
                     const RateLimits& limits) {
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
