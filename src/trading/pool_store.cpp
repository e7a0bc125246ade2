#include "trading/pool_store.hpp"

#include "core/time_text.hpp"
#include "db/prepared.hpp"

namespace gw::trading {
namespace {

constexpr const char* kPoolColumns =
    "SELECT id, name, purity_tenths, priority, notes, total_grams, available_grams, "
    "reserved_grams, held_grams, selling_grams, created_at, retired_at FROM pools ";

PoolView pool_from_row(const pqxx::row& row) {
    PoolView view;
    view.id = row[0].as<std::string>();
    view.name = row[1].as<std::string>();
    view.purity = Fineness{row[2].as<std::int32_t>()};
    view.priority = row[3].as<int>();
    view.notes = row[4].as<std::string>();
    view.total = Micrograms{row[5].as<std::int64_t>()};
    view.available = Micrograms{row[6].as<std::int64_t>()};
    view.reserved = Micrograms{row[7].as<std::int64_t>()};
    view.held = Micrograms{row[8].as<std::int64_t>()};
    view.selling = Micrograms{row[9].as<std::int64_t>()};
    view.created_at = rfc3339_from_pg(row[10].as<std::string>());
    if (!row[11].is_null()) {
        view.retired_at = rfc3339_from_pg(row[11].as<std::string>());
    }
    return view;
}

}  // namespace

bool insert_pool(pqxx::work& tx, const std::string& id, const NewPool& pool, std::int64_t account_id,
                 TimePoint at) {
    const pqxx::result inserted = db::exec_prepared(tx,
        "INSERT INTO gold_pools (id, name, purity_tenths, priority, notes, account_id, created_at) "
        "VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::timestamptz) "
        "ON CONFLICT (lower(name)) DO NOTHING",
        id, pool.name, pool.purity.tenths, pool.priority, pool.notes, account_id,
        format_rfc3339(at));
    return inserted.affected_rows() == 1;
}

std::vector<PoolView> select_pools(pqxx::work& tx) {
    std::vector<PoolView> pools;
    for (const auto& row : tx.exec(std::string(kPoolColumns) +
                                   "ORDER BY retired_at IS NOT NULL, priority, account_id")) {
        pools.push_back(pool_from_row(row));
    }
    return pools;
}

std::optional<PoolView> select_pool(pqxx::work& tx, const std::string& id) {
    const pqxx::result rows = db::exec_prepared(tx, std::string(kPoolColumns) + "WHERE id = $1::uuid", id);
    if (rows.empty()) {
        return std::nullopt;
    }
    return pool_from_row(rows[0]);
}

std::optional<std::int64_t> pool_account(pqxx::work& tx, const std::string& id) {
    const pqxx::result rows =
        db::exec_prepared(tx, "SELECT account_id FROM gold_pools WHERE id = $1::uuid", id);
    if (rows.empty()) {
        return std::nullopt;
    }
    return rows[0][0].as<std::int64_t>();
}

bool lock_pool(pqxx::work& tx, const std::string& id) {
    return !db::exec_prepared(tx, "SELECT 1 FROM gold_pools WHERE id = $1::uuid FOR UPDATE", id).empty();
}

bool update_pool(pqxx::work& tx, const std::string& id, const PoolChanges& changes) {
    try {
        db::exec_prepared(tx,
            "UPDATE gold_pools SET name = coalesce($2, name), notes = coalesce($3, notes), "
            "priority = coalesce($4, priority) WHERE id = $1::uuid",
            id, changes.name, changes.notes, changes.priority);
    } catch (const pqxx::unique_violation&) {
        return false;
    }
    return true;
}

void mark_pool_retired(pqxx::work& tx, const std::string& id, TimePoint at) {
    db::exec_prepared(tx, "UPDATE gold_pools SET retired_at = $2::timestamptz WHERE id = $1::uuid", id,
                   format_rfc3339(at));
}

}  // namespace gw::trading
