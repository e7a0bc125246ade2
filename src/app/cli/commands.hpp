#pragma once

// The goldwallet subcommands. Each returns the process exit code: 0 on success, 1 when the
// work failed, 2 when the configuration is invalid.

#include "app/config.hpp"

namespace gw::app {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadConfig = 2;

// Serves HTTP until SIGINT/SIGTERM, then drains in-flight requests and stops the embedded
// cluster. Applies pending migrations first when config.auto_migrate.
int run_serve(const Config& config);

// Applies pending migrations to the configured database and reports what it did.
int run_migrate(const Config& config);

// Prints the version.
int run_version();

}  // namespace gw::app
