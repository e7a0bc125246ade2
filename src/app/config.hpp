#pragma once

// Configuration, read once from the environment at start-up, typed and validated. Modules get
// their own settings struct, never the environment.

#include <filesystem>
#include <map>
#include <string>

#include "core/error.hpp"
#include "db/settings.hpp"
#include "http/routes/auth_routes.hpp"
#include "http/settings.hpp"
#include "identity/auth_service.hpp"
#include "identity/kyc_service.hpp"
#include "jobs/alert_sender.hpp"
#include "jobs/outbox_settings.hpp"
#include "jobs/payout_sweeper.hpp"
#include "jobs/reconciler.hpp"
#include "ledger/batch_writer.hpp"
#include "mpesa/settings.hpp"
#include "observability/log.hpp"
#include "trading/buy_service.hpp"
#include "trading/quote_service.hpp"
#include "trading/sell_service.hpp"

namespace gw::app {

using Environment = std::map<std::string, std::string>;

// Where the embedded PostgreSQL lives and runs when DATABASE_URL is not set.
struct EmbeddedDbSettings {
    std::filesystem::path pg_bin_dir = "/usr/lib/postgresql/15/bin";
    std::string os_user = "postgres";  // the server's OS user when goldwallet runs as root
};

struct Config {
    std::string environment = "production";  // GOLDWALLET_ENV: production | development
    bool development = false;                // environment == "development"
    std::filesystem::path data_dir = "var";
    bool use_embedded_db = true;  // false when DATABASE_URL is set
    bool auto_migrate = true;     // `serve` applies pending migrations before listening
    obs::LogLevel log_level = obs::LogLevel::info;
    http::Settings http;
    db::Settings db;  // connection_string is empty until the database is opened
    EmbeddedDbSettings embedded_db;
    identity::AuthSettings auth;
    identity::KycSettings kyc;
    std::filesystem::path kyc_dir;            // default <data_dir>/kyc
    std::string terms_version = "2026-01";  // recorded as accepted at registration
    http::RateLimits rate_limits;
    std::chrono::seconds kyc_purge_interval{3600};
    ledger::WriterSettings ledger;
    mpesa::Settings mpesa;
    trading::QuoteSettings quotes;
    trading::BuySettings buys;
    trading::SellSettings sells;
    jobs::OutboxSettings outbox;
    std::chrono::seconds sweep_interval{5};  // GOLDWALLET_SWEEP_INTERVAL_SECONDS
    jobs::PayoutSweepSettings payout_sweep;  // GOLDWALLET_PAYOUT_TIMEOUT_SECONDS
    jobs::ReconcileSettings reconcile;       // GOLDWALLET_RECONCILE_AT; shortcodes from mpesa
    jobs::AlertSettings alerts;              // GOLDWALLET_ALERT_WEBHOOK_URL
    std::string crash_at;  // GOLDWALLET_CRASH_AT: a crash point to arm (tests, development only)
};

// Returns the process environment as a map. The only reader of environ in the program.
Environment process_environment();

// Builds a Config from `env`, applying defaults for unset variables.
// Error invalid_configuration, whose detail names every bad variable and what it accepts (the
// value of DATABASE_URL is never echoed).
Result<Config> load_config(const Environment& env);

}  // namespace gw::app
