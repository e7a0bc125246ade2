// PostgreSQL stopped and started again under load: while it is down every request is answered
// 503 problem+json (code service_unavailable, Retry-After) — never a 500, never a dropped
// connection — and /readyz says 503; once it is back, the same node answers 200 again without a
// restart and a buy goes through to completion.

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <httplib.h>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <thread>
#include <vector>

#include "binaries.hpp"
#include "db/embedded_postgres.hpp"
#include "support/identity_helpers.hpp"
#include "support/process_helpers.hpp"
#include "support/serve_process.hpp"
#include "support/sim_fixture.hpp"

namespace gw {
namespace {

namespace fs = std::filesystem;


// Answers seen by the load, by status; a 503 that is not a proper problem counts as -503.
class Tally {
public:
    void add(const nlohmann::json& answer) {
        int status = answer.value("_status", 0);
        if (status == 503 && answer.value("code", "") != "service_unavailable") {
            status = -503;
        }
        std::lock_guard lock(mutex_);
        ++counts_[status];
    }
    std::map<int, int> counts() const {
        std::lock_guard lock(mutex_);
        return counts_;
    }

private:
    mutable std::mutex mutex_;
    std::map<int, int> counts_;
};

class DatabaseRestart : public ::testing::Test {
protected:
    void SetUp() override {
        // Mode 0711: under root the embedded server runs as `postgres` and must reach its files.
        dir_ = fs::temp_directory_path() / ("gw-db-restart-" + std::to_string(getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
        std::ofstream(dir_ / "password.txt") << "a long staff password\n";
    }
    void TearDown() override {
        if (node_.pid > 0) {
            kill(node_.pid, SIGTERM);
            test::wait_exit(node_.pid, std::chrono::seconds(30));
        }
        db::EmbeddedPostgres(cluster_settings()).stop();
        fs::remove_all(dir_);
    }

    db::EmbeddedPostgresSettings cluster_settings() const {
        return db::embedded_settings_for_data_dir(dir_ / "var", "/usr/lib/postgresql/15/bin", "postgres");
    }

    test::Env env() {
        return {{"GOLDWALLET_DATA_DIR", (dir_ / "var").string()},
                {"GOLDWALLET_HTTP_PORT", "0"},
                {"GOLDWALLET_ENV", "development"},
                {"GOLDWALLET_JWT_KEY", std::string(64, 'b')},
                {"GOLDWALLET_MASTER_KEY", std::string(64, 'c')},
                {"GOLDWALLET_MPESA_BASE_URL", sim_.base_url()},
                {"GOLDWALLET_MPESA_SECURITY_CREDENTIAL", sim_.simulator().security_credential()},
                {"GOLDWALLET_OUTBOX_POLL_MS", "50"},
                {"GOLDWALLET_DB_ACQUIRE_TIMEOUT_MS", "1000"}};
    }

    // Creates the staff account (this starts the embedded cluster), then the node; opens the
    // market and signs a user in.
    void start_node_and_market() {
        const test::Spawned admin = test::spawn_process(
            test::kGoldwalletBinary, {"admin", "create", "--username", "ops", "--email", "ops@example.com"}, env(),
            dir_ / "admin.out", dir_ / "password.txt");
        ASSERT_EQ(test::wait_exit(admin.pid, std::chrono::seconds(120)), 0) << test::read_text_file(admin.output);
        node_ = test::spawn_process(test::kGoldwalletBinary, {"serve"}, env(), dir_ / "node.out");
        port_ = test::wait_for_port(node_);
        ASSERT_GT(port_, 0) << test::read_text_file(node_.output);
        httplib::Client http("127.0.0.1", port_);
        const std::string staff =
            test::call(http, "POST", "/auth/login", {{"username", "ops"}, {"password", "a long staff password"}})
                .value("access_token", "");
        ASSERT_EQ(test::call(http, "POST", "/pools", {{"name", "Vault"}, {"total_grams", "5"}, {"purity", "999.9"}},
                             staff).value("_status", 0), 201);
        ASSERT_EQ(test::call(http, "POST", "/prices", {{"buy_price_per_gram", "8500"}, {"sell_price_per_gram", "8000"}},
                             staff).value("_status", 0), 201);
        ASSERT_EQ(test::call(http, "POST", "/auth/register", {{"username", "wanjiru"}, {"email", "w@example.com"},
                                                             {"phone", "0708374149"}, {"password", test::kTestPassword}})
                      .value("_status", 0), 201);
        token_ = test::call(http, "POST", "/auth/login", {{"username", "wanjiru"}, {"password", test::kTestPassword}})
                     .value("access_token", "");
        ASSERT_FALSE(token_.empty());
    }

    // Four clients reading the balance and asking for quotes until `stop_`.
    void run_load() {
        for (int i = 0; i < 4; ++i) {
            load_.emplace_back([this] {
                httplib::Client http("127.0.0.1", port_);
                http.set_read_timeout(15, 0);
                while (!stop_) {
                    tally_.add(test::call(http, "GET", "/user/balance", nullptr, token_));
                    tally_.add(test::call(http, "POST", "/trade/quote", {{"side", "buy"}, {"amount_kes", "850"}},
                                          token_));
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                }
            });
        }
    }

    void stop_load() {
        stop_ = true;
        for (auto& thread : load_) {
            thread.join();
        }
    }

    // Polls `path` until it answers `status`; false after `timeout`.
    bool wait_for_status(const std::string& path, int status, std::chrono::seconds timeout) {
        httplib::Client http("127.0.0.1", port_);
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            if (test::call(http, "GET", path, nullptr, token_).value("_status", 0) == status) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }

    fs::path dir_;
    test::Spawned node_;
    int port_ = 0;
    std::string token_;
    std::atomic<bool> stop_{false};
    std::vector<std::thread> load_;
    Tally tally_;
    test::SimFixture sim_;
};

TEST_F(DatabaseRestart, RequestsFailWith503WhileItIsDownAndRecoverWithoutARestart) {
    start_node_and_market();
    run_load();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));

    db::EmbeddedPostgres cluster(cluster_settings());
    cluster.stop();
    EXPECT_TRUE(wait_for_status("/user/balance", 503, std::chrono::seconds(15)));
    EXPECT_TRUE(wait_for_status("/readyz", 503, std::chrono::seconds(15)));
    std::this_thread::sleep_for(std::chrono::seconds(1));
    cluster.start();
    EXPECT_TRUE(wait_for_status("/readyz", 200, std::chrono::seconds(20))) << test::read_text_file(node_.output);
    EXPECT_TRUE(wait_for_status("/user/balance", 200, std::chrono::seconds(20)));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    stop_load();

    const std::map<int, int> counts = tally_.counts();
    for (const auto& [status, count] : counts) {
        EXPECT_TRUE(status == 200 || status == 201 || status == 503)
            << count << " answers with status " << status << " (0: no answer; -503: not a proper problem)";
    }
    EXPECT_GT(counts.count(503), 0u) << "the load saw the outage";
    ASSERT_EQ(waitpid(node_.pid, nullptr, WNOHANG), 0) << "the node is still up";

    // Fully back: a buy is placed, pushed and settled.
    httplib::Client http("127.0.0.1", port_);
    const auto placed = test::call(http, "POST", "/trade/buy", {{"amount_kes", "850"}, {"phone_for_stk", "0708374149"}},
                                   token_, "after-restart");
    ASSERT_EQ(placed.value("_status", 0), 201) << placed.dump();
    std::string status;
    for (int i = 0; i < 200 && status != "completed"; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        status = test::call(http, "GET", "/trade/" + placed.value("trade_id", ""), nullptr, token_).value("status", "");
    }
    EXPECT_EQ(status, "completed");
}

}  // namespace
}  // namespace gw
