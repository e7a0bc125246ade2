#pragma once

#include "http/middleware/rate_limit.hpp"
#include "http/router.hpp"
#include "identity/account_service.hpp"
#include "identity/auth_service.hpp"

namespace gw::http {

// Rate limits of the unauthenticated identity routes (token buckets, per node).
struct AuthRateLimits {
    RateLimitPolicy login_per_ip{10, std::chrono::seconds(60)};
    RateLimitPolicy login_per_username{5, std::chrono::seconds(60)};
    RateLimitPolicy register_per_ip{10, std::chrono::seconds(600)};
    RateLimitPolicy refresh_per_ip{30, std::chrono::seconds(60)};
};

// POST /auth/register   {username, email, phone, password}            → 201 profile
// POST /auth/login      {username, password}                          → tokens
// POST /auth/refresh    {refresh_token}                               → tokens (rotated)
// POST /auth/logout                                                   → 204
// POST /auth/password   {current_password, new_password}              → 204
// REQUIRES: the services and limiter outlive the router.
void add_auth_routes(Router& router,
                     identity::AccountService& accounts,
                     identity::AuthService& auth,
                     RateLimiter& limiter,
                     const AuthRateLimits& limits);

// The JSON a client sees of an account (phone masked).
nlohmann::json account_json(const identity::AccountView& account);

}  // namespace gw::http
