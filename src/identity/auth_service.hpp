#pragma once

// Sessions and tokens: login, refresh with rotation and reuse detection, logout, and turning an
// access token into a Principal. Thread-safe: one instance serves every request.

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "db/pool.hpp"
#include "identity/actor.hpp"
#include "identity/jwt.hpp"
#include "identity/password.hpp"
#include "identity/session_cache.hpp"

namespace gw::identity {

struct AuthSettings {
    std::chrono::seconds access_token_ttl{15 * 60};
    std::chrono::seconds session_ttl{30 * 24 * 3600};  // refresh tokens live as long as this
    std::chrono::milliseconds session_cache_ttl{5'000};
    std::size_t session_cache_entries_max = 100'000;
};

struct TokenPair {
    std::string access_token;
    std::string refresh_token;
    std::int64_t expires_in_seconds = 0;
};

class AuthService {
public:
    // REQUIRES: every reference outlives the service.
    AuthService(db::ConnectionPool& pool,
                const Clock& clock,
                const PasswordHasher& hasher,
                const JwtCodec& jwt,
                AuthSettings settings);

    // Starts a session. Unknown usernames, closed accounts and wrong passwords all return
    // invalid_credentials after the same amount of hashing work.
    Result<TokenPair> login(std::string_view username, std::string_view password);

    // Exchanges a refresh token for a new pair, rotating it. Errors: invalid_refresh_token for
    // an unknown, expired, or already rotated token (reuse also revokes the whole session), or a
    // dead session.
    Result<TokenPair> refresh(std::string_view refresh_token);

    // Revokes the caller's session. Idempotent.
    void logout(const Principal& principal);

    // Verifies an access token and that its session is live (through the session cache).
    // Errors: unauthorized, token_expired.
    Result<Principal> authenticate(std::string_view access_token);

    // Revokes every session of `user_id` but `keep_session_id` inside `tx`, and forgets them
    // locally. REQUIRES: called inside the transaction that makes the change.
    std::size_t revoke_other_sessions(pqxx::work& tx,
                                      const std::string& user_id,
                                      const std::string& keep_session_id,
                                      const std::string& reason);

    // Drops this node's memo of live sessions. Call after the transaction that revoked
    // sessions has committed (a request racing the commit could otherwise re-cache them).
    void forget_sessions() { cache_.clear(); }

    const Clock& clock() const { return clock_; }

private:
    Result<TokenPair> issue_session(const std::string& user_id, Role role);
    TokenPair tokens_for(const std::string& user_id,
                         Role role,
                         const std::string& session_id,
                         const std::string& refresh_token);

    db::ConnectionPool& pool_;
    const Clock& clock_;
    const PasswordHasher& hasher_;
    const JwtCodec& jwt_;
    const AuthSettings settings_;
    SessionCache cache_;
};

}  // namespace gw::identity
