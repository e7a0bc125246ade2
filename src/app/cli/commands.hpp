#pragma once

// The goldwallet subcommands. Each returns the process exit code: 0 on success, 1 when the
// work failed, 2 when the configuration is invalid.

#include <string>
#include <vector>

#include "app/config.hpp"
#include "app/secrets.hpp"

namespace gw::app {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadConfig = 2;
constexpr int kExitCriticalFindings = 3;  // reconcile: the run completed and found critical items

// Serves HTTP until SIGINT/SIGTERM, then drains in-flight requests and stops the embedded
// cluster. Applies pending migrations first when config.auto_migrate.
int run_serve(const Config& config, Secrets secrets);

// Applies pending migrations to the configured database and reports what it did.
int run_migrate(const Config& config);

struct AdminCreateOptions {
    std::string username;
    std::string email;
    std::string role = "admin";
};

// Creates a staff account, reading the password from stdin (prompting without echo on a
// terminal). Works against DATABASE_URL or the embedded cluster, running or not.
int run_admin_create(const Config& config, Secrets secrets, const AdminCreateOptions& options);

// Checks the ledger invariants (ledger/invariants.hpp) on one snapshot; exit 1 when any is
// violated, listing each.
int run_check(const Config& config);

struct ReconcileOptions {
    std::string date;                     // "YYYY-MM-DD"; empty = yesterday in Nairobi
    std::vector<std::string> statements;  // statement CSV files to import first
    std::string shortcode;                // their account, for files without a Short Code row
};

// Imports the statements, runs one reconciliation (jobs/reconciler.hpp) and prints its summary
// and items. Exit 0 when it completed with nothing critical, 3 when it found critical items, 1
// when a statement could not be imported or the run failed.
int run_reconcile(const Config& config, Secrets secrets, const ReconcileOptions& options);

// Prints the version.
int run_version();

}  // namespace gw::app
