// Fault injection: a node is killed (SIGKILL, from inside, at a crash point of
// src/core/crash_point.hpp) at each step of a buy and of a sell, and started again on the same
// address. Whatever the step, the trade must end completed exactly once: one STK prompt or one
// B2C payment at the simulator, the gold credited or debited once, the ledger's invariants
// intact. The simulator calls back after 3 s, so a callback made for the dead node reaches the
// new one.

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "binaries.hpp"
#include "db/transaction.hpp"
#include "ledger/invariants.hpp"
#include "support/identity_helpers.hpp"
#include "support/pg_fixture.hpp"
#include "support/process_helpers.hpp"
#include "support/serve_process.hpp"
#include "support/sim_fixture.hpp"

namespace gw {
namespace {

namespace fs = std::filesystem;

const std::string kPhone = "0708374149";

class CrashRecovery : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("gw-crash-" + std::to_string(getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        database_ = test::TestCluster::instance().create_migrated_database();
        port_ = test::free_loopback_port();
        ASSERT_GT(port_, 0);
        std::ofstream(dir_ / "password.txt") << "a long staff password\n";
        const test::Spawned admin = test::spawn_process(
            test::kGoldwalletBinary, {"admin", "create", "--username", "ops", "--email", "ops@example.com"}, env({}),
            dir_ / "admin.out", dir_ / "password.txt");
        ASSERT_EQ(test::wait_exit(admin.pid, std::chrono::seconds(60)), 0) << test::read_text_file(admin.output);
    }

    void TearDown() override {
        if (node_.pid > 0) {
            kill(node_.pid, SIGKILL);
            test::wait_exit(node_.pid, std::chrono::seconds(20));
        }
        fs::remove_all(dir_);
    }

    test::Env env(const std::string& crash_at) {
        return {{"DATABASE_URL", database_},
                {"GOLDWALLET_DATA_DIR", (dir_ / "var").string()},
                {"GOLDWALLET_HTTP_PORT", std::to_string(port_)},
                {"GOLDWALLET_PUBLIC_URL", "http://127.0.0.1:" + std::to_string(port_)},
                {"GOLDWALLET_ENV", "development"},
                {"GOLDWALLET_JWT_KEY", std::string(64, 'b')},
                {"GOLDWALLET_MASTER_KEY", std::string(64, 'c')},
                {"GOLDWALLET_MPESA_BASE_URL", sim_.base_url()},
                {"GOLDWALLET_MPESA_SECURITY_CREDENTIAL", sim_.simulator().security_credential()},
                {"GOLDWALLET_MPESA_CONNECT_TIMEOUT_MS", "500"},
                {"GOLDWALLET_MPESA_READ_TIMEOUT_MS", "1000"},
                {"GOLDWALLET_PAYOUT_MODE", "b2c"},
                {"GOLDWALLET_OUTBOX_WORKERS", "1"},
                {"GOLDWALLET_OUTBOX_POLL_MS", "50"},
                // The commit that queues a push wakes the worker, which may claim the message
                // before the node dies at its crash point: the restarted node takes it over
                // when this lease runs out.
                {"GOLDWALLET_OUTBOX_LEASE_MS", "5000"},
                {"GOLDWALLET_SWEEP_INTERVAL_SECONDS", "1"},
                {"GOLDWALLET_CRASH_AT", crash_at}};
    }

    // Starts the node (armed at `crash_at` unless empty) on the fixture's port.
    void start(const std::string& crash_at) {
        ++starts_;
        node_ = test::spawn_process(test::kGoldwalletBinary, {"serve"}, env(crash_at), dir_ / ("node" + std::to_string(starts_) + ".out"));
        ASSERT_EQ(test::wait_for_port(node_), port_) << test::read_text_file(node_.output);
    }

    // Expects the node to die by SIGKILL at its crash point; then starts it again unarmed.
    void expect_killed_then_restart() {
        const int status = test::wait_exit(node_.pid, std::chrono::seconds(30));
        const std::string log = test::read_text_file(node_.output);
        node_.pid = -1;
        ASSERT_EQ(status, 128 + SIGKILL) << "the node did not die at its crash point\n" << log;
        ASSERT_NE(log.find("crash_point_armed"), std::string::npos);
        start({});
    }

    void stop() {
        kill(node_.pid, SIGTERM);
        EXPECT_EQ(test::wait_exit(node_.pid, std::chrono::seconds(20)), 0);
        node_.pid = -1;
    }

    httplib::Client client() const {
        httplib::Client client("127.0.0.1", port_);
        client.set_read_timeout(10, 0);
        return client;
    }

    // Signs in the staff account, makes a 5 g pool and prices; registers and signs in a user.
    void open_market() {
        auto http = client();
        staff_ = test::call(http, "POST", "/auth/login", {{"username", "ops"}, {"password", "a long staff password"}})
                     .value("access_token", "");
        ASSERT_EQ(test::call(http, "POST", "/pools", {{"name", "Vault"}, {"total_grams", "5"}, {"purity", "999.9"}},
                             staff_).value("_status", 0), 201);
        ASSERT_EQ(test::call(http, "POST", "/prices", {{"buy_price_per_gram", "8500"}, {"sell_price_per_gram", "8000"}},
                             staff_).value("_status", 0), 201);
        ASSERT_EQ(test::call(http, "POST", "/auth/register", {{"username", "wanjiru"}, {"email", "w@example.com"},
                                                             {"phone", kPhone}, {"password", test::kTestPassword}})
                      .value("_status", 0), 201);
        token_ = test::call(http, "POST", "/auth/login", {{"username", "wanjiru"}, {"password", test::kTestPassword}})
                     .value("access_token", "");
        ASSERT_FALSE(token_.empty());
    }

    // The user's only trade of `side` (the caller may never have seen its id: its node died).
    std::string only_trade(const std::string& side) {
        auto http = client();
        const auto page = test::call(http, "GET", "/user/trades", nullptr, token_);
        std::string id;
        for (const auto& trade : page.value("items", nlohmann::json::array())) {
            if (trade.value("side", "") == side) {
                EXPECT_TRUE(id.empty()) << "two " << side << " trades: " << page.dump();
                id = trade.value("trade_id", "");
            }
        }
        return id;
    }

    // Polls the trade until it is final; returns it.
    nlohmann::json wait_final(const std::string& trade_id) {
        auto http = client();
        nlohmann::json trade;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (std::chrono::steady_clock::now() < deadline) {
            trade = test::call(http, "GET", "/trade/" + trade_id, nullptr, token_);
            const std::string status = trade.value("status", "");
            if (status == "completed" || status == "failed" || status == "expired") {
                return trade;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ADD_FAILURE() << "trade " << trade_id << " not final: " << trade.dump() << "\n"
                      << test::read_text_file(node_.output);
        return trade;
    }

    std::string balance() {
        auto http = client();
        return test::call(http, "GET", "/user/balance", nullptr, token_).value("grams", "");
    }

    std::size_t simulator_count(sim::TransactionKind kind) {
        std::size_t count = 0;
        for (const auto& transaction : sim_.simulator().transactions()) {
            count += transaction.kind == kind ? 1 : 0;
        }
        return count;
    }

    std::string ledger_violations() {
        pqxx::connection connection(database_);
        pqxx::work tx(connection);
        std::string found;
        for (const auto& violation : ledger::check_invariants(tx)) {
            found += violation.invariant + ": " + violation.detail + "\n";
        }
        return found;
    }

    // Buys KES 850 (0.1 g) with `key`; the answer may never come when the node dies placing it.
    void place_buy(const std::string& key) {
        auto http = client();
        test::call(http, "POST", "/trade/buy", {{"amount_kes", "850"}, {"phone_for_stk", kPhone}}, token_, key);
    }

    // A completed 0.1 g buy, with no crash, so that there is gold to sell.
    void own_gold() {
        place_buy("buy-1");
        EXPECT_EQ(wait_final(only_trade("buy")).value("status", ""), "completed");
        ASSERT_EQ(balance(), "0.100000");
    }

    void place_sell() {
        auto http = client();
        test::call(http, "POST", "/trade/sell", {{"grams", "0.04"}, {"payout_phone", kPhone}}, token_, "sell-1");
    }

    // The buy after a crash at `point`: completed once, one prompt, 0.1 g credited once.
    void expect_one_completed_buy() {
        const std::string trade_id = only_trade("buy");
        ASSERT_FALSE(trade_id.empty()) << "the committed buy was lost";
        const auto trade = wait_final(trade_id);
        EXPECT_EQ(trade.value("status", ""), "completed") << trade.dump();
        EXPECT_EQ(trade.value("grams", ""), "0.100000");
        EXPECT_EQ(simulator_count(sim::TransactionKind::stk), 1u) << "one STK prompt, never two";
        EXPECT_EQ(balance(), "0.100000");
        EXPECT_EQ(ledger_violations(), "");
    }

    // The sell after a crash: completed once, one B2C payment of KES 320, 0.04 g debited once.
    void expect_one_completed_sell() {
        const std::string trade_id = only_trade("sell");
        ASSERT_FALSE(trade_id.empty()) << "the committed sell was lost";
        const auto trade = wait_final(trade_id);
        EXPECT_EQ(trade.value("status", ""), "completed") << trade.dump();
        EXPECT_EQ(trade.value("amount_kes", ""), "320.00");
        EXPECT_EQ(simulator_count(sim::TransactionKind::b2c), 1u) << "one B2C payment, never two";
        EXPECT_EQ(balance(), "0.060000");
        EXPECT_EQ(ledger_violations(), "");
    }

    fs::path dir_;
    std::string database_;
    int port_ = 0;
    int starts_ = 0;
    test::Spawned node_;
    std::string staff_;
    std::string token_;
    test::SimFixture sim_{[](sim::SimulatorConfig& config) { config.callback_delay = std::chrono::seconds(3); }};
};

// "stk.sent" → "stk_sent": a crash point as a test name.
std::string test_name(const ::testing::TestParamInfo<const char*>& point) {
    std::string name = point.param;
    std::replace(name.begin(), name.end(), '.', '_');
    return name;
}

class BuyCrash : public CrashRecovery, public ::testing::WithParamInterface<const char*> {};

TEST_P(BuyCrash, TheBuyCompletesExactlyOnceAfterRestart) {
    start(GetParam());
    open_market();
    place_buy("buy-1");
    expect_killed_then_restart();
    expect_one_completed_buy();
    stop();
}

// After the reservation committed; after Daraja took the push (its answer unrecorded); with
// the callback stored but not looked at; with the payment settled but Daraja not answered.
INSTANTIATE_TEST_SUITE_P(EachStep,
                         BuyCrash,
                         ::testing::Values("buy.reserved", "stk.sent", "callback.stored", "callback.settled"),
                         test_name);

class SellCrash : public CrashRecovery, public ::testing::WithParamInterface<const char*> {};

TEST_P(SellCrash, TheSellIsPaidExactlyOnceAfterRestart) {
    start({});
    open_market();
    own_gold();
    stop();
    start(GetParam());
    place_sell();
    expect_killed_then_restart();
    expect_one_completed_sell();
    stop();
}

// After the gold was locked and the payout queued; after Daraja took the B2C payment (its
// answer unrecorded); with the B2C Result stored but not looked at; with it settled.
INSTANTIATE_TEST_SUITE_P(EachStep,
                         SellCrash,
                         ::testing::Values("sell.reserved", "b2c.sent", "callback.stored", "callback.settled"),
                         test_name);

}  // namespace
}  // namespace gw
