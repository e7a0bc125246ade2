#include "db/migrate.hpp"

#include <map>
#include <optional>
#include <sodium.h>

namespace gw::db {
namespace {

// "goldwall" in ASCII: the advisory lock every migrator takes.
constexpr long long kMigrationLockKey = 0x676f6c6477616c6c;

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY,"
    " file_name text NOT NULL,"
    " checksum text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

struct AppliedMigration {
    std::string file_name;
    std::string checksum;
};

struct PlannedMigration {
    int version = 0;
    const MigrationFile* file = nullptr;
    std::string checksum;
};

// Parses "0007_add_things.sql" to 7; nullopt when the name does not follow NNNN_name.sql.
std::optional<int> version_of(const std::string& file_name) {
    constexpr std::string_view kSuffix = ".sql";
    if (file_name.size() < 4 + 1 + 1 + kSuffix.size() || file_name[4] != '_' ||
        !file_name.ends_with(kSuffix)) {
        return std::nullopt;
    }
    int version = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        if (file_name[i] < '0' || file_name[i] > '9') {
            return std::nullopt;
        }
        version = version * 10 + (file_name[i] - '0');
    }
    return version;
}

Result<std::vector<PlannedMigration>> plan(const std::vector<MigrationFile>& files) {
    std::vector<PlannedMigration> planned;
    int previous = 0;
    for (const MigrationFile& file : files) {
        const std::optional<int> version = version_of(file.file_name);
        if (!version || *version <= previous) {
            return make_error(ErrorCode::migration_failed,
                              file.file_name + ": not NNNN_name.sql in increasing order");
        }
        previous = *version;
        planned.push_back({*version, &file, sha256_hex(file.sql)});
    }
    return planned;
}

std::map<int, AppliedMigration> read_applied(pqxx::connection& connection) {
    pqxx::read_transaction tx(connection, "db.migrate.read");
    std::map<int, AppliedMigration> applied;
    const pqxx::result exists = tx.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (!exists[0][0].as<bool>()) {
        return applied;
    }
    for (const auto& row : tx.exec("SELECT version, file_name, checksum FROM schema_migrations")) {
        applied[row[0].as<int>()] = {row[1].as<std::string>(), row[2].as<std::string>()};
    }
    return applied;
}

// Compares the database's record with the binary's files.
Result<void> verify_applied(const std::map<int, AppliedMigration>& applied,
                            const std::vector<PlannedMigration>& planned) {
    std::map<int, const PlannedMigration*> known;
    for (const PlannedMigration& migration : planned) {
        known[migration.version] = &migration;
    }
    for (const auto& [version, record] : applied) {
        auto found = known.find(version);
        if (found == known.end()) {
            return make_error(ErrorCode::migration_unknown_version,
                              record.file_name + " is applied but unknown to this build");
        }
        if (found->second->checksum != record.checksum) {
            return make_error(ErrorCode::migration_checksum_mismatch,
                              found->second->file->file_name + " changed after it was applied");
        }
    }
    return {};
}

Result<void> apply_one(pqxx::connection& connection, const PlannedMigration& migration) {
    try {
        pqxx::work tx(connection, "db.migrate.apply");
        tx.exec(migration.file->sql);
        tx.exec_params(
            "INSERT INTO schema_migrations (version, file_name, checksum) VALUES ($1, $2, $3)",
            migration.version, migration.file->file_name, migration.checksum);
        tx.commit();
        return {};
    } catch (const pqxx::broken_connection&) {
        throw;
    } catch (const pqxx::sql_error& error) {
        return make_error(ErrorCode::migration_failed,
                          migration.file->file_name + ": " + error.what());
    }
}

// Holds the migration advisory lock for the lifetime of the object.
class MigrationLock {
public:
    explicit MigrationLock(pqxx::connection& connection) : connection_(connection) {
        pqxx::nontransaction tx(connection_, "db.migrate.lock");
        tx.exec_params("SELECT pg_advisory_lock($1)", kMigrationLockKey);
    }
    ~MigrationLock() {
        try {
            pqxx::nontransaction tx(connection_, "db.migrate.unlock");
            tx.exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
        } catch (const std::exception&) {
            // The session lock dies with the connection anyway; nothing else to release.
        }
    }
    MigrationLock(const MigrationLock&) = delete;
    MigrationLock& operator=(const MigrationLock&) = delete;

private:
    pqxx::connection& connection_;
};

}  // namespace

std::string sha256_hex(std::string_view text) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

Result<MigrationReport> migrate(pqxx::connection& connection,
                                const std::vector<MigrationFile>& files) {
    auto planned = plan(files);
    if (!planned) {
        return planned.error();
    }
    MigrationLock lock(connection);
    {
        pqxx::nontransaction tx(connection, "db.migrate.create_table");
        tx.exec(kCreateTable);
    }
    const std::map<int, AppliedMigration> applied = read_applied(connection);
    if (auto verified = verify_applied(applied, *planned); !verified) {
        return verified.error();
    }
    MigrationReport report;
    report.already_applied = applied.size();
    for (const PlannedMigration& migration : *planned) {
        if (applied.contains(migration.version)) {
            continue;
        }
        if (auto done = apply_one(connection, migration); !done) {
            return done.error();
        }
        report.applied.push_back(migration.file->file_name);
    }
    return report;
}

Result<void> check_migrations_current(pqxx::connection& connection,
                                      const std::vector<MigrationFile>& files) {
    auto planned = plan(files);
    if (!planned) {
        return planned.error();
    }
    const std::map<int, AppliedMigration> applied = read_applied(connection);
    if (auto verified = verify_applied(applied, *planned); !verified) {
        return verified.error();
    }
    for (const PlannedMigration& migration : *planned) {
        if (!applied.contains(migration.version)) {
            return make_error(ErrorCode::migration_failed,
                              migration.file->file_name + " is not applied yet");
        }
    }
    return {};
}

}  // namespace gw::db
