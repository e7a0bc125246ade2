#pragma once

// Helpers for the ledger integration tests: deterministic transfer ids, users, gold pools and
// their accounts, request builders, and reads of balances and invariants.

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <string>

#include "core/clock.hpp"
#include "db/pool.hpp"
#include "ledger/ledger_store.hpp"
#include "ledger/transfer.hpp"
#include "support/ledger_printers.hpp"

namespace gw::test {

inline constexpr std::int64_t kGram = 1'000'000;  // µg

// Version-4-shaped UUIDs from a seeded std::mt19937_64, so every run uses the same ids.
// Not thread-safe: draw ids before handing them to threads.
class UuidSource {
public:
    explicit UuidSource(std::uint64_t seed = 20'260'505) : engine_(seed) {}
    std::string next();

private:
    std::mt19937_64 engine_;
};

// A fresh database with the full schema, and a pool on it (statement timeout 30 s, so a
// loaded machine never turns lock waits into errors).
std::unique_ptr<db::ConnectionPool> make_ledger_pool(std::size_t pool_size);

// Inserts a users row with its NOT NULL columns; `name` must be unique in the database.
void insert_user(pqxx::work& tx,
                 const std::string& user_id,
                 const std::string& name,
                 TimePoint now);

// The vault:external account (gold entering or leaving the system; may go negative).
ledger::AccountId ensure_vault(pqxx::work& tx, TimePoint now);

// Creates a gold_pools row and its account pool:<id> (no overdraft) and, when `micrograms`
// is positive, funds it from the vault with a single-phase transfer `fund_id`.
ledger::AccountId create_gold_pool(pqxx::work& tx,
                                   const std::string& pool_id,
                                   const std::string& name,
                                   ledger::AccountId vault,
                                   std::int64_t micrograms,
                                   const std::string& fund_id,
                                   TimePoint now);

// The user's share of a pool: user:<uid>:pool:<pid> (no overdraft).
ledger::AccountId ensure_user_share(pqxx::work& tx,
                                    const std::string& user_id,
                                    const std::string& pool_id,
                                    TimePoint now);

ledger::TransferRequest single_phase(const std::string& id,
                                     ledger::AccountId debit,
                                     ledger::AccountId credit,
                                     std::int64_t amount,
                                     const std::string& kind = "test.move");
ledger::TransferRequest pending(const std::string& id,
                                ledger::AccountId debit,
                                ledger::AccountId credit,
                                std::int64_t amount,
                                std::optional<TimePoint> timeout_at = std::nullopt,
                                const std::string& kind = "test.reserve");
// Post or void of `pending_id` with accounts and amount left 0 (the whole pending amount).
ledger::TransferRequest post(const std::string& id,
                             const std::string& pending_id,
                             const std::string& kind = "test.post");
ledger::TransferRequest void_pending(const std::string& id,
                                     const std::string& pending_id,
                                     const std::string& kind = "test.void");

// The four counters of an account as stored. REQUIRES: the account exists.
ledger::AccountBalance balance_of(db::ConnectionPool& pool, ledger::AccountId id);

// Rows in transfers with this id (0 or 1).
std::int64_t transfer_rows(db::ConnectionPool& pool, const std::string& id);
std::int64_t transfer_rows(db::ConnectionPool& pool);

// Every invariant violation, one per line; "" when the ledger is sound.
std::string invariant_report(db::ConnectionPool& pool);

}  // namespace gw::test
