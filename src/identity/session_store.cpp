#include "identity/session_store.hpp"

#include "core/assert.hpp"
#include "core/time_text.hpp"
#include "db/prepared.hpp"
#include "identity/hex.hpp"

namespace gw::identity {
namespace {

Role role_of(const pqxx::field& field) {
    const auto role = parse_role(field.as<std::string>());
    GW_ASSERT(role.has_value(), "the role CHECK constraint admits only known roles");
    return *role;
}

}  // namespace

void insert_session(pqxx::work& tx, const NewSession& session) {
    db::exec_prepared(tx,
        "INSERT INTO sessions (id, user_id, created_at, expires_at) "
        "VALUES ($1::uuid, $2::uuid, $3::timestamptz, $4::timestamptz)",
        session.id, session.user_id, format_rfc3339(session.created_at),
        format_rfc3339(session.expires_at));
}

void insert_refresh_token(pqxx::work& tx, const std::string& digest, const std::string& session_id,
                          TimePoint issued_at, TimePoint expires_at) {
    db::exec_prepared(tx,
        "INSERT INTO refresh_tokens (digest, session_id, issued_at, expires_at) "
        "VALUES (decode($1, 'hex'), $2::uuid, $3::timestamptz, $4::timestamptz)",
        to_hex(digest), session_id, format_rfc3339(issued_at), format_rfc3339(expires_at));
}

std::optional<RefreshTokenState> lock_refresh_token(pqxx::work& tx, const std::string& digest,
                                                    TimePoint now) {
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT t.session_id, s.user_id, u.role, t.rotated_at IS NOT NULL, "
        " t.expires_at <= $2::timestamptz, "
        " s.revoked_at IS NULL AND s.expires_at > $2::timestamptz AND u.closed_at IS NULL "
        "FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id "
        "JOIN users u ON u.id = s.user_id "
        "WHERE t.digest = decode($1, 'hex') FOR UPDATE OF t, s",
        to_hex(digest), format_rfc3339(now));
    if (rows.empty()) {
        return std::nullopt;
    }
    const pqxx::row row = rows[0];
    return RefreshTokenState{row[0].as<std::string>(), row[1].as<std::string>(), role_of(row[2]),
                             row[3].as<bool>(), row[4].as<bool>(), row[5].as<bool>()};
}

void mark_refresh_token_rotated(pqxx::work& tx, const std::string& digest, TimePoint at) {
    db::exec_prepared(tx,
        "UPDATE refresh_tokens SET rotated_at = $2::timestamptz WHERE digest = decode($1, 'hex')",
        to_hex(digest), format_rfc3339(at));
}

void revoke_session(pqxx::work& tx, const std::string& session_id, const std::string& reason,
                    TimePoint at) {
    db::exec_prepared(tx,
        "UPDATE sessions SET revoked_at = $3::timestamptz, revoked_reason = $2 "
        "WHERE id = $1::uuid AND revoked_at IS NULL",
        session_id, reason, format_rfc3339(at));
}

std::size_t revoke_user_sessions(pqxx::work& tx, const std::string& user_id,
                                 const std::string& keep_session_id, const std::string& reason,
                                 TimePoint at) {
    const pqxx::result result = db::exec_prepared(tx,
        "UPDATE sessions SET revoked_at = $4::timestamptz, revoked_reason = $3 "
        "WHERE user_id = $1::uuid AND revoked_at IS NULL "
        "AND ($2 = '' OR id <> NULLIF($2, '')::uuid)",
        user_id, keep_session_id, reason, format_rfc3339(at));
    return static_cast<std::size_t>(result.affected_rows());
}

nlohmann::json list_user_sessions(pqxx::work& tx, const std::string& user_id) {
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT id, created_at, expires_at, revoked_at, coalesce(revoked_reason, '') "
        "FROM sessions WHERE user_id = $1::uuid ORDER BY created_at DESC, id",
        user_id);
    nlohmann::json sessions = nlohmann::json::array();
    for (const auto& row : rows) {
        sessions.push_back(
            {{"id", row[0].as<std::string>()},
             {"created_at", rfc3339_from_pg(row[1].as<std::string>())},
             {"expires_at", rfc3339_from_pg(row[2].as<std::string>())},
             {"revoked_at", row[3].is_null() ? nlohmann::json() : nlohmann::json(rfc3339_from_pg(row[3].as<std::string>()))},
             {"revoked_reason", row[4].as<std::string>()}});
    }
    return sessions;
}

std::optional<SessionState> find_live_session(pqxx::work& tx, const std::string& session_id,
                                              TimePoint now) {
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT s.user_id, u.role FROM sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.id = $1::uuid AND s.revoked_at IS NULL AND s.expires_at > $2::timestamptz "
        "AND u.closed_at IS NULL",
        session_id, format_rfc3339(now));
    if (rows.empty()) {
        return std::nullopt;
    }
    return SessionState{rows[0][0].as<std::string>(), role_of(rows[0][1])};
}

}  // namespace gw::identity
