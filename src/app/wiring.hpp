#pragma once

// Application: every long-lived object of a serving node, built from a Config and Secrets and
// connected here and nowhere else. Tests build the same object against their own database,
// with a ManualClock when they need to move time.

#include <memory>

#include "app/config.hpp"
#include "app/secrets.hpp"
#include "core/clock.hpp"
#include "db/pool.hpp"
#include "http/middleware/rate_limit.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "identity/account_service.hpp"
#include "identity/audit_log.hpp"
#include "identity/auth_service.hpp"
#include "identity/blind_index.hpp"
#include "identity/field_crypto.hpp"
#include "identity/file_type.hpp"
#include "identity/jwt.hpp"
#include "identity/kyc_service.hpp"
#include "identity/local_disk_kyc_store.hpp"
#include "identity/password.hpp"
#include "identity/trade_limits.hpp"
#include "jobs/alert_sender.hpp"
#include "jobs/buy_sweeper.hpp"
#include "jobs/outbox_worker.hpp"
#include "jobs/payment_results.hpp"
#include "jobs/payment_senders.hpp"
#include "jobs/payout_sweeper.hpp"
#include "jobs/reconciler.hpp"
#include "jobs/reconciliation_reports.hpp"
#include "ledger/batch_writer.hpp"
#include "mpesa/callback_intake.hpp"
#include "mpesa/daraja_client.hpp"
#include "mpesa/mpesa_gateway.hpp"
#include "observability/metrics.hpp"
#include "trading/adjustment_service.hpp"
#include "trading/admin_ledger_service.hpp"
#include "trading/buy_service.hpp"
#include "trading/notification_service.hpp"
#include "trading/payout_service.hpp"
#include "trading/pool_service.hpp"
#include "trading/price_service.hpp"
#include "trading/quote_service.hpp"
#include "trading/sell_service.hpp"
#include "trading/trade_history.hpp"
#include "trading/trade_settlement.hpp"
#include "trading/wallet_service.hpp"

namespace gw::app {

class Application {
public:
    // REQUIRES: config.db.connection_string names a reachable, migrated database (the pool
    // connects lazily, so construction itself does not touch it); `clock` outlives this.
    Application(const Config& config,
                Secrets secrets,
                const Clock& clock,
                identity::PasswordHashSettings password_hashing = {});
    ~Application();
    Application(const Application&) = delete;
    Application& operator=(const Application&) = delete;

    // Binds the listening socket; returns the port.
    int bind();
    // Serves until stop(); returns once in-flight requests have finished.
    void serve();
    // Thread-safe; makes serve() return.
    void stop();

    obs::MetricsRegistry& metrics() { return metrics_; }
    db::ConnectionPool& pool() { return pool_; }
    identity::AccountService& accounts() { return accounts_; }
    identity::KycService& kyc() { return kyc_; }
    ledger::LedgerWriter& ledger_writer() { return ledger_writer_; }
    trading::PoolService& pools() { return pools_; }
    trading::PriceService& prices() { return prices_; }
    trading::QuoteService& quotes() { return quotes_; }
    trading::WalletService& wallet() { return wallet_; }
    mpesa::DarajaClient& daraja() { return daraja_; }
    mpesa::MpesaGateway& mpesa() { return mpesa_; }
    mpesa::CallbackIntake& callbacks() { return callbacks_; }
    trading::BuyService& buys() { return buys_; }
    trading::TradeSettlement& settlement() { return settlement_; }
    trading::SellService& sells() { return sells_; }
    trading::PayoutService& payouts() { return payouts_; }
    jobs::BuySweeper& buy_sweeper() { return buy_sweeper_; }
    jobs::PayoutSweeper& payout_sweeper() { return payout_sweeper_; }
    jobs::Reconciler& reconciler() { return reconciler_; }
    jobs::ReconciliationReports& reconciliation_reports() { return reconciliation_reports_; }
    trading::TradeWatch& trade_watch() { return trade_watch_; }
    trading::TradeHistory& trades() { return trades_; }
    trading::NotificationService& notifications() { return notifications_; }
    jobs::OutboxWorker& outbox() { return outbox_; }
    trading::AdjustmentService& adjustments() { return adjustments_; }
    trading::AdminLedgerService& admin_ledger() { return admin_ledger_; }
    // The route table, for tests that compare it with the OpenAPI document.
    const http::Router& router() const { return router_; }

private:
    Result<void> check_ready();
    void register_pool_gauges();
    void register_trade_gauges();
    void register_reconciliation_gauges();
    void register_outbox_handlers();
    void add_routes(const Config& config);

    const Clock& clock_;
    Secrets secrets_;
    obs::MetricsRegistry metrics_;
    db::ConnectionPool pool_;
    identity::PasswordHasher hasher_;
    identity::JwtCodec jwt_;
    identity::FieldCipher cipher_;
    identity::BlindIndex blind_index_;
    identity::FileTypeSniffer sniffer_;
    identity::LocalDiskKycStore kyc_store_;
    identity::AuthService auth_;
    identity::AccountService accounts_;
    identity::KycService kyc_;
    identity::TradeLimits limits_;
    identity::AuditLog audit_log_;
    ledger::LedgerWriter ledger_writer_;
    trading::PoolService pools_;
    trading::PriceService prices_;
    trading::QuoteService quotes_;
    trading::WalletService wallet_;
    mpesa::DarajaClient daraja_;
    mpesa::MpesaGateway mpesa_;
    mpesa::CallbackIntake callbacks_;
    trading::TradeSettlement settlement_;
    jobs::PaymentResults payment_results_;
    trading::BuyService buys_;
    trading::SellService sells_;
    trading::PayoutService payouts_;
    jobs::StkPushSender stk_sender_;
    jobs::B2cPayoutSender b2c_sender_;
    jobs::BuySweeper buy_sweeper_;
    jobs::PayoutSweeper payout_sweeper_;
    jobs::AlertSender alerts_;
    jobs::Reconciler reconciler_;
    jobs::ReconciliationReports reconciliation_reports_;
    trading::TradeWatch trade_watch_;
    trading::TradeHistory trades_;
    trading::NotificationService notifications_;
    jobs::OutboxWorker outbox_;
    trading::AdjustmentService adjustments_;
    trading::AdminLedgerService admin_ledger_;
    bool public_url_follows_port_ = false;  // GOLDWALLET_PUBLIC_URL defaulted with port 0
    http::RateLimiter rate_limiter_;
    http::RateLimits rate_limits_;
    http::Router router_;
    std::unique_ptr<http::Server> server_;
};

}  // namespace gw::app
