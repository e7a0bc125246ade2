#pragma once

// Accounts: registration, the caller's profile, password change, closing an account, and staff
// accounts made from the CLI. Thread-safe: one instance serves every request.

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "db/pool.hpp"
#include "identity/actor.hpp"
#include "identity/auth_service.hpp"
#include "identity/blind_index.hpp"
#include "identity/field_crypto.hpp"
#include "identity/kyc_status.hpp"
#include "identity/password.hpp"
#include "identity/user_store.hpp"

namespace gw::identity {

struct Registration {
    std::string username;
    std::string email;
    std::string phone;     // as typed; normalised to 2547…/2541…
    std::string password;
};

struct NewStaffAccount {
    std::string username;
    std::string email;
    std::string password;
    Role role = Role::admin;
};

// The profile a user sees of themselves. The phone is masked ("2547******78").
struct AccountView {
    std::string id;
    std::string username;
    std::string email;
    std::string phone_masked;  // empty for staff without a phone
    Role role = Role::user;
    KycStatus kyc_status = KycStatus::pending;
    std::string kyc_reason;
    std::string created_at;
};

// Decides, inside the closing transaction, whether an account may close (for example: it holds
// no gold and has no trade in flight). Returns account_not_empty (or another error) to refuse.
using ClosureCheck = std::function<Result<void>(pqxx::work& tx, const std::string& user_id)>;

class AccountService {
public:
    // REQUIRES: every reference outlives the service.
    AccountService(db::ConnectionPool& pool,
                   const Clock& clock,
                   const FieldCipher& cipher,
                   const BlindIndex& blind_index,
                   const PasswordHasher& hasher,
                   AuthService& auth,
                   std::string terms_version);

    // Creates a `user` account with KYC pending, recording consent to `terms_version`.
    // Errors, in this order: validation_failed (username), invalid_email, invalid_phone,
    // weak_password, username_taken, email_taken, phone_taken. Nothing is stored on error.
    Result<AccountView> register_user(const Registration& registration);

    // Creates a staff account (admin, kyc_reviewer, treasury) without a phone; audited as
    // `user.create` by `actor`. Errors as register_user.
    Result<AccountView> create_staff(const NewStaffAccount& account, const Actor& actor);

    // Returns the caller's profile; not_found when the account no longer exists.
    Result<AccountView> profile(const std::string& user_id);

    // Changes the password after checking the current one, and revokes every other session of
    // the user. Errors: invalid_credentials (current password wrong), weak_password.
    Result<void> change_password(const Principal& principal,
                                 std::string_view current_password,
                                 std::string_view new_password,
                                 const std::string& request_id);

    // Closes the caller's account if `closure_check` allows, revoking every session. The KYC
    // documents stay for the retention period, then a purge job deletes them.
    Result<void> close_account(const Principal& principal, const std::string& request_id);

    // The caller's own data as JSON, for the right of access (Data Protection Act 2019):
    // profile with the full phone number, consent, KYC documents (metadata), sessions, and the
    // audit entries by or about the user. Error: not_found for a closed account.
    Result<nlohmann::json> export_data(const Principal& principal);

    // Installs the check close_account runs. REQUIRES: called before serving requests.
    void set_closure_check(ClosureCheck check) { closure_check_ = std::move(check); }

    // Returns the decrypted, normalised phone of a user, or nullopt. For payouts and STK pushes;
    // never log the result.
    std::optional<std::string> phone_of(const std::string& user_id);

private:
    Result<AccountView> create(const std::string& username,
                               const std::string& email,
                               const std::optional<std::string>& phone,
                               std::string_view password,
                               Role role,
                               const std::optional<Actor>& auditor);
    AccountView view_of(const UserRecord& user) const;

    db::ConnectionPool& pool_;
    const Clock& clock_;
    const FieldCipher& cipher_;
    const BlindIndex& blind_index_;
    const PasswordHasher& hasher_;
    AuthService& auth_;
    const std::string terms_version_;
    ClosureCheck closure_check_;
};

}  // namespace gw::identity
