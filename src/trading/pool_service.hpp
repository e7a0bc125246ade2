#pragma once

// Pools of physical gold, managed by admins. Gold enters a pool from `vault:external` through a
// posted ledger transfer, in the same database transaction as the pool row and its audit entry,
// so a pool's total is always exactly the gold the ledger says entered it. Thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/money.hpp"
#include "db/pool.hpp"
#include "identity/actor.hpp"
#include "trading/fineness.hpp"

namespace gw::trading {

struct PoolView {
    std::string id;
    std::string name;
    Fineness purity;
    int priority = 0;
    std::string notes;
    Micrograms total;      // available + reserved + held + selling
    Micrograms available;  // free to allocate to buys
    Micrograms reserved;   // held for buys awaiting payment
    Micrograms held;       // owned by users
    Micrograms selling;    // locked in users' sells awaiting payout
    std::string created_at;
    std::optional<std::string> retired_at;
};

struct NewPool {
    std::string name;
    Micrograms total;
    Fineness purity;
    int priority = 100;
    std::string notes;
};

struct PoolChanges {
    std::optional<std::string> name;
    std::optional<std::string> notes;
    std::optional<int> priority;
};

// Pools allocate in ascending priority (then age): FIFO over the admin's order.
class PoolService {
public:
    // REQUIRES: `pool` and `clock` outlive the service.
    PoolService(db::ConnectionPool& pool, const Clock& clock);

    // Creates a pool holding `total` (audited `pool.create`). Errors: pool_name_taken.
    Result<PoolView> create(const identity::Actor& actor, const NewPool& pool);

    // Every pool, by priority then age (retired ones included, marked).
    std::vector<PoolView> list();

    // Error: not_found.
    Result<PoolView> find(const std::string& pool_id);

    // Adds gold from the vault (audited `pool.topup`). Errors: not_found, pool_retired.
    Result<PoolView> top_up(const identity::Actor& actor,
                            const std::string& pool_id,
                            Micrograms added,
                            const std::string& note);

    // Renames, annotates or reprioritises (audited `pool.update`). Errors: not_found,
    // pool_name_taken.
    Result<PoolView> update(const identity::Actor& actor,
                            const std::string& pool_id,
                            const PoolChanges& changes);

    // Stops new allocations; the gold already held stays traceable (audited `pool.retire`).
    // Errors: not_found, pool_retired.
    Result<PoolView> retire(const identity::Actor& actor, const std::string& pool_id, const std::string& reason);

private:
    db::ConnectionPool& pool_;
    const Clock& clock_;
};

}  // namespace gw::trading
