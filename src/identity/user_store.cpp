#include "identity/user_store.hpp"

#include "core/assert.hpp"
#include "core/time_text.hpp"
#include "db/prepared.hpp"
#include "identity/hex.hpp"

namespace gw::identity {
namespace {

constexpr const char* kUserColumns =
    "SELECT id, username, email, encode(phone_sealed, 'hex'), phone_key_id, password_hash, role, "
    "kyc_status, coalesce(kyc_reason, ''), created_at, closed_at IS NOT NULL FROM users ";

UserRecord user_from_row(const pqxx::row& row) {
    UserRecord user;
    user.id = row[0].as<std::string>();
    user.username = row[1].as<std::string>();
    user.email = row[2].as<std::string>();
    if (!row[3].is_null()) {
        user.phone = SealedField{row[4].as<std::uint32_t>(), from_hex(row[3].as<std::string>())};
    }
    user.password_hash = row[5].as<std::string>();
    const auto role = parse_role(row[6].as<std::string>());
    GW_ASSERT(role.has_value(), "the role CHECK constraint admits only known roles");
    user.role = *role;
    const auto kyc = parse_kyc_status(row[7].as<std::string>());
    GW_ASSERT(kyc.has_value(), "the kyc_status CHECK constraint admits only known states");
    user.kyc_status = *kyc;
    user.kyc_reason = row[8].as<std::string>();
    user.created_at = rfc3339_from_pg(row[9].as<std::string>());
    user.closed = row[10].as<bool>();
    return user;
}

std::optional<UserRecord> first_user(const pqxx::result& rows) {
    if (rows.empty()) {
        return std::nullopt;
    }
    return user_from_row(rows[0]);
}

std::optional<std::string> optional_hex(const std::optional<SealedField>& field) {
    return field ? std::optional<std::string>(to_hex(field->bytes)) : std::nullopt;
}

}  // namespace

std::optional<UserRecord> find_user_by_id(pqxx::work& tx, const std::string& id) {
    return first_user(db::exec_prepared(tx, std::string(kUserColumns) + "WHERE id = $1::uuid", id));
}

std::optional<UserRecord> find_user_by_username(pqxx::work& tx, const std::string& username) {
    return first_user(
        db::exec_prepared(tx, std::string(kUserColumns) + "WHERE lower(username) = lower($1)", username));
}

Result<void> check_user_unique(pqxx::work& tx, const NewUser& user) {
    const pqxx::row row = db::exec_prepared1(tx,
        "SELECT "
        " EXISTS (SELECT 1 FROM users WHERE lower(username) = lower($1)),"
        " EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($2)),"
        " EXISTS (SELECT 1 FROM users WHERE phone_blind_index = decode($3, 'hex'))",
        user.username, user.email, to_hex(user.phone_blind_index));
    if (row[0].as<bool>()) {
        return make_error(ErrorCode::username_taken, "that username is taken");
    }
    if (row[1].as<bool>()) {
        return make_error(ErrorCode::email_taken, "that email is already registered");
    }
    if (!user.phone_blind_index.empty() && row[2].as<bool>()) {
        return make_error(ErrorCode::phone_taken, "that phone number is already registered");
    }
    return {};
}

Result<void> insert_user(pqxx::work& tx, const NewUser& user) {
    const bool has_phone = user.phone.has_value();
    try {
        db::exec_prepared(tx,
            "INSERT INTO users (id, username, email, phone_sealed, phone_key_id, "
            "phone_blind_index, password_hash, role, terms_version, terms_accepted_at, "
            "created_at) VALUES ($1::uuid, $2, $3, decode($4, 'hex'), $5, decode($6, 'hex'), $7, "
            "$8, $9::text, CASE WHEN $9::text IS NULL THEN NULL ELSE $10::timestamptz END, "
            "$10::timestamptz)",
            user.id, user.username, user.email, optional_hex(user.phone),
            has_phone ? std::optional<std::uint32_t>(user.phone->key_id) : std::nullopt,
            has_phone ? std::optional<std::string>(to_hex(user.phone_blind_index)) : std::nullopt,
            user.password_hash, std::string(to_string(user.role)),
            user.terms_version.empty() ? std::nullopt
                                       : std::optional<std::string>(user.terms_version),
            format_rfc3339(user.created_at));
    } catch (const pqxx::unique_violation& violation) {
        const std::string what = violation.what();
        if (what.find("users_username_key") != std::string::npos) {
            return make_error(ErrorCode::username_taken, "that username is taken");
        }
        if (what.find("users_email_key") != std::string::npos) {
            return make_error(ErrorCode::email_taken, "that email is already registered");
        }
        if (what.find("users_phone_key") != std::string::npos) {
            return make_error(ErrorCode::phone_taken, "that phone number is already registered");
        }
        throw;
    }
    return {};
}

void update_password_hash(pqxx::work& tx, const std::string& user_id, const std::string& hash) {
    db::exec_prepared(tx, "UPDATE users SET password_hash = $2 WHERE id = $1::uuid", user_id, hash);
}

bool update_kyc_status(pqxx::work& tx, const std::string& user_id, KycStatus status,
                       const std::string& reason, TimePoint at) {
    const pqxx::result result = db::exec_prepared(tx,
        "UPDATE users SET kyc_status = $2, kyc_reason = NULLIF($3, ''), "
        "kyc_decided_at = $4::timestamptz WHERE id = $1::uuid",
        user_id, std::string(to_string(status)), reason, format_rfc3339(at));
    return result.affected_rows() == 1;
}

Consent find_consent(pqxx::work& tx, const std::string& user_id) {
    const pqxx::row row = db::exec_prepared1(tx,
        "SELECT coalesce(terms_version, ''), terms_accepted_at FROM users WHERE id = $1::uuid",
        user_id);
    return Consent{row[0].as<std::string>(),
                   row[1].is_null() ? std::string() : rfc3339_from_pg(row[1].as<std::string>())};
}

void mark_user_closed(pqxx::work& tx, const std::string& user_id, TimePoint at) {
    db::exec_prepared(tx, "UPDATE users SET closed_at = $2::timestamptz WHERE id = $1::uuid", user_id,
                   format_rfc3339(at));
}

}  // namespace gw::identity
