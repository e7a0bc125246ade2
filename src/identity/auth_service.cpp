#include "identity/auth_service.hpp"

#include "db/transaction.hpp"
#include "identity/opaque_token.hpp"
#include "identity/session_store.hpp"
#include "identity/user_store.hpp"
#include "identity/uuid.hpp"
#include "observability/log.hpp"

namespace gw::identity {
namespace {

Error invalid_credentials() {
    return make_error(ErrorCode::invalid_credentials, "wrong username or password");
}

Error invalid_refresh_token() {
    return make_error(ErrorCode::invalid_refresh_token, "sign in again");
}

// What a refresh attempt decided inside its transaction. Reuse must commit its revocation, so
// it is a value here, turned into an error after the commit.
struct RefreshDecision {
    bool accepted = false;
    std::string user_id;
    Role role = Role::user;
    std::string session_id;
};

}  // namespace

AuthService::AuthService(db::ConnectionPool& pool, const Clock& clock,
                         const PasswordHasher& hasher, const JwtCodec& jwt, AuthSettings settings)
    : pool_(pool),
      clock_(clock),
      hasher_(hasher),
      jwt_(jwt),
      settings_(settings),
      cache_(settings.session_cache_ttl, settings.session_cache_entries_max) {}

Result<TokenPair> AuthService::login(std::string_view username, std::string_view password) {
    const auto user = db::with_transaction(pool_, "auth.login.find", [&](pqxx::work& tx) {
        return find_user_by_username(tx, std::string(username));
    });
    if (!user || user->closed) {
        hasher_.burn_equal_time(password);
        return invalid_credentials();
    }
    if (!hasher_.verify(user->password_hash, password)) {
        return invalid_credentials();
    }
    if (hasher_.needs_rehash(user->password_hash)) {
        const std::string rehashed = hasher_.hash(password);
        db::with_transaction(pool_, "auth.login.rehash", [&](pqxx::work& tx) {
            update_password_hash(tx, user->id, rehashed);
        });
    }
    return issue_session(user->id, user->role);
}

Result<TokenPair> AuthService::issue_session(const std::string& user_id, Role role) {
    const TimePoint now = clock_.now();
    const std::string session_id = random_uuid();
    const std::string refresh_token = random_token();
    db::with_transaction(pool_, "auth.session.create", [&](pqxx::work& tx) {
        insert_session(tx, {session_id, user_id, now, now + settings_.session_ttl});
        insert_refresh_token(tx, token_digest(refresh_token), session_id, now,
                             now + settings_.session_ttl);
    });
    obs::log_info("auth.session.created", {{"user_id", user_id}, {"session_id", session_id}});
    return tokens_for(user_id, role, session_id, refresh_token);
}

TokenPair AuthService::tokens_for(const std::string& user_id, Role role,
                                  const std::string& session_id,
                                  const std::string& refresh_token) {
    const std::int64_t now = unix_seconds(clock_.now());
    const std::int64_t ttl = settings_.access_token_ttl.count();
    AccessClaims claims{user_id, std::string(to_string(role)), session_id, now, now + ttl};
    return TokenPair{jwt_.sign(claims), refresh_token, ttl};
}

Result<TokenPair> AuthService::refresh(std::string_view refresh_token) {
    const std::string digest = token_digest(refresh_token);
    const std::string next_token = random_token();
    const TimePoint now = clock_.now();
    const RefreshDecision decision =
        db::with_transaction(pool_, "auth.refresh", [&](pqxx::work& tx) -> RefreshDecision {
            const auto state = lock_refresh_token(tx, digest, now);
            if (!state) {
                return {};
            }
            if (state->rotated) {
                revoke_session(tx, state->session_id, "refresh_token_reuse", now);
                obs::log_warn("auth.refresh.reuse_detected", {{"session_id", state->session_id}});
                return {false, {}, Role::user, state->session_id};
            }
            if (state->token_expired || !state->session_live) {
                return {};
            }
            mark_refresh_token_rotated(tx, digest, now);
            insert_refresh_token(tx, token_digest(next_token), state->session_id, now,
                                 now + settings_.session_ttl);
            return {true, state->user_id, state->role, state->session_id};
        });
    if (!decision.accepted) {
        if (!decision.session_id.empty()) {
            cache_.forget(decision.session_id);
        }
        return invalid_refresh_token();
    }
    return tokens_for(decision.user_id, decision.role, decision.session_id, next_token);
}

void AuthService::logout(const Principal& principal) {
    db::with_transaction(pool_, "auth.logout", [&](pqxx::work& tx) {
        revoke_session(tx, principal.session_id, "logout", clock_.now());
    });
    cache_.forget(principal.session_id);
}

Result<Principal> AuthService::authenticate(std::string_view access_token) {
    const TimePoint now = clock_.now();
    auto claims = jwt_.verify(access_token, unix_seconds(now));
    if (!claims) {
        return claims.error();
    }
    if (!is_uuid(claims->session_id) || !is_uuid(claims->user_id)) {
        // Only a holder of the signing key could mint this; it names no session of ours.
        return make_error(ErrorCode::unauthorized, "the session has ended; sign in again");
    }
    SessionCache::Lookup lookup = cache_.find(claims->session_id, now);
    if (!lookup.hit) {
        lookup.state = db::with_transaction(pool_, "auth.session.check", [&](pqxx::work& tx) {
            return find_live_session(tx, claims->session_id, now);
        });
        cache_.remember(claims->session_id, lookup.state, now);
    }
    if (!lookup.state || lookup.state->user_id != claims->user_id) {
        return make_error(ErrorCode::unauthorized, "the session has ended; sign in again");
    }
    return Principal{claims->user_id, lookup.state->role, claims->session_id};
}

std::size_t AuthService::revoke_other_sessions(pqxx::work& tx, const std::string& user_id,
                                               const std::string& keep_session_id,
                                               const std::string& reason) {
    const std::size_t revoked =
        revoke_user_sessions(tx, user_id, keep_session_id, reason, clock_.now());
    cache_.clear();
    return revoked;
}

}  // namespace gw::identity
