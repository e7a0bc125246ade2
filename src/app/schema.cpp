#include "app/schema.hpp"

#include "db/embedded_migrations.hpp"
#include "observability/log.hpp"

namespace gw::app {

Result<db::MigrationReport> apply_schema(const std::string& connection_string) {
    pqxx::connection connection(connection_string);
    Result<db::MigrationReport> report = db::migrate(connection, db::embedded_migration_files());
    if (!report) {
        obs::log_error("db.migrate.failed", {{"code", to_string(report.error().code)},
                                             {"detail", report.error().detail}});
        return report;
    }
    for (const std::string& file_name : report->applied) {
        obs::log_info("db.migrate.applied", {{"file", file_name}});
    }
    return report;
}

}  // namespace gw::app
