// goldwallet: the one server/CLI binary. Parses the command line, loads the configuration and
// hands over to the subcommand; infrastructure exceptions end here as one log line and exit 1.

#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>

#include "app/cli/commands.hpp"
#include "app/config.hpp"
#include "core/crash_point.hpp"
#include "observability/log.hpp"

namespace {

using gw::app::Config;

using gw::app::Secrets;

int bad_configuration(const gw::Error& error) {
    std::cerr << "goldwallet: invalid configuration: " << error.detail << "\n";
    return gw::app::kExitBadConfig;
}

// Loads and validates the configuration, then runs `command`; an infrastructure exception
// ends here as one log line and exit code 1.
int with_config(const std::function<int(const Config&)>& command) {
    const auto config = gw::app::load_config(gw::app::process_environment());
    if (!config) {
        return bad_configuration(config.error());
    }
    gw::obs::init_logging(config->log_level);
    if (!config->crash_at.empty()) {
        gw::arm_crash_point(config->crash_at);
        gw::obs::log_warn("goldwallet.crash_point_armed", {{"crash_at", config->crash_at}});
    }
    try {
        return command(*config);
    } catch (const std::exception& error) {
        gw::obs::log_error("goldwallet.failed", {{"what", error.what()}});
        std::cerr << "goldwallet: " << error.what() << "\n";
        return gw::app::kExitFailure;
    }
}

// As with_config, for commands that also need the secrets.
int with_secrets(const std::function<int(const Config&, Secrets)>& command) {
    return with_config([&command](const Config& config) {
        auto secrets = gw::app::load_secrets(gw::app::process_environment());
        if (!secrets) {
            return bad_configuration(secrets.error());
        }
        return command(config, std::move(*secrets));
    });
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"Gold Wallet: save in gold, pay with M-Pesa"};
    cli.require_subcommand(1);
    auto* serve = cli.add_subcommand("serve", "Serve the HTTP API (embedded PostgreSQL by default)");
    auto* migrate = cli.add_subcommand("migrate", "Apply pending schema migrations");
    auto* version = cli.add_subcommand("version", "Print the version");
    auto* check = cli.add_subcommand("check", "Verify the ledger invariants");
    auto* admin = cli.add_subcommand("admin", "Manage staff accounts");
    admin->require_subcommand(1);
    gw::app::AdminCreateOptions create_options;
    auto* admin_create = admin->add_subcommand("create", "Create a staff account (password on stdin)");
    admin_create->add_option("--username", create_options.username, "login name")->required();
    admin_create->add_option("--email", create_options.email, "email address")->required();
    admin_create->add_option("--role", create_options.role, "admin, kyc_reviewer or treasury")
        ->check(CLI::IsMember({"admin", "kyc_reviewer", "treasury"}));
    gw::app::ReconcileOptions reconcile_options;
    auto* reconcile = cli.add_subcommand("reconcile", "Reconcile M-Pesa statements, gold and stale payments");
    reconcile->add_option("--date", reconcile_options.date, "Nairobi day YYYY-MM-DD (default: yesterday)");
    reconcile->add_option("--statement", reconcile_options.statements,
                          "M-Pesa statement CSV to import first (repeatable)")
        ->check(CLI::ExistingFile);
    reconcile->add_option("--shortcode", reconcile_options.shortcode,
                          "the account of statements that carry no Short Code row");
    CLI11_PARSE(cli, argc, argv);

    if (version->parsed()) {
        return gw::app::run_version();
    }
    if (serve->parsed()) {
        return with_secrets(gw::app::run_serve);
    }
    if (admin_create->parsed()) {
        return with_secrets([&create_options](const Config& config, Secrets secrets) {
            return gw::app::run_admin_create(config, std::move(secrets), create_options);
        });
    }
    if (reconcile->parsed()) {
        return with_secrets([&reconcile_options](const Config& config, Secrets secrets) {
            return gw::app::run_reconcile(config, std::move(secrets), reconcile_options);
        });
    }
    if (check->parsed()) {
        return with_config(gw::app::run_check);
    }
    if (migrate->parsed()) {
        return with_config(gw::app::run_migrate);
    }
    return gw::app::kExitFailure;
}
