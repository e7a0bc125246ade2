#include "ledger/ledger_store.hpp"

#include "core/assert.hpp"
#include "core/time_text.hpp"
#include "db/prepared.hpp"

namespace gw::ledger {
namespace {

// A PostgreSQL array literal of quoted elements; nullopt elements become NULL.
std::string array_literal(const std::vector<std::optional<std::string>>& items) {
    std::string text = "{";
    for (const auto& item : items) {
        if (text.size() > 1) {
            text += ',';
        }
        if (!item) {
            text += "NULL";
            continue;
        }
        text += '"';
        for (char c : *item) {
            if (c == '"' || c == '\\') {
                text += '\\';
            }
            text += c;
        }
        text += '"';
    }
    return text + "}";
}

template <typename Container, typename Format>
std::string array_of(const Container& values, Format format) {
    std::vector<std::optional<std::string>> items;
    items.reserve(values.size());
    for (const auto& value : values) {
        items.push_back(format(value));
    }
    return array_literal(items);
}

std::string id_text(AccountId id) { return std::to_string(id); }

int type_flags(TransferType type) {
    switch (type) {
        case TransferType::single_phase: return 0;
        case TransferType::pending: return 1;
        case TransferType::post_pending: return 2;
        case TransferType::void_pending: return 4;
    }
    return 0;
}

TransferType type_of(int flags) {
    switch (flags) {
        case 1: return TransferType::pending;
        case 2: return TransferType::post_pending;
        case 4: return TransferType::void_pending;
        default: return TransferType::single_phase;
    }
}

AccountState account_from_row(const pqxx::row& row) {
    const auto asset = parse_asset(row[1].as<std::string>());
    GW_ASSERT(asset.has_value(), "the asset CHECK constraint admits only known assets");
    return AccountState{row[0].as<AccountId>(), *asset, row[2].as<std::uint32_t>(),
                        AccountBalance{row[3].as<std::int64_t>(), row[4].as<std::int64_t>(),
                                       row[5].as<std::int64_t>(), row[6].as<std::int64_t>()}};
}

constexpr const char* kAccountColumns =
    "SELECT id, asset, flags, debits_pending, debits_posted, credits_pending, credits_posted "
    "FROM accounts ";

}  // namespace

std::optional<AccountId> find_account(pqxx::work& tx, const std::string& code) {
    const pqxx::result rows = db::exec_prepared(tx, "SELECT id FROM accounts WHERE code = $1", code);
    if (rows.empty()) {
        return std::nullopt;
    }
    return rows[0][0].as<AccountId>();
}

AccountId ensure_account(pqxx::work& tx, const NewAccount& account, TimePoint now) {
    if (const auto existing = find_account(tx, account.code)) {
        return *existing;  // the usual case: one statement, and no insert to refuse
    }
    db::exec_prepared(tx,
        "INSERT INTO accounts (code, asset, flags, owner_user_id, pool_id, created_at) "
        "VALUES ($1, $2, $3, $4::uuid, $5::uuid, $6::timestamptz) ON CONFLICT (code) DO NOTHING",
        account.code, std::string(to_string(account.asset)), account.flags, account.owner_user_id,
        account.pool_id, format_rfc3339(now));
    const auto created = find_account(tx, account.code);
    GW_ASSERT(created.has_value(), "inserted here, or by a transaction the insert waited for");
    return *created;
}

std::set<AccountId> pending_transfer_accounts(pqxx::work& tx,
                                              const std::set<std::string>& pending_ids) {
    std::set<AccountId> ids;
    if (pending_ids.empty()) {
        return ids;
    }
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT debit_account_id, credit_account_id FROM transfers WHERE id = ANY($1::uuid[])",
        array_of(pending_ids, [](const std::string& id) { return std::optional(id); }));
    for (const auto& row : rows) {
        ids.insert(row[0].as<AccountId>());
        ids.insert(row[1].as<AccountId>());
    }
    return ids;
}

AccountMap lock_accounts(pqxx::work& tx, const std::set<AccountId>& ids) {
    AccountMap accounts;
    if (ids.empty()) {
        return accounts;
    }
    const pqxx::result rows = db::exec_prepared(tx,
        std::string(kAccountColumns) + "WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE",
        array_of(ids, [](AccountId id) { return std::optional(id_text(id)); }));
    for (const auto& row : rows) {
        AccountState state = account_from_row(row);
        accounts.emplace(state.id, state);
    }
    return accounts;
}

std::map<std::string, TransferRequest> load_transfers(pqxx::work& tx,
                                                      const std::set<std::string>& ids) {
    std::map<std::string, TransferRequest> transfers;
    if (ids.empty()) {
        return transfers;
    }
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT id, debit_account_id, credit_account_id, amount, flags, "
        "coalesce(pending_id::text, ''), coalesce(trade_id::text, ''), kind, timeout_at "
        "FROM transfers WHERE id = ANY($1::uuid[])",
        array_of(ids, [](const std::string& id) { return std::optional(id); }));
    for (const auto& row : rows) {
        TransferRequest stored;
        stored.id = row[0].as<std::string>();
        stored.debit_account = row[1].as<AccountId>();
        stored.credit_account = row[2].as<AccountId>();
        stored.amount = row[3].as<std::int64_t>();
        stored.type = type_of(row[4].as<int>());
        stored.pending_id = row[5].as<std::string>();
        stored.trade_id = row[6].as<std::string>();
        stored.kind = row[7].as<std::string>();
        if (!row[8].is_null()) {
            stored.timeout_at = parse_rfc3339(rfc3339_from_pg(row[8].as<std::string>()));
        }
        transfers.emplace(stored.id, std::move(stored));
    }
    return transfers;
}

PendingMap load_pendings(pqxx::work& tx, const std::set<std::string>& ids) {
    PendingMap pendings;
    if (ids.empty()) {
        return pendings;
    }
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount, t.flags, t.timeout_at, "
        "(SELECT r.flags FROM transfers r WHERE r.pending_id = t.id) "
        "FROM transfers t WHERE t.id = ANY($1::uuid[])",
        array_of(ids, [](const std::string& id) { return std::optional(id); }));
    for (const auto& row : rows) {
        PendingTransfer pending{row[1].as<AccountId>(), row[2].as<AccountId>(),
                                row[3].as<std::int64_t>(), std::nullopt, PendingStatus::open};
        if (!row[5].is_null()) {
            pending.timeout_at = parse_rfc3339(rfc3339_from_pg(row[5].as<std::string>()));
        }
        if (row[4].as<int>() != 1) {
            pending.status = PendingStatus::not_pending;
        } else if (!row[6].is_null()) {
            pending.status = row[6].as<int>() == 2 ? PendingStatus::posted : PendingStatus::voided;
        }
        pendings.emplace(row[0].as<std::string>(), pending);
    }
    return pendings;
}

void write_batch(pqxx::work& tx, const std::vector<TransferRequest>& transfers,
                 const std::vector<AccountState>& accounts, TimePoint now) {
    if (transfers.empty()) {
        return;
    }
    const auto optional_text = [](const std::string& text) {
        return text.empty() ? std::nullopt : std::optional<std::string>(text);
    };
    const auto balance = [&](auto member) {
        return array_of(accounts, [member](const AccountState& a) {
            return std::optional(std::to_string(a.balance.*member));
        });
    };
    // One statement, one round trip: the hot accounts stay locked for as short a time as can be.
    db::exec_prepared(tx,
        "WITH inserted AS ("
        " INSERT INTO transfers (id, debit_account_id, credit_account_id, amount, pending_id, "
        " flags, timeout_at, trade_id, kind, created_at) "
        " SELECT id, debit, credit, amount, pending, flags, timeout, trade, kind, $10::timestamptz "
        " FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[], $5::uuid[], "
        " $6::integer[], $7::timestamptz[], $8::uuid[], $9::text[]) "
        " AS t(id, debit, credit, amount, pending, flags, timeout, trade, kind) RETURNING 1) "
        "UPDATE accounts a SET debits_pending = v.dp, debits_posted = v.dpo, "
        "credits_pending = v.cp, credits_posted = v.cpo "
        "FROM unnest($11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[]) "
        "AS v(id, dp, dpo, cp, cpo) WHERE a.id = v.id",
        array_of(transfers, [](const TransferRequest& t) { return std::optional(t.id); }),
        array_of(transfers, [](const TransferRequest& t) { return std::optional(id_text(t.debit_account)); }),
        array_of(transfers, [](const TransferRequest& t) { return std::optional(id_text(t.credit_account)); }),
        array_of(transfers, [](const TransferRequest& t) { return std::optional(std::to_string(t.amount)); }),
        array_of(transfers, [&](const TransferRequest& t) { return optional_text(t.pending_id); }),
        array_of(transfers, [](const TransferRequest& t) { return std::optional(std::to_string(type_flags(t.type))); }),
        array_of(transfers, [](const TransferRequest& t) {
            return t.timeout_at ? std::optional(format_rfc3339(*t.timeout_at)) : std::nullopt;
        }),
        array_of(transfers, [&](const TransferRequest& t) { return optional_text(t.trade_id); }),
        array_of(transfers, [](const TransferRequest& t) { return std::optional(t.kind); }),
        format_rfc3339(now),
        array_of(accounts, [](const AccountState& a) { return std::optional(id_text(a.id)); }),
        balance(&AccountBalance::debits_pending), balance(&AccountBalance::debits_posted),
        balance(&AccountBalance::credits_pending), balance(&AccountBalance::credits_posted));
}

AccountBalance lock_user_totals(pqxx::work& tx, const std::string& user_id) {
    AccountBalance totals;
    for (const auto& row : db::exec_prepared(tx,
             "SELECT debits_pending, debits_posted, credits_pending, credits_posted FROM accounts "
             "WHERE owner_user_id = $1::uuid ORDER BY id FOR NO KEY UPDATE",
             user_id)) {
        totals.debits_pending += row[0].as<std::int64_t>();
        totals.debits_posted += row[1].as<std::int64_t>();
        totals.credits_pending += row[2].as<std::int64_t>();
        totals.credits_posted += row[3].as<std::int64_t>();
    }
    return totals;
}

std::optional<AccountState> read_account(pqxx::work& tx, AccountId id) {
    const pqxx::result rows = db::exec_prepared(tx, std::string(kAccountColumns) + "WHERE id = $1", id);
    if (rows.empty()) {
        return std::nullopt;
    }
    return account_from_row(rows[0]);
}

}  // namespace gw::ledger
