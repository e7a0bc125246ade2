// Kill -9 between the reservation and the STK Push: the buy's transaction committed its outbox
// message, the process died before any worker sent it. A restarted node's outbox worker must
// send that push exactly once, and the payment must settle the trade.

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <thread>

#include "binaries.hpp"
#include "support/pg_fixture.hpp"
#include "support/process_helpers.hpp"
#include "support/serve_process.hpp"
#include "support/sim_fixture.hpp"

namespace gw {
namespace {

namespace fs = std::filesystem;


class OutboxRestart : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("gw-outbox-restart-" + std::to_string(getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        database_ = test::TestCluster::instance().create_migrated_database();
    }
    void TearDown() override { fs::remove_all(dir_); }

    test::Env env(int outbox_workers) {
        return {{"DATABASE_URL", database_},
                {"GOLDWALLET_DATA_DIR", (dir_ / "var").string()},
                {"GOLDWALLET_HTTP_PORT", "0"},
                {"GOLDWALLET_ENV", "development"},
                {"GOLDWALLET_JWT_KEY", std::string(64, 'b')},
                {"GOLDWALLET_MASTER_KEY", std::string(64, 'c')},
                {"GOLDWALLET_MPESA_BASE_URL", sim_.base_url()},
                {"GOLDWALLET_MPESA_SECURITY_CREDENTIAL", sim_.simulator().security_credential()},
                {"GOLDWALLET_OUTBOX_WORKERS", std::to_string(outbox_workers)},
                {"GOLDWALLET_OUTBOX_POLL_MS", "50"}};
    }

    fs::path dir_;
    std::string database_;
    test::SimFixture sim_;
};

TEST_F(OutboxRestart, AKilledNodesQueuedPushIsSentExactlyOnceAfterRestart) {
    std::ofstream(dir_ / "password.txt") << "a long staff password\n";
    const test::Spawned admin = test::spawn_process(
        test::kGoldwalletBinary, {"admin", "create", "--username", "ops", "--email", "ops@example.com"}, env(0),
        dir_ / "admin.out", dir_ / "password.txt");
    ASSERT_EQ(test::wait_exit(admin.pid, std::chrono::seconds(60)), 0) << test::read_text_file(admin.output);

    // First node: no outbox workers, so the push stays queued when it dies.
    const test::Spawned first = test::spawn_process(test::kGoldwalletBinary, {"serve"}, env(0), dir_ / "first.out");
    const int first_port = test::wait_for_port(first);
    ASSERT_GT(first_port, 0) << test::read_text_file(first.output);
    httplib::Client one("127.0.0.1", first_port);
    const std::string staff =
        test::call(one, "POST", "/auth/login", {{"username", "ops"}, {"password", "a long staff password"}}, {})
            .value("access_token", "");
    ASSERT_EQ(test::call(one, "POST", "/pools", {{"name", "Vault"}, {"total_grams", "5"}, {"purity", "999.9"}}, staff)
                  .value("_status", 0), 201);
    ASSERT_EQ(test::call(one, "POST", "/prices", {{"buy_price_per_gram", "8500"}, {"sell_price_per_gram", "8000"}}, staff)
                  .value("_status", 0), 201);
    ASSERT_EQ(test::call(one, "POST", "/auth/register", {{"username", "wanjiru"}, {"email", "w@example.com"},
                                                   {"phone", "0708374149"}, {"password", "correct horse battery staple"}},
                   {}).value("_status", 0), 201);
    const std::string token =
        test::call(one, "POST", "/auth/login", {{"username", "wanjiru"}, {"password", "correct horse battery staple"}}, {})
            .value("access_token", "");
    const auto placed = test::call(one, "POST", "/trade/buy", {{"amount_kes", "850"}, {"phone_for_stk", "0708374149"}},
                             token, "restart-1");
    ASSERT_EQ(placed.value("_status", 0), 201) << placed.dump();
    const std::string trade_id = placed.at("trade_id");

    kill(first.pid, SIGKILL);
    test::wait_exit(first.pid, std::chrono::seconds(20));
    EXPECT_EQ(sim_.simulator().transactions().size(), 0u) << "the first node sent nothing";

    // Second node, with a worker: it finds the queued message and sends it.
    const test::Spawned second = test::spawn_process(test::kGoldwalletBinary, {"serve"}, env(1), dir_ / "second.out");
    const int second_port = test::wait_for_port(second);
    ASSERT_GT(second_port, 0) << test::read_text_file(second.output);
    httplib::Client two("127.0.0.1", second_port);
    std::string status;
    for (int i = 0; i < 200 && status != "completed"; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        status = test::call(two, "GET", "/trade/" + trade_id, nullptr, token).value("status", "");
    }
    EXPECT_EQ(status, "completed") << test::read_text_file(second.output);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a few more worker polls
    EXPECT_EQ(sim_.simulator().transactions().size(), 1u) << "sent exactly once";
    EXPECT_EQ(test::call(two, "GET", "/user/balance", nullptr, token).value("grams", ""), "0.100000");
    kill(second.pid, SIGTERM);
    EXPECT_EQ(test::wait_exit(second.pid, std::chrono::seconds(20)), 0);
}

}  // namespace
}  // namespace gw
