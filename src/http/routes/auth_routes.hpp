#pragma once

#include "http/middleware/rate_limit.hpp"
#include "http/router.hpp"
#include "identity/account_service.hpp"
#include "identity/auth_service.hpp"

namespace gw::http {

// POST /auth/register   {username, email, phone, password}            → 201 profile
// POST /auth/login      {username, password}                          → tokens
// POST /auth/refresh    {refresh_token}                               → tokens (rotated)
// POST /auth/logout                                                   → 204
// POST /auth/password   {current_password, new_password}              → 204
// Register, login (also per username) and refresh are rate limited per client IP
// (limits.*_per_ip, token buckets per node): 429 rate_limited with Retry-After.
// REQUIRES: the services, the limiter and the limits outlive the router.
void add_auth_routes(Router& router,
                     identity::AccountService& accounts,
                     identity::AuthService& auth,
                     RateLimiter& limiter,
                     const RateLimits& limits);

// The JSON a client sees of an account (phone masked).
nlohmann::json account_json(const identity::AccountView& account);

}  // namespace gw::http
