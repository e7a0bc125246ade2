// goldwallet: the one server/CLI binary. Parses the command line, loads the configuration and
// hands over to the subcommand; infrastructure exceptions end here as one log line and exit 1.

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/cli/commands.hpp"
#include "app/config.hpp"
#include "observability/log.hpp"

namespace {

using gw::app::Config;

int with_config(const std::function<int(const Config&)>& command) {
    const auto config = gw::app::load_config(gw::app::process_environment());
    if (!config) {
        std::cerr << "goldwallet: invalid configuration: " << config.error().detail << "\n";
        return gw::app::kExitBadConfig;
    }
    gw::obs::init_logging(config->log_level);
    try {
        return command(*config);
    } catch (const std::exception& error) {
        gw::obs::log_error("goldwallet.failed", {{"what", error.what()}});
        std::cerr << "goldwallet: " << error.what() << "\n";
        return gw::app::kExitFailure;
    }
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"Gold Wallet: save in gold, pay with M-Pesa"};
    cli.require_subcommand(1);
    auto* serve = cli.add_subcommand("serve", "Serve the HTTP API (embedded PostgreSQL by default)");
    auto* migrate = cli.add_subcommand("migrate", "Apply pending schema migrations");
    auto* version = cli.add_subcommand("version", "Print the version");
    CLI11_PARSE(cli, argc, argv);

    if (version->parsed()) {
        return gw::app::run_version();
    }
    if (serve->parsed()) {
        return with_config(gw::app::run_serve);
    }
    if (migrate->parsed()) {
        return with_config(gw::app::run_migrate);
    }
    return gw::app::kExitFailure;
}
