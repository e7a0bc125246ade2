#include "support/trade_app_fixture.hpp"

#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "db/transaction.hpp"
#include "ledger/invariants.hpp"

namespace gw::test {

std::string registered_msisdn(const nlohmann::json& user) {
    const std::string local = user.at("phone");  // 07… as registered
    return "254" + local.substr(1);
}

TradeApp::TradeApp(TradeAppOptions options)
    : sim_([&](sim::SimulatorConfig& config) {
          if (options.sim_clock_at_node_epoch) {
              config.frozen_clock_at = test_epoch();
          }
      }) {
    app_ = std::make_unique<RunningApp>(
        [&](app::Config& config) {
            config.mpesa.base_url = sim_.base_url();
            config.mpesa.confirm_by_query = false;
            config.buys.payment_timeout = options.payment_timeout;
            config.sells.payout_mode = options.payout_mode;
            config.payout_sweep.timeout = options.payout_timeout;
            config.payout_sweep.recheck = options.payout_timeout;
            config.alerts.webhook_url = options.alert_webhook_url;
            if (options.trade_per_user) {
                config.rate_limits.trade_per_user = *options.trade_per_user;
            }
            config.alerts.first_backoff = std::chrono::milliseconds(200);
        },
        [&](app::Secrets& secrets) {
            secrets.mpesa.security_credential =
                mpesa::Credential(sim_.simulator().security_credential());
        });
    // Long enough that the outbox has recorded Daraja's answer before the callback comes.
    sim_.simulator().set_callback_delay(std::chrono::milliseconds(100));
    admin_ = staff_login(*app_, "admin", identity::Role::admin).at("access_token");
}

std::string TradeApp::create_pool(const std::string& name, const std::string& grams, int priority) {
    const auto created = request_json(
        *app_,
        "POST",
        "/pools",
        {{"name", name}, {"total_grams", grams}, {"purity", "999.9"}, {"priority", priority}},
        admin_);
    EXPECT_EQ(created.status, 201) << created.raw;
    return created.body.value("id", "");
}

void TradeApp::set_prices(const std::string& buy, const std::string& sell) {
    const auto set = request_json(*app_,
                                  "POST",
                                  "/prices",
                                  {{"buy_price_per_gram", buy}, {"sell_price_per_gram", sell}},
                                  admin_);
    EXPECT_EQ(set.status, 201) << set.raw;
}

nlohmann::json TradeApp::user(const std::string& username) {
    ++users_;
    return register_and_login(*app_, username);
}

void TradeApp::credit(const std::string& user_id, const std::string& grams) {
    const auto credited = request_json(*app_,
                                       "POST",
                                       "/admin/adjustments",
                                       {{"user_id", user_id},
                                        {"grams", grams},
                                        {"direction", "credit"},
                                        {"reason", "test credit"}},
                                       admin_,
                                       idempotency_key_header("credit-" + std::to_string(++credits_)));
    EXPECT_EQ(credited.status, 201) << credited.raw;
}

JsonResponse TradeApp::buy(const std::string& token,
                           const nlohmann::json& body,
                           const std::string& key) {
    return post_keyed("/trade/buy", token, body, key);
}

JsonResponse TradeApp::sell(const std::string& token,
                            const nlohmann::json& body,
                            const std::string& key) {
    return post_keyed("/trade/sell", token, body, key);
}

JsonResponse TradeApp::post_keyed(const std::string& path,
                                  const std::string& token,
                                  const nlohmann::json& body,
                                  const std::string& key) {
    httplib::Client client = app_->client();
    httplib::Headers headers{{"Authorization", "Bearer " + token}};
    if (!key.empty()) {
        headers.emplace("Idempotency-Key", key);
    }
    const auto result = client.Post(path, headers, body.dump(), "application/json");
    return to_json_response(result, "POST " + path);
}

std::size_t TradeApp::run_outbox() {
    std::size_t attempts = 0;
    for (;;) {
        const std::size_t ran =
            app_->application().outbox().run_once(app_->clock().now()).processed;
        if (ran == 0) {
            return attempts;
        }
        attempts += ran;
    }
}

void TradeApp::sweep() {
    app_->application().buy_sweeper().sweep(app_->clock().now(), 1000);
}

JsonResponse TradeApp::trade(const std::string& token, const std::string& trade_id) {
    return request_json(*app_, "GET", "/trade/" + trade_id, nullptr, token);
}

std::string TradeApp::wait_for_trade(const std::string& token,
                                     const std::string& trade_id,
                                     const std::string& status,
                                     std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string seen = trade(token, trade_id).body.value("status", "");
    while (seen != status && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        app_->application().callbacks().retry_pending(std::chrono::seconds(0), 100);
        seen = trade(token, trade_id).body.value("status", "");
    }
    return seen;
}

std::string TradeApp::metrics() {
    httplib::Client client = app_->client();
    const auto result = client.Get("/metrics");
    EXPECT_TRUE(result && result->status == 200);
    return result ? result->body : std::string();
}

std::string TradeApp::invariant_violations() {
    return db::with_transaction(app_->application().pool(), "test.invariants", [](pqxx::work& tx) {
        std::string found;
        for (const auto& violation : ledger::check_invariants(tx)) {
            found += violation.invariant + ": " + violation.detail + "\n";
        }
        return found;
    });
}

}  // namespace gw::test
