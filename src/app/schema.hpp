#pragma once

#include <string>

#include "core/error.hpp"
#include "db/migrate.hpp"

namespace gw::app {

// Applies this binary's embedded migrations to the database at `connection_string`, logging
// each applied file. Errors as db::migrate; throws pqxx::broken_connection when unreachable.
Result<db::MigrationReport> apply_schema(const std::string& connection_string);

}  // namespace gw::app
