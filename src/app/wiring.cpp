#include "app/wiring.hpp"

#include <algorithm>
#include <random>

#include "app/dashboard_routes.hpp"
#include "app/reconciliation_routes.hpp"
#include "db/embedded_migrations.hpp"
#include "db/migrate.hpp"
#include "db/transaction.hpp"
#include "ledger/ledger_store.hpp"
#include "http/routes/admin_identity_routes.hpp"
#include "http/routes/admin_payout_routes.hpp"
#include "http/routes/admin_trading_routes.hpp"
#include "http/routes/auth_routes.hpp"
#include "http/routes/health_routes.hpp"
#include "http/routes/notification_routes.hpp"
#include "http/routes/openapi_routes.hpp"
#include "http/routes/pool_price_routes.hpp"
#include "http/routes/trade_routes.hpp"
#include "http/routes/user_routes.hpp"
#include "http/routes/wallet_routes.hpp"
#include "http/routes/webhook_routes.hpp"
#include "identity/hex.hpp"
#include "observability/log.hpp"
#include "trading/payout_store.hpp"
#include "trading/trade_store.hpp"

namespace gw::app {

namespace {

// The JWT key is moved into the codec; the keyring stays in Secrets for the ciphers.
identity::SecretKey take_jwt_key(Secrets& secrets) { return std::move(secrets.jwt_key); }

// M-Pesa requests remember the payer's phone only as its blind index (hex), which is also how
// a callback's phone number is compared with it.
mpesa::PhoneTagger phone_tagger(const identity::BlindIndex& index) {
    return [&index](std::string_view msisdn) { return identity::to_hex(index.compute(msisdn)); };
}

}  // namespace

Application::Application(const Config& config, Secrets secrets, const Clock& clock,
                         identity::PasswordHashSettings password_hashing)
    : clock_(clock),
      secrets_(std::move(secrets)),
      pool_(config.db),
      hasher_(password_hashing),
      jwt_(take_jwt_key(secrets_)),
      cipher_(secrets_.master_keys),
      blind_index_(secrets_.master_keys, secrets_.blind_index_key_id),
      kyc_store_(config.kyc_dir),
      auth_(pool_, clock_, hasher_, jwt_, config.auth),
      accounts_(pool_, clock_, cipher_, blind_index_, hasher_, auth_, config.terms_version),
      kyc_(pool_, clock_, cipher_, sniffer_, kyc_store_, config.kyc),
      limits_(pool_, clock_),
      audit_log_(pool_),
      ledger_writer_(pool_, clock_, config.ledger, &metrics_),
      pools_(pool_, clock_),
      prices_(pool_, clock_),
      quotes_(pool_, clock_, prices_, config.quotes),
      wallet_(pool_, prices_),
      daraja_(config.mpesa, secrets_.mpesa, clock_, metrics_),
      mpesa_(pool_, daraja_, clock_, phone_tagger(blind_index_)),
      callbacks_(pool_, mpesa_, config.mpesa, phone_tagger(blind_index_), clock_, metrics_),
      settlement_(clock_, metrics_, config.sells.payout_mode),
      payment_results_(settlement_),
      buys_(pool_, clock_, cipher_, metrics_, config.buys),
      sells_(pool_, clock_, cipher_, config.sells),
      payouts_(pool_, clock_, cipher_),
      stk_sender_(buys_, mpesa_),
      b2c_sender_(payouts_, mpesa_),
      buy_sweeper_(pool_, clock_, mpesa_, callbacks_, metrics_),
      payout_sweeper_(pool_, mpesa_, config.payout_sweep),
      alerts_(config.alerts),
      reconciler_(pool_, clock_, buy_sweeper_, payout_sweeper_, alerts_, metrics_, config.reconcile),
      reconciliation_reports_(pool_, clock_, {config.reconcile.paybill_shortcode, config.reconcile.b2c_shortcode}),
      // A waiting GET /trade/{id} holds an HTTP thread: at least one, and a quarter of them,
      // stay for the rest (Daraja's callbacks above all). One thread: nobody waits.
      trade_watch_(config.http.worker_threads -
                   std::max<std::size_t>(1, config.http.worker_threads / 4)),
      trades_(pool_, trade_watch_),
      notifications_(pool_, clock_),
      outbox_(pool_, clock_, metrics_, config.outbox, jobs::seeded_jitter(std::random_device{}())),
      adjustments_(pool_, clock_),
      admin_ledger_(pool_),
      public_url_follows_port_(config.mpesa.public_url.ends_with(":0")),
      rate_limits_(config.rate_limits) {
    callbacks_.set_listener(&payment_results_);
    pool_.listen(std::string(trading::kTradeEndedChannel),
                 [this](const std::string& trade_id) { trade_watch_.announce_end(trade_id); });
    register_outbox_handlers();
    register_pool_gauges();
    register_trade_gauges();
    register_reconciliation_gauges();
    add_routes(config);
    server_ = std::make_unique<http::Server>(config.http, router_, metrics_);
    // An account closes only when it holds nothing and nothing is in flight.
    accounts_.set_closure_check([](pqxx::work& tx, const std::string& user_id) -> Result<void> {
        const ledger::AccountBalance totals = ledger::lock_user_totals(tx, user_id);
        const bool empty = totals.debits_pending == 0 && totals.credits_pending == 0 &&
                           totals.credits_posted == totals.debits_posted;
        if (!empty) {
            return make_error(ErrorCode::account_not_empty,
                              "sell or withdraw everything first; trades still in flight must finish");
        }
        return {};
    });
    server_->set_authenticator([this](std::string_view token) { return auth_.authenticate(token); });
}

void Application::add_routes(const Config& config) {
    http::add_health_routes(router_, [this] { return check_ready(); }, metrics_);
    http::add_openapi_routes(router_);
    http::add_auth_routes(router_, accounts_, auth_, rate_limiter_, rate_limits_);
    http::add_user_routes(router_, accounts_, kyc_, limits_);
    http::add_admin_identity_routes(router_, kyc_, limits_, audit_log_);
    http::add_pool_price_routes(router_, pools_, prices_);
    http::add_trade_routes(router_, quotes_, buys_, sells_, trades_, rate_limiter_, rate_limits_);
    http::add_admin_payout_routes(router_, payouts_);
    http::add_notification_routes(router_, notifications_);
    http::add_wallet_routes(router_, wallet_);
    http::add_webhook_routes(router_, callbacks_, config.mpesa.callback_body_bytes_max);
    http::add_admin_trading_routes(router_, adjustments_, admin_ledger_);
    add_reconciliation_routes(router_, reconciler_, reconciliation_reports_);
    add_dashboard_routes(router_, pool_, pools_, reconciliation_reports_);
}

void Application::register_outbox_handlers() {
    outbox_.register_handler(std::string(trading::kStkPushTopic),
                             [this](const db::OutboxMessage& m) { return stk_sender_.send(m); });
    outbox_.register_handler(std::string(trading::kB2cPaymentTopic),
                             [this](const db::OutboxMessage& m) { return b2c_sender_.send(m); });
    outbox_.register_handler(std::string(trading::kNotifyTopic), [this](const db::OutboxMessage& m) {
        notifications_.deliver(m);
        return jobs::OutboxResult::done();
    });
}

Application::~Application() {
    stop();
    pool_.listen(std::string(trading::kTradeEndedChannel), {});
    pool_.close_idle();
}

int Application::bind() {
    const int port = server_->bind();
    if (public_url_follows_port_) {
        mpesa_.set_public_url("http://127.0.0.1:" + std::to_string(port));
    }
    return port;
}

void Application::serve() { server_->serve(); }

void Application::stop() {
    trade_watch_.stop();  // a waiting request answers now rather than hold up the shutdown
    server_->stop();
}

Result<void> Application::check_ready() {
    try {
        db::PooledConnection connection = pool_.acquire();
        pqxx::nontransaction tx(*connection, "readyz.ping");
        tx.exec("SELECT 1");
        tx.commit();
        if (auto current = db::check_migrations_current(*connection,
                                                        db::embedded_migration_files());
            !current) {
            return make_error(ErrorCode::service_unavailable, "database schema is not current");
        }
        return {};
    } catch (const std::exception& error) {
        obs::log_warn("readyz.database_unreachable", {{"what", error.what()}});
        return make_error(ErrorCode::service_unavailable, "database unreachable");
    }
}

void Application::register_pool_gauges() {
    metrics_.add_gauge("goldwallet_db_pool_connections", "Database connections by state", [this] {
        const db::PoolStats stats = pool_.stats();
        return std::vector<obs::GaugeSample>{
            {{{"state", "in_use"}}, static_cast<std::int64_t>(stats.in_use)},
            {{{"state", "idle"}}, static_cast<std::int64_t>(stats.open - stats.in_use)},
        };
    });
    metrics_.add_gauge("goldwallet_db_pool_size_max", "Configured database pool size", [this] {
        return std::vector<obs::GaugeSample>{
            {{}, static_cast<std::int64_t>(pool_.stats().size_max)}};
    });
    metrics_.add_gauge("goldwallet_db_pool_waiting", "Threads waiting for a connection", [this] {
        return std::vector<obs::GaugeSample>{
            {{}, static_cast<std::int64_t>(pool_.stats().waiting)}};
    });
    metrics_.add_gauge("goldwallet_trade_waiters", "GET /trade/{id} requests waiting for their trade to end",
                       [this] {
                           return std::vector<obs::GaugeSample>{
                               {{}, static_cast<std::int64_t>(trade_watch_.waiting())}};
                       });
}

// Gauges read from the database at scrape time; a database that cannot answer leaves them out
// of that scrape rather than failing /metrics.
void Application::register_trade_gauges() {
    auto guarded = [](auto read) {
        return [read]() -> std::vector<obs::GaugeSample> {
            try {
                return read();
            } catch (const std::exception& error) {
                obs::log_warn("metrics.gauge_failed", {{"what", error.what()}});
                return {};
            }
        };
    };
    metrics_.add_gauge("goldwallet_trades_open", "Trades waiting for a payment or payout, by side and status",
                       guarded([this] {
                           std::vector<obs::GaugeSample> samples;
                           for (const auto& open : db::with_transaction(pool_, "metrics.trades_open",
                                                                        trading::count_open_trades)) {
                               samples.push_back({{{"side", std::string(identity::to_string(open.side))},
                                                   {"status", std::string(trading::to_string(open.status))}},
                                                  open.count});
                           }
                           return samples;
                       }));
    metrics_.add_gauge("goldwallet_payouts_open", "Payouts not yet paid or failed, by mode and status",
                       guarded([this] {
                           std::vector<obs::GaugeSample> samples;
                           for (const auto& open : db::with_transaction(pool_, "metrics.payouts_open",
                                                                        trading::count_open_payouts)) {
                               samples.push_back({{{"mode", std::string(trading::to_string(open.mode))},
                                                   {"status", std::string(trading::to_string(open.status))}},
                                                  open.count});
                           }
                           return samples;
                       }));
    metrics_.add_gauge("goldwallet_outbox_lag_seconds", "Age of the oldest due outbox message",
                       guarded([this] {
                           return std::vector<obs::GaugeSample>{{{}, outbox_.lag_seconds(clock_.now())}};
                       }));
    metrics_.add_gauge("goldwallet_outbox_messages", "Outbox messages by status", guarded([this] {
                           const db::OutboxCounts counts = outbox_.counts();
                           return std::vector<obs::GaugeSample>{{{{"status", "pending"}}, counts.pending},
                                                                {{{"status", "done"}}, counts.done},
                                                                {{{"status", "dead"}}, counts.dead}};
                       }));
}

// From the newest completed run, so every node reports the same figures.
void Application::register_reconciliation_gauges() {
    const auto latest = [this] {
        try {
            return reconciliation_reports_.latest_completed();
        } catch (const std::exception& error) {
            obs::log_warn("metrics.gauge_failed", {{"what", error.what()}});
            return std::optional<jobs::RunView>();
        }
    };
    metrics_.add_gauge("goldwallet_reconciliation_mismatches",
                       "Items the last completed reconciliation found, by class", [latest] {
                           std::vector<obs::GaugeSample> samples;
                           if (const auto run = latest()) {
                               for (const auto& [name, count] : run->summary.at("counts").items()) {
                                   samples.push_back({{{"class", name}}, count.get<std::int64_t>()});
                               }
                           }
                           return samples;
                       });
    metrics_.add_gauge("goldwallet_reconciliation_last_success_timestamp_seconds",
                       "When the last reconciliation completed (Unix time)", [latest] {
                           std::vector<obs::GaugeSample> samples;
                           if (const auto run = latest(); run && run->finished_at) {
                               samples.push_back({{}, std::chrono::duration_cast<std::chrono::seconds>(
                                                          run->finished_at->time_since_epoch())
                                                          .count()});
                           }
                           return samples;
                       });
}

}  // namespace gw::app
