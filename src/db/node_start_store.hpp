#pragma once

#include <string>

#include "db/pool.hpp"

namespace gw::db {

// Appends one row to node_starts (an append-only record of which build started on which host
// and when). Throws pqxx exceptions when the database fails.
void record_node_start(ConnectionPool& pool, const std::string& version, const std::string& host);

}  // namespace gw::db
