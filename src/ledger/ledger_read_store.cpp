#include "ledger/ledger_read_store.hpp"

#include "core/assert.hpp"
#include "core/time_text.hpp"
#include "db/prepared.hpp"

namespace gw::ledger {
namespace {

EntryStatus status_of(const std::string& text) {
    if (text == "pending") {
        return EntryStatus::pending;
    }
    if (text == "voided") {
        return EntryStatus::voided;
    }
    // The view filters transfers to flags 0 and 1, so 'resolution' never reaches here.
    GW_ASSERT(text == "posted", "the ledgers view yields pending, posted or voided");
    return EntryStatus::posted;
}

LedgerEntry entry_from_row(const pqxx::row& row) {
    const auto created_at = parse_rfc3339(rfc3339_from_pg(row[1].as<std::string>()));
    GW_ASSERT(created_at.has_value(), "the pool sets TimeZone to UTC, so timestamptz parses");
    const auto delta = row[3].as<std::int64_t>();
    // transfers.amount > 0 (a CHECK), so an entry is never zero.
    GW_ASSERT(delta != 0, "an entry moves a positive amount");
    LedgerEntry entry;
    entry.transfer_id = row[0].as<std::string>();
    entry.created_at = *created_at;
    entry.kind = row[2].as<std::string>();
    entry.direction = delta > 0 ? EntryDirection::credit : EntryDirection::debit;
    entry.grams = Micrograms{delta > 0 ? delta : -delta};
    entry.status = status_of(row[4].as<std::string>());
    entry.pool_id = row[5].as<std::string>();
    entry.trade_id = row[6].as<std::string>();
    return entry;
}

}  // namespace

UserGold read_user_gold(pqxx::transaction_base& tx, const std::string& user_id) {
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT grams, locked_grams, available_grams FROM user_balances WHERE user_id = $1::uuid",
        user_id);
    if (rows.empty()) {
        return UserGold{};
    }
    const UserGold gold{Micrograms{rows[0][0].as<std::int64_t>()},
                        Micrograms{rows[0][1].as<std::int64_t>()},
                        Micrograms{rows[0][2].as<std::int64_t>()}};
    // Pair of the no-overdraft CHECK on user accounts: locked gold is gold the user owns.
    GW_ASSERT(gold.locked.value() >= 0, "debits_pending >= 0 is a CHECK on accounts");
    GW_ASSERT(gold.available.value() >= 0, "user accounts carry the no-overdraft flag");
    return gold;
}

std::vector<LedgerEntry> read_user_ledger(pqxx::transaction_base& tx,
                                          const std::string& user_id,
                                          const std::optional<LedgerCursor>& before,
                                          std::size_t limit) {
    GW_ASSERT(limit >= 1, "routes validate the page size");
    const std::optional<std::string> before_at =
        before ? std::optional(format_rfc3339(before->created_at)) : std::nullopt;
    const std::optional<std::string> before_id =
        before ? std::optional(before->transfer_id) : std::nullopt;
    std::vector<LedgerEntry> entries;
    for (const auto& row :
         db::exec_prepared(tx, "SELECT transfer_id, created_at, kind, grams_delta, status, "
                        "coalesce(pool_id::text, ''), coalesce(trade_id::text, '') "
                        "FROM ledgers WHERE user_id = $1::uuid "
                        "AND ($2::timestamptz IS NULL OR (created_at, transfer_id) < "
                        "($2::timestamptz, $3::uuid)) "
                        "ORDER BY created_at DESC, transfer_id DESC LIMIT $4",
                        user_id,
                        before_at,
                        before_id,
                        static_cast<std::int64_t>(limit))) {
        entries.push_back(entry_from_row(row));
    }
    return entries;
}

std::string_view to_string(EntryDirection direction) {
    switch (direction) {
        case EntryDirection::credit:
            return "credit";
        case EntryDirection::debit:
            return "debit";
    }
    return "credit";
}

std::string_view to_string(EntryStatus status) {
    switch (status) {
        case EntryStatus::pending:
            return "pending";
        case EntryStatus::posted:
            return "posted";
        case EntryStatus::voided:
            return "voided";
    }
    return "posted";
}

}  // namespace gw::ledger
