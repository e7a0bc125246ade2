#include "ledger/admin_ledger_store.hpp"

#include <array>
#include <utility>

#include "core/assert.hpp"
#include "core/time_text.hpp"
#include "db/prepared.hpp"

namespace gw::ledger {
namespace {

constexpr std::array<std::pair<TransferStatus, std::string_view>, 4> kStatusNames{{
    {TransferStatus::posted, "posted"},
    {TransferStatus::pending, "pending"},
    {TransferStatus::voided, "voided"},
    {TransferStatus::resolution, "resolution"},
}};

// Every gold transfer with its status resolved (flags: 0 single phase, 1 pending, 2 post,
// 4 void; see migrations/0003_ledger.sql) and the owners of both accounts, for the filters.
constexpr const char* kAdminLedgerSql =
    "SELECT id, created_at, kind, debit_code, credit_code, amount, status, pending_id, trade_id, "
    "user_id, pool_id FROM ("
    " SELECT t.id, t.created_at, t.kind, da.code AS debit_code, ca.code AS credit_code, t.amount,"
    "  CASE t.flags WHEN 0 THEN 'posted' WHEN 1 THEN"
    "   coalesce((SELECT CASE r.flags WHEN 2 THEN 'posted' ELSE 'voided' END"
    "             FROM transfers r WHERE r.pending_id = t.id), 'pending')"
    "  ELSE 'resolution' END AS status,"
    "  coalesce(t.pending_id::text, '') AS pending_id, coalesce(t.trade_id::text, '') AS trade_id,"
    "  coalesce(coalesce(da.owner_user_id, ca.owner_user_id)::text, '') AS user_id,"
    "  coalesce(coalesce(da.pool_id, ca.pool_id)::text, '') AS pool_id,"
    "  da.owner_user_id AS debit_owner, ca.owner_user_id AS credit_owner"
    " FROM transfers t"
    " JOIN accounts da ON da.id = t.debit_account_id"
    " JOIN accounts ca ON ca.id = t.credit_account_id"
    " WHERE da.asset = 'XAU_UG'"
    ") x "
    "WHERE ($1::uuid IS NULL OR debit_owner = $1::uuid OR credit_owner = $1::uuid) "
    "AND ($2::text IS NULL OR kind = $2::text) "
    "AND ($3::text IS NULL OR status = $3::text) "
    "AND ($4::timestamptz IS NULL OR created_at >= $4::timestamptz) "
    "AND ($5::timestamptz IS NULL OR created_at < $5::timestamptz) "
    "AND ($6::timestamptz IS NULL OR (created_at, id) < ($6::timestamptz, $7::uuid)) "
    "ORDER BY created_at DESC, id DESC LIMIT $8";

std::optional<std::string> time_text(const std::optional<TimePoint>& at) {
    return at ? std::optional(format_rfc3339(*at)) : std::nullopt;
}

AdminLedgerEntry entry_from_row(const pqxx::row& row) {
    const auto status = parse_transfer_status(row[6].as<std::string>());
    GW_ASSERT(status.has_value(), "the query yields only the four status names");
    AdminLedgerEntry entry;
    entry.transfer_id = row[0].as<std::string>();
    entry.created_at = time_from_pg(row[1].as<std::string>());
    entry.kind = row[2].as<std::string>();
    entry.debit_account = row[3].as<std::string>();
    entry.credit_account = row[4].as<std::string>();
    entry.amount = Micrograms{row[5].as<std::int64_t>()};
    // transfers.amount > 0 is a CHECK.
    GW_ASSERT(entry.amount.value() > 0, "a transfer moves a positive amount");
    entry.status = *status;
    entry.pending_id = row[7].as<std::string>();
    entry.trade_id = row[8].as<std::string>();
    entry.user_id = row[9].as<std::string>();
    entry.pool_id = row[10].as<std::string>();
    return entry;
}

}  // namespace

std::string_view to_string(TransferStatus status) {
    for (const auto& [value, name] : kStatusNames) {
        if (value == status) {
            return name;
        }
    }
    return "posted";
}

std::optional<TransferStatus> parse_transfer_status(std::string_view text) {
    for (const auto& [value, name] : kStatusNames) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

std::vector<AdminLedgerEntry> read_admin_ledger(pqxx::work& tx,
                                                const AdminLedgerFilter& filter,
                                                const std::optional<LedgerCursor>& before,
                                                std::size_t limit) {
    GW_ASSERT(limit >= 1, "the service validates the page size");
    const std::optional<std::string> status =
        filter.status ? std::optional(std::string(to_string(*filter.status))) : std::nullopt;
    const std::optional<std::string> before_id =
        before ? std::optional(before->transfer_id) : std::nullopt;
    std::vector<AdminLedgerEntry> entries;
    for (const auto& row :
         db::exec_prepared(tx, kAdminLedgerSql,
                        filter.user_id,
                        filter.kind,
                        status,
                        time_text(filter.from),
                        time_text(filter.to),
                        time_text(before ? std::optional(before->created_at) : std::nullopt),
                        before_id,
                        static_cast<std::int64_t>(limit))) {
        entries.push_back(entry_from_row(row));
    }
    return entries;
}

}  // namespace gw::ledger
