#pragma once

// SQL of gold_pools and the pools view. Every function REQUIRES being called inside a database
// transaction.

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "trading/pool_service.hpp"

namespace gw::trading {

// Inserts the pool row. Returns false when the name is taken (case-insensitive).
bool insert_pool(pqxx::work& tx, const std::string& id, const NewPool& pool, std::int64_t account_id, TimePoint at);

std::vector<PoolView> select_pools(pqxx::work& tx);

std::optional<PoolView> select_pool(pqxx::work& tx, const std::string& id);

// The pool's ledger account id; nullopt when there is no such pool.
std::optional<std::int64_t> pool_account(pqxx::work& tx, const std::string& id);

// Locks the pool row (FOR UPDATE) so a top-up, an update and a retire of one pool serialize.
// Returns false when there is no such pool.
bool lock_pool(pqxx::work& tx, const std::string& id);

// Applies the changes; returns false when the new name is taken.
bool update_pool(pqxx::work& tx, const std::string& id, const PoolChanges& changes);

void mark_pool_retired(pqxx::work& tx, const std::string& id, TimePoint at);

}  // namespace gw::trading
