#include "identity/audit_store.hpp"

#include "core/time_text.hpp"
#include "db/prepared.hpp"

namespace gw::identity {
namespace {

std::optional<std::string> json_or_null(const nlohmann::json& value) {
    if (value.is_null()) {
        return std::nullopt;
    }
    return value.dump();
}

std::optional<std::string> text_or_null(const std::string& value) {
    return value.empty() ? std::nullopt : std::optional<std::string>(value);
}

nlohmann::json parsed_or_null(const pqxx::field& field) {
    return field.is_null() ? nlohmann::json() : nlohmann::json::parse(field.c_str());
}

nlohmann::json text_field(const pqxx::field& field) {
    return field.is_null() ? nlohmann::json() : nlohmann::json(field.as<std::string>());
}

constexpr const char* kAuditColumns =
    "SELECT id, actor_id, actor_role, action, target_type, target_id, before, after, reason, "
    "request_id, created_at FROM audit_log ";

std::vector<AuditRecord> records_from(const pqxx::result& rows) {
    std::vector<AuditRecord> records;
    records.reserve(rows.size());
    for (const auto& row : rows) {
        const auto id = row[0].as<std::int64_t>();
        records.push_back({id,
                           {{"id", id},
                            {"actor_id", text_field(row[1])},
                            {"actor_role", text_field(row[2])},
                            {"action", row[3].as<std::string>()},
                            {"target_type", text_field(row[4])},
                            {"target_id", text_field(row[5])},
                            {"before", parsed_or_null(row[6])},
                            {"after", parsed_or_null(row[7])},
                            {"reason", text_field(row[8])},
                            {"request_id", text_field(row[9])},
                            {"created_at", rfc3339_from_pg(row[10].as<std::string>())}}});
    }
    return records;
}


}  // namespace

void append_audit(pqxx::work& tx, const Actor& actor, const AuditEntry& entry, TimePoint at) {
    db::exec_prepared(tx,
        "INSERT INTO audit_log (actor_id, actor_role, action, target_type, target_id, before, "
        "after, reason, request_id, created_at) "
        "VALUES ($1::uuid, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10::timestamptz)",
        text_or_null(actor.user_id),
        actor.user_id.empty() ? std::optional<std::string>("system")
                              : std::optional<std::string>(std::string(to_string(actor.role))),
        entry.action, text_or_null(entry.target_type), text_or_null(entry.target_id),
        json_or_null(entry.before), json_or_null(entry.after), text_or_null(entry.reason),
        text_or_null(actor.request_id), format_rfc3339(at));
}

std::vector<AuditRecord> list_audit(pqxx::work& tx, std::optional<std::int64_t> before,
                                    std::size_t limit) {
    return records_from(db::exec_prepared(tx,
        std::string(kAuditColumns) + "WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2",
        before, static_cast<std::int64_t>(limit)));
}

std::vector<AuditRecord> list_audit_about_user(pqxx::work& tx, const std::string& user_id) {
    return records_from(db::exec_prepared(tx,
        std::string(kAuditColumns) +
            "WHERE actor_id = $1::uuid OR (target_type = 'user' AND target_id = $1::text) "
            "ORDER BY id",
        user_id));
}

}  // namespace gw::identity
