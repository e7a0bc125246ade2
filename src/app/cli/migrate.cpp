#include <iostream>

#include "app/cli/commands.hpp"
#include "app/database.hpp"
#include "app/schema.hpp"
#include "observability/log.hpp"

namespace gw::app {

int run_migrate(const Config& config) {
    Database database(config, EmbeddedStopPolicy::if_started_here);
    const Result<db::MigrationReport> report = apply_schema(database.connection_string());
    if (!report) {
        std::cerr << "goldwallet migrate: " << to_string(report.error().code) << ": "
                  << report.error().detail << "\n";
        return kExitFailure;
    }
    std::cout << "migrations: " << report->applied.size() << " applied, "
              << report->already_applied << " already applied\n";
    for (const std::string& file_name : report->applied) {
        std::cout << "  applied " << file_name << "\n";
    }
    return kExitOk;
}

}  // namespace gw::app
