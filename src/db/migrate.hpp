#pragma once

// Versioned schema migrations. Files are `NNNN_name.sql`, applied in order, each in its own
// transaction, recorded in `schema_migrations` with a SHA-256 checksum. A session-level
// advisory lock makes concurrent migrators (several nodes starting at once) apply each file
// exactly once.

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/embedded_migrations.hpp"

namespace gw::db {

struct MigrationReport {
    std::vector<std::string> applied;  // file names applied by this call, in order
    std::size_t already_applied = 0;   // files found applied before this call
};

// Applies every file of `files` not yet recorded, in order.
// Errors (nothing of the failing file is kept; files before it stay applied):
// - migration_checksum_mismatch: an applied file's text changed since it was applied.
// - migration_unknown_version: the database has a version this binary does not know (it was
//   migrated by a newer build).
// - migration_failed: a file name is not NNNN_name.sql, versions repeat, or its SQL failed
//   (detail names the file and carries PostgreSQL's message, for the operator).
// Throws pqxx exceptions for infrastructure failures (server unreachable).
// REQUIRES: `connection` is idle (no open transaction).
Result<MigrationReport> migrate(pqxx::connection& connection,
                                const std::vector<MigrationFile>& files);

// Returns success when every file is applied with a matching checksum and the database has no
// unknown version; otherwise the error migrate() would report, or migration_failed naming the
// first pending file. Read-only; used by /readyz.
Result<void> check_migrations_current(pqxx::connection& connection,
                                      const std::vector<MigrationFile>& files);

// Returns the lowercase hex SHA-256 of `text`.
std::string sha256_hex(std::string_view text);

}  // namespace gw::db
