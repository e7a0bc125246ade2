#pragma once

// SQL for sessions and their rotating refresh tokens. Every function REQUIRES being called
// inside a database transaction. Times come from the caller's Clock.

#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "core/clock.hpp"
#include "identity/role.hpp"

namespace gw::identity {

struct NewSession {
    std::string id;
    std::string user_id;
    TimePoint created_at;
    TimePoint expires_at;
};

void insert_session(pqxx::work& tx, const NewSession& session);

// Stores the digest of a refresh token issued for `session_id`.
void insert_refresh_token(pqxx::work& tx,
                          const std::string& digest,
                          const std::string& session_id,
                          TimePoint issued_at,
                          TimePoint expires_at);

struct RefreshTokenState {
    std::string session_id;
    std::string user_id;
    Role role = Role::user;
    bool rotated = false;         // already exchanged once: presenting it again is reuse
    bool token_expired = false;   // past its own expiry at `now`
    bool session_live = false;    // not revoked, not expired, account open
};

// Finds the token by digest and locks its row (FOR UPDATE) so two concurrent refreshes with
// one token serialize; the second then sees `rotated`.
std::optional<RefreshTokenState> lock_refresh_token(pqxx::work& tx,
                                                    const std::string& digest,
                                                    TimePoint now);

void mark_refresh_token_rotated(pqxx::work& tx, const std::string& digest, TimePoint at);

// Revokes one session (idempotent: an already revoked one keeps its first reason).
void revoke_session(pqxx::work& tx,
                    const std::string& session_id,
                    const std::string& reason,
                    TimePoint at);

// Revokes every live session of the user except `keep_session_id` (empty: all of them).
// Returns how many were revoked.
std::size_t revoke_user_sessions(pqxx::work& tx,
                                 const std::string& user_id,
                                 const std::string& keep_session_id,
                                 const std::string& reason,
                                 TimePoint at);

// The user's sessions, newest first, as JSON objects {id, created_at, expires_at, revoked_at,
// revoked_reason} (for the user's data export).
nlohmann::json list_user_sessions(pqxx::work& tx, const std::string& user_id);

struct SessionState {
    std::string user_id;
    Role role = Role::user;
};

// Returns the session's user and current role when the session is live at `now` (not revoked,
// not expired, account not closed); nullopt otherwise.
std::optional<SessionState> find_live_session(pqxx::work& tx,
                                              const std::string& session_id,
                                              TimePoint now);

}  // namespace gw::identity
