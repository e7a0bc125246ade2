#pragma once

// The append-only audit log: every admin action is written in the same database transaction as
// the action, so an action without its audit row cannot commit.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "identity/actor.hpp"

namespace gw::identity {

struct AuditEntry {
    std::string action;       // "kyc.decision", "pool.create", …
    std::string target_type;  // "user", "pool", …
    std::string target_id;
    nlohmann::json before;    // null when there was nothing before
    nlohmann::json after;
    std::string reason;
};

// Appends one row. REQUIRES: called inside the transaction that makes the change.
void append_audit(pqxx::work& tx, const Actor& actor, const AuditEntry& entry, TimePoint at);

struct AuditRecord {
    std::int64_t id = 0;
    nlohmann::json json;  // the API shape of the row
};

// Returns up to `limit` rows with id < before (newest first); all when before is nullopt.
std::vector<AuditRecord> list_audit(pqxx::work& tx,
                                    std::optional<std::int64_t> before,
                                    std::size_t limit);

// Every row the user authored or that targets the user, oldest first (for the data export).
std::vector<AuditRecord> list_audit_about_user(pqxx::work& tx, const std::string& user_id);

}  // namespace gw::identity
