#include "trading/pool_service.hpp"

#include "core/time_text.hpp"
#include "db/transaction.hpp"
#include "identity/audit_store.hpp"
#include "identity/uuid.hpp"
#include "ledger/batch_apply.hpp"
#include "ledger/ledger_store.hpp"
#include "trading/pool_store.hpp"

namespace gw::trading {
namespace {

constexpr const char* kVaultAccount = "vault:external";

Error pool_not_found() { return make_error(ErrorCode::not_found, "no such pool"); }

nlohmann::json pool_json(const PoolView& pool) {
    return {{"name", pool.name},
            {"purity", format_fineness(pool.purity)},
            {"priority", pool.priority},
            {"notes", pool.notes},
            {"total_grams", format_grams(pool.total)},
            {"available_grams", format_grams(pool.available)}};
}

// Moves `amount` from the vault into the pool's account inside `tx`.
Result<void> fund_from_vault(pqxx::work& tx, std::int64_t pool_account, Micrograms amount,
                             const std::string& kind, TimePoint now) {
    const ledger::AccountId vault =
        ledger::ensure_account(tx, {kVaultAccount, ledger::Asset::xau_ug, 0, std::nullopt, std::nullopt}, now);
    ledger::Submission submission;
    submission.transfers.push_back(ledger::TransferRequest{identity::random_uuid(), vault, pool_account,
                                                           amount.value(), ledger::TransferType::single_phase,
                                                           {}, std::nullopt, {}, kind});
    const auto results = ledger::apply_submissions(tx, {&submission}, now);
    const ledger::TransferResult result = results.front().front();
    if (!ledger::succeeded(result)) {
        return make_error(ErrorCode::ledger_rejected, std::string(ledger::to_string(result)));
    }
    return {};
}

}  // namespace

PoolService::PoolService(db::ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

Result<PoolView> PoolService::create(const identity::Actor& actor, const NewPool& pool) {
    return db::with_transaction(pool_, "pool.create", [&](pqxx::work& tx) -> Result<PoolView> {
        const TimePoint now = clock_.now();
        const std::string id = identity::random_uuid();
        const ledger::AccountId account = ledger::ensure_account(
            tx, {"pool:" + id, ledger::Asset::xau_ug, ledger::kDebitsMustNotExceedCredits, std::nullopt, id}, now);
        if (!insert_pool(tx, id, pool, account, now)) {
            return make_error(ErrorCode::pool_name_taken, "a pool with that name exists");
        }
        if (auto funded = fund_from_vault(tx, account, pool.total, "pool.create", now); !funded) {
            return funded.error();
        }
        PoolView created = *select_pool(tx, id);
        identity::append_audit(tx, actor, {"pool.create", "pool", id, nullptr, pool_json(created), ""}, now);
        return created;
    });
}

std::vector<PoolView> PoolService::list() {
    return db::with_transaction(pool_, "pool.list", [](pqxx::work& tx) { return select_pools(tx); });
}

Result<PoolView> PoolService::find(const std::string& pool_id) {
    auto found = db::with_transaction(pool_, "pool.find",
                                      [&](pqxx::work& tx) { return select_pool(tx, pool_id); });
    if (!found) {
        return pool_not_found();
    }
    return *found;
}

Result<PoolView> PoolService::top_up(const identity::Actor& actor, const std::string& pool_id,
                                     Micrograms added, const std::string& note) {
    return db::with_transaction(pool_, "pool.topup", [&](pqxx::work& tx) -> Result<PoolView> {
        if (!lock_pool(tx, pool_id)) {
            return pool_not_found();
        }
        const auto before = select_pool(tx, pool_id);
        if (before->retired_at) {
            return make_error(ErrorCode::pool_retired, "a retired pool takes no new gold");
        }
        const TimePoint now = clock_.now();
        if (auto funded = fund_from_vault(tx, *pool_account(tx, pool_id), added, "pool.topup", now); !funded) {
            return funded.error();
        }
        PoolView after = *select_pool(tx, pool_id);
        identity::append_audit(tx, actor,
                               {"pool.topup", "pool", pool_id, pool_json(*before), pool_json(after), note},
                               now);
        return after;
    });
}

Result<PoolView> PoolService::update(const identity::Actor& actor, const std::string& pool_id,
                                     const PoolChanges& changes) {
    return db::with_transaction(pool_, "pool.update", [&](pqxx::work& tx) -> Result<PoolView> {
        if (!lock_pool(tx, pool_id)) {
            return pool_not_found();
        }
        const auto before = select_pool(tx, pool_id);
        if (!update_pool(tx, pool_id, changes)) {
            return make_error(ErrorCode::pool_name_taken, "a pool with that name exists");
        }
        PoolView after = *select_pool(tx, pool_id);
        identity::append_audit(tx, actor,
                               {"pool.update", "pool", pool_id, pool_json(*before), pool_json(after), ""},
                               clock_.now());
        return after;
    });
}

Result<PoolView> PoolService::retire(const identity::Actor& actor, const std::string& pool_id,
                                     const std::string& reason) {
    return db::with_transaction(pool_, "pool.retire", [&](pqxx::work& tx) -> Result<PoolView> {
        if (!lock_pool(tx, pool_id)) {
            return pool_not_found();
        }
        const auto before = select_pool(tx, pool_id);
        if (before->retired_at) {
            return make_error(ErrorCode::pool_retired, "the pool is already retired");
        }
        const TimePoint now = clock_.now();
        mark_pool_retired(tx, pool_id, now);
        PoolView after = *select_pool(tx, pool_id);
        identity::append_audit(tx, actor,
                               {"pool.retire", "pool", pool_id, pool_json(*before),
                                {{"retired_at", format_rfc3339(now)}}, reason},
                               now);
        return after;
    });
}

}  // namespace gw::trading
