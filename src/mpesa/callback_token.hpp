#pragma once

// The unguessable per-request token in every URL we hand to Daraja (DESIGN §7): Daraja does not
// sign callbacks, so the token is what proves a callback belongs to a request we made. Only its
// SHA-256 is stored, so a database leak does not let anyone forge callbacks.

#include <string>
#include <string_view>

namespace gw::mpesa {

struct CallbackToken {
    std::string token;     // 43 URL-safe characters (32 random bytes)
    std::string hash_hex;  // SHA-256 of the token, hex
};

// Returns a fresh token from the operating system's CSPRNG.
CallbackToken new_callback_token();

// Returns the SHA-256 of `token` as hex: what a callback's path token is looked up by.
std::string callback_token_hash(std::string_view token);

// The paths of our callback routes: neutral words only, since Daraja refuses URLs containing
// "mpesa", "query", "exec"… (DARAJA.md §4.3). The seed's /webhooks/mpesa/... family routes to
// the same handlers.
inline constexpr std::string_view kStkCallbackPath = "/hooks/lnm/";
inline constexpr std::string_view kPayoutResultPath = "/hooks/payout/result/";
inline constexpr std::string_view kPayoutTimeoutPath = "/hooks/payout/timeout/";
inline constexpr std::string_view kStatusResultPath = "/hooks/payout/status/";
inline constexpr std::string_view kStatusTimeoutPath = "/hooks/payout/status-timeout/";

}  // namespace gw::mpesa
