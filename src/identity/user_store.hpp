#pragma once

// SQL for the users table. Every function REQUIRES being called inside a database transaction.

#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "identity/field_crypto.hpp"
#include "identity/kyc_status.hpp"
#include "identity/role.hpp"

namespace gw::identity {

struct UserRecord {
    std::string id;
    std::string username;
    std::string email;
    std::optional<SealedField> phone;  // encrypted; AD = id + ":phone"
    std::string password_hash;
    Role role = Role::user;
    KycStatus kyc_status = KycStatus::pending;
    std::string kyc_reason;  // empty when none
    std::string created_at;  // RFC 3339
    bool closed = false;
};

struct NewUser {
    std::string id;
    std::string username;
    std::string email;
    std::optional<SealedField> phone;
    std::string phone_blind_index;  // raw bytes; empty when phone is nullopt
    std::string password_hash;
    Role role = Role::user;
    std::string terms_version;  // empty for staff created by the CLI
    TimePoint created_at;
};

std::optional<UserRecord> find_user_by_id(pqxx::work& tx, const std::string& id);

// Case-insensitive.
std::optional<UserRecord> find_user_by_username(pqxx::work& tx, const std::string& username);

// Returns the first of username_taken, email_taken, phone_taken that applies (case-insensitive
// for username and email), or success.
Result<void> check_user_unique(pqxx::work& tx, const NewUser& user);

// Inserts the user. Errors: username_taken / email_taken / phone_taken when a concurrent
// registration won the race (the unique index decides).
Result<void> insert_user(pqxx::work& tx, const NewUser& user);

void update_password_hash(pqxx::work& tx, const std::string& user_id, const std::string& hash);

// Sets the KYC status and reason; returns false when the user does not exist.
bool update_kyc_status(pqxx::work& tx,
                       const std::string& user_id,
                       KycStatus status,
                       const std::string& reason,
                       TimePoint at);

struct Consent {
    std::string terms_version;      // empty for staff
    std::string terms_accepted_at;  // RFC 3339, empty for staff
};

Consent find_consent(pqxx::work& tx, const std::string& user_id);

void mark_user_closed(pqxx::work& tx, const std::string& user_id, TimePoint at);

}  // namespace gw::identity
