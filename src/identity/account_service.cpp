#include "identity/account_service.hpp"

#include "core/msisdn.hpp"
#include "core/time_text.hpp"
#include "db/transaction.hpp"
#include "identity/account_rules.hpp"
#include "identity/audit_store.hpp"
#include "identity/kyc_store.hpp"
#include "identity/session_store.hpp"
#include "identity/user_store.hpp"
#include "identity/uuid.hpp"

namespace gw::identity {
namespace {

std::string phone_associated_data(const std::string& user_id) { return user_id + ":phone"; }

// Field checks in the documented order; returns the normalised phone when one was given.
Result<std::optional<std::string>> check_fields(const std::string& username,
                                                const std::string& email,
                                                const std::optional<std::string>& phone,
                                                std::string_view password) {
    if (auto ok = check_username(username); !ok) {
        return ok.error();
    }
    if (auto ok = check_email(email); !ok) {
        return ok.error();
    }
    std::optional<std::string> normalized;
    if (phone) {
        auto parsed = normalize_msisdn(*phone);
        if (!parsed) {
            return parsed.error();
        }
        normalized = std::move(*parsed);
    }
    if (auto ok = check_password_policy(password, username); !ok) {
        return ok.error();
    }
    return normalized;
}

}  // namespace

AccountService::AccountService(db::ConnectionPool& pool, const Clock& clock,
                               const FieldCipher& cipher, const BlindIndex& blind_index,
                               const PasswordHasher& hasher, AuthService& auth,
                               std::string terms_version)
    : pool_(pool),
      clock_(clock),
      cipher_(cipher),
      blind_index_(blind_index),
      hasher_(hasher),
      auth_(auth),
      terms_version_(std::move(terms_version)) {}

Result<AccountView> AccountService::register_user(const Registration& registration) {
    return create(trimmed(registration.username), trimmed(registration.email),
                  registration.phone, registration.password, Role::user, std::nullopt);
}

Result<AccountView> AccountService::create_staff(const NewStaffAccount& account,
                                                 const Actor& actor) {
    return create(trimmed(account.username), trimmed(account.email), std::nullopt,
                  account.password, account.role, actor);
}

Result<AccountView> AccountService::create(const std::string& username, const std::string& email,
                                           const std::optional<std::string>& phone,
                                           std::string_view password, Role role,
                                           const std::optional<Actor>& auditor) {
    auto normalized_phone = check_fields(username, email, phone, password);
    if (!normalized_phone) {
        return normalized_phone.error();
    }
    NewUser user;
    user.id = random_uuid();
    user.username = username;
    user.email = email;
    if (*normalized_phone) {
        user.phone = cipher_.seal(**normalized_phone, phone_associated_data(user.id));
        user.phone_blind_index = blind_index_.compute(**normalized_phone);
    }
    user.password_hash = hasher_.hash(password);  // slow on purpose: outside the transaction
    user.role = role;
    user.terms_version = auditor ? std::string() : terms_version_;
    user.created_at = clock_.now();
    return db::with_transaction(pool_, "account.create", [&](pqxx::work& tx) -> Result<AccountView> {
        if (auto unique = check_user_unique(tx, user); !unique) {
            return unique.error();
        }
        if (auto inserted = insert_user(tx, user); !inserted) {
            return inserted.error();
        }
        if (auditor) {
            append_audit(tx, *auditor,
                         {"user.create", "user", user.id, nullptr,
                          {{"username", user.username}, {"role", to_string(role)}}, ""},
                         user.created_at);
        }
        return view_of(*find_user_by_id(tx, user.id));
    });
}

AccountView AccountService::view_of(const UserRecord& user) const {
    AccountView view{user.id,   user.username,   user.email,      {},
                     user.role, user.kyc_status, user.kyc_reason, user.created_at};
    if (user.phone) {
        if (auto phone = cipher_.open(*user.phone, phone_associated_data(user.id))) {
            view.phone_masked = mask_msisdn(*phone);
        }
    }
    return view;
}

Result<AccountView> AccountService::profile(const std::string& user_id) {
    const auto user = db::with_transaction(pool_, "account.profile", [&](pqxx::work& tx) {
        return find_user_by_id(tx, user_id);
    });
    if (!user || user->closed) {
        return make_error(ErrorCode::not_found, "no such account");
    }
    return view_of(*user);
}

Result<void> AccountService::change_password(const Principal& principal,
                                             std::string_view current_password,
                                             std::string_view new_password,
                                             const std::string& request_id) {
    const auto user = db::with_transaction(pool_, "account.password.find", [&](pqxx::work& tx) {
        return find_user_by_id(tx, principal.user_id);
    });
    if (!user || !hasher_.verify(user->password_hash, current_password)) {
        return make_error(ErrorCode::invalid_credentials, "the current password is wrong");
    }
    if (auto policy = check_password_policy(new_password, user->username); !policy) {
        return policy.error();
    }
    const std::string hash = hasher_.hash(new_password);
    db::with_transaction(pool_, "account.password.change", [&](pqxx::work& tx) {
        update_password_hash(tx, user->id, hash);
        const std::size_t revoked =
            auth_.revoke_other_sessions(tx, user->id, principal.session_id, "password_changed");
        append_audit(tx, Actor::of(principal, request_id),
                     {"user.password_change", "user", user->id, nullptr,
                      {{"sessions_revoked", revoked}}, ""},
                     clock_.now());
    });
    auth_.forget_sessions();
    return {};
}

Result<void> AccountService::close_account(const Principal& principal,
                                           const std::string& request_id) {
    auto closed = db::with_transaction(pool_, "account.close", [&](pqxx::work& tx) -> Result<void> {
        if (closure_check_) {
            if (auto allowed = closure_check_(tx, principal.user_id); !allowed) {
                return allowed.error();
            }
        }
        const TimePoint now = clock_.now();
        mark_user_closed(tx, principal.user_id, now);
        auth_.revoke_other_sessions(tx, principal.user_id, "", "account_closed");
        append_audit(tx, Actor::of(principal, request_id),
                     {"user.close", "user", principal.user_id, nullptr, nullptr, ""}, now);
        return {};
    });
    auth_.forget_sessions();
    return closed;
}

Result<nlohmann::json> AccountService::export_data(const Principal& principal) {
    return db::with_transaction(pool_, "account.export", [&](pqxx::work& tx) -> Result<nlohmann::json> {
        const auto user = find_user_by_id(tx, principal.user_id);
        if (!user || user->closed) {
            return make_error(ErrorCode::not_found, "no such account");
        }
        std::optional<std::string> phone;
        if (user->phone) {
            phone = cipher_.open(*user->phone, phone_associated_data(user->id));
        }
        const Consent consent = find_consent(tx, user->id);
        nlohmann::json documents = nlohmann::json::array();
        for (const auto& document : list_kyc_documents(tx, user->id)) {
            documents.push_back({{"id", document.id},
                                 {"doc_type", document.doc_type},
                                 {"content_type", document.content_type},
                                 {"size_bytes", document.size_bytes},
                                 {"uploaded_at", document.uploaded_at}});
        }
        nlohmann::json audit = nlohmann::json::array();
        for (const auto& record : list_audit_about_user(tx, user->id)) {
            audit.push_back(record.json);
        }
        return nlohmann::json{
            {"profile",
             {{"id", user->id}, {"username", user->username}, {"email", user->email},
              {"phone", phone ? nlohmann::json(*phone) : nlohmann::json()},
              {"role", to_string(user->role)}, {"created_at", user->created_at}}},
            {"consent", {{"terms_version", consent.terms_version}, {"accepted_at", consent.terms_accepted_at}}},
            {"kyc", {{"status", to_string(user->kyc_status)}, {"reason", user->kyc_reason}, {"documents", documents}}},
            {"sessions", list_user_sessions(tx, user->id)},
            {"audit", audit},
            {"exported_at", format_rfc3339(clock_.now())}};
    });
}

std::optional<std::string> AccountService::phone_of(const std::string& user_id) {
    const auto user = db::with_transaction(pool_, "account.phone", [&](pqxx::work& tx) {
        return find_user_by_id(tx, user_id);
    });
    if (!user || !user->phone) {
        return std::nullopt;
    }
    return cipher_.open(*user->phone, phone_associated_data(user->id));
}

}  // namespace gw::identity
