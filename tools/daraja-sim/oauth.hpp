#pragma once

// OAuth as Daraja does it (DARAJA.md §2): client_credentials with HTTP Basic auth hands out a
// 28-character bearer token that lives one hour of simulated time ("expires_in":"3599").
// TokenStore is not thread-safe: the simulator calls it under its state mutex.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"

namespace gw::sim {

enum class BasicAuthCheck {
    ok,
    not_basic,          // 400.008.01 "Invalid Authentication passed"
    wrong_credentials,  // HTTP 400 with an empty body
};

// Checks an Authorization header against the configured consumer key and secret. The
// comparison does not stop at the first differing byte.
// Returns not_basic when the header is missing or not "Basic <base64>", wrong_credentials when
// it decodes to anything but "key:secret".
BasicAuthCheck check_basic_auth(std::string_view authorization,
                                std::string_view consumer_key,
                                std::string_view consumer_secret);

// Returns the token of "Bearer <token>" (scheme case-insensitive), or "" for anything else.
std::string bearer_token(std::string_view authorization);

struct TokenPolicy {
    std::int64_t ttl_seconds = 3600;
    bool new_token_revokes_old = false;  // the doc FAQ's claim (DARAJA.md §2), off by default
};

// The most tokens held at once; issuing beyond it forgets expired tokens first and then the
// oldest live one (STYLE 11).
inline constexpr std::size_t kLiveTokensMax = 10'000;

class TokenStore {
public:
    explicit TokenStore(TokenPolicy policy) : policy_(policy) {}

    // Remembers `token` as issued at `now`; with new_token_revokes_old every earlier token dies.
    void add(const std::string& token, TimePoint now);

    // True when `token` was issued and `now` is before its expiry (issue + ttl_seconds), and
    // it was not revoked by expire_all() or a newer token.
    bool is_live(std::string_view token, TimePoint now) const;

    // Kills every token issued so far (POST /sim/tokens/expire).
    void expire_all() { issued_at_.clear(); }

    // The expires_in text Daraja sends: one second less than the lifetime ("3599").
    std::string expires_in_text() const { return std::to_string(policy_.ttl_seconds - 1); }

private:
    void make_room(TimePoint now);

    TokenPolicy policy_;
    std::unordered_map<std::string, TimePoint> issued_at_;
};

}  // namespace gw::sim
