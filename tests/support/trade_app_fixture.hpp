#pragma once

// A serving node wired to a daraja-sim with trading switched on, for the end-to-end buy and
// sell tests: requests go over HTTP, the STK Push leaves through the outbox worker, Daraja's
// callbacks come back from the simulator over HTTP, and the sweeper asks STK Query. The
// background jobs `serve` would schedule are run by the test, step by step (run_outbox,
// sweep), on the node's manual clock.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "http/middleware/rate_limit.hpp"
#include "support/app_fixture.hpp"
#include "support/sim_fixture.hpp"
#include "trading/payout_store.hpp"

namespace gw::test {

struct TradeAppOptions {
    std::chrono::seconds payment_timeout{120};
    trading::PayoutMode payout_mode = trading::PayoutMode::manual;
    // The simulator's frozen clock starts at the node's (test_epoch()) instead of the real
    // time, so its statement and the node's records date the same day (reconciliation).
    bool sim_clock_at_node_epoch = false;
    std::chrono::seconds payout_timeout{300};
    std::string alert_webhook_url = {};
    // Buys and sells per user; unset keeps test_config's limit, too high to matter.
    std::optional<http::RateLimitPolicy> trade_per_user = {};
};

// The M-Pesa number (2547…) a user from TradeApp::user registered with.
std::string registered_msisdn(const nlohmann::json& user);

class TradeApp {
public:
    explicit TradeApp(TradeAppOptions options = {});

    SimFixture& sim() { return sim_; }
    sim::Simulator& simulator() { return sim_.simulator(); }
    RunningApp& app() { return *app_; }
    const std::string& admin_token() const { return admin_; }

    // Creates a pool holding `grams` (decimal text) at `priority`; returns its id.
    std::string create_pool(const std::string& name, const std::string& grams, int priority = 100);
    // Sets the buy and sell prices (KES per gram, decimal text).
    void set_prices(const std::string& buy, const std::string& sell);

    // A new user, logged in: {access_token, user_id, …}.
    nlohmann::json user(const std::string& username);
    // Credits `grams` (decimal text) from the pools to `user_id` by an admin adjustment.
    void credit(const std::string& user_id, const std::string& grams);

    // POST /trade/buy as `token` with `key` as the Idempotency-Key.
    JsonResponse buy(const std::string& token, const nlohmann::json& body, const std::string& key);
    // POST /trade/sell as `token` with `key` as the Idempotency-Key.
    JsonResponse sell(const std::string& token, const nlohmann::json& body, const std::string& key);

    // Runs the outbox until no message is due; returns how many attempts it recorded.
    std::size_t run_outbox();
    // Runs the buy sweeper at the node's current time.
    void sweep();

    // GET /trade/{id} as `token`.
    JsonResponse trade(const std::string& token, const std::string& trade_id);
    // Polls the trade (running the webhook retry job, as serve would) until its status is
    // `status` or `timeout` passes; returns the last status seen.
    std::string wait_for_trade(const std::string& token,
                               const std::string& trade_id,
                               const std::string& status,
                               std::chrono::milliseconds timeout = std::chrono::seconds(10));

    // The node's /metrics text (empty when it cannot be read).
    std::string metrics();

    // Runs `sql` and returns the first column of the first row as text.
    std::string query(const std::string& sql) const { return app_->query(sql); }

    // Every ledger invariant the reconciliation checks: per-asset zero sum, per-pool
    // total = available + reserved + held + selling, nothing negative. Empty when all hold.
    std::string invariant_violations();

private:
    // POSTs `body` to `path` with the Idempotency-Key `key` (none when empty).
    JsonResponse post_keyed(const std::string& path,
                            const std::string& token,
                            const nlohmann::json& body,
                            const std::string& key);

    SimFixture sim_;
    std::unique_ptr<RunningApp> app_;
    std::string admin_;
    int credits_ = 0;  // Idempotency-Keys of credit()
    int users_ = 0;
};

}  // namespace gw::test
