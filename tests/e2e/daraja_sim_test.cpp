// Proves the real `daraja-sim` binary as `make run` uses it: it starts on a free port and says
// where, makes its RSA key file private, answers OAuth with the sandbox credentials and
// refuses others, prints a SecurityCredential that the running simulator accepts for a B2C
// payment, keeps its transactions in the state file across a restart, and stops cleanly on
// SIGTERM.

#include <regex>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/stat.h>

#include "support/process_helpers.hpp"

namespace gw {
namespace {

namespace fs = std::filesystem;

const fs::path kSimulator = GW_SIM_BINARY_PATH;

class DarajaSimBinary : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("gw-sim-e2e-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // Starts the simulator; returns its port (0 when it did not come up).
    int start(test::Spawned& spawned, const std::string& log_name) {
        spawned = test::spawn_process(kSimulator,
                                      {"--port",
                                       "0",
                                       "--key-file",
                                       (dir_ / "key.pem").string(),
                                       "--state-file",
                                       (dir_ / "state.json").string(),
                                       "--callback-delay-ms",
                                       "10"},
                                      {},
                                      dir_ / log_name);
        const std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+))");
        for (int i = 0; i < 200; ++i) {
            std::smatch match;
            const std::string log = test::read_text_file(spawned.output);
            if (std::regex_search(log, match, listening)) {
                return std::stoi(match[1]);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        return 0;
    }

    static std::string bearer(httplib::Client& client) {
        client.set_basic_auth("dev-key", "dev-secret");
        auto answer = client.Get("/oauth/v1/generate?grant_type=client_credentials");
        EXPECT_TRUE(answer);
        EXPECT_EQ(answer->status, 200);
        return nlohmann::json::parse(answer->body)["access_token"].get<std::string>();
    }

    fs::path dir_;
};

TEST_F(DarajaSimBinary, StartsServesAndStops) {
    test::Spawned sim;
    const int port = start(sim, "sim.out");
    ASSERT_GT(port, 0) << test::read_text_file(sim.output);
    struct stat key_stat {};
    ASSERT_EQ(::stat((dir_ / "key.pem").c_str(), &key_stat), 0);
    EXPECT_EQ(key_stat.st_mode & 0777, 0600u);

    httplib::Client client("127.0.0.1", port);
    const std::string token = bearer(client);
    EXPECT_EQ(token.size(), 28u);
    httplib::Client stranger("127.0.0.1", port);
    stranger.set_basic_auth("dev-key", "wrong");
    auto refused = stranger.Get("/oauth/v1/generate?grant_type=client_credentials");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400);
    EXPECT_TRUE(refused->body.empty());

    kill(sim.pid, SIGTERM);
    EXPECT_EQ(test::wait_exit(sim.pid, std::chrono::seconds(20)), 0)
        << test::read_text_file(sim.output);
}

TEST_F(DarajaSimBinary, ItsSecurityCredentialPaysAndItsStateSurvivesARestart) {
    test::Spawned sim;
    const int port = start(sim, "sim.out");
    ASSERT_GT(port, 0) << test::read_text_file(sim.output);
    const test::Spawned credential =
        test::spawn_process(kSimulator,
                            {"security-credential", "--key-file", (dir_ / "key.pem").string()},
                            {},
                            dir_ / "credential.out");
    ASSERT_EQ(test::wait_exit(credential.pid, std::chrono::seconds(30)), 0);
    std::string security_credential = test::read_text_file(credential.output);
    security_credential.erase(security_credential.find_last_not_of("\r\n") + 1);
    ASSERT_FALSE(security_credential.empty());

    httplib::Client client("127.0.0.1", port);
    const std::string token = bearer(client);
    const httplib::Headers headers = {{"Authorization", "Bearer " + token}};
    const nlohmann::json payout = {{"OriginatorConversationID", "gw-e2e-1"},
                                   {"InitiatorName", "testapi"},
                                   {"SecurityCredential", security_credential},
                                   {"CommandID", "BusinessPayment"},
                                   {"Amount", 1500},
                                   {"PartyA", "600980"},
                                   {"PartyB", "254708374149"},
                                   {"Remarks", "Gold sale payout"},
                                   {"QueueTimeOutURL", "http://127.0.0.1:9/t"},
                                   {"ResultURL", "http://127.0.0.1:9/r"}};
    auto ack =
        client.Post("/mpesa/b2c/v3/paymentrequest", headers, payout.dump(), "application/json");
    ASSERT_TRUE(ack);
    EXPECT_EQ(ack->status, 200) << ack->body;

    // The payout completes (the callback itself goes nowhere); it shows in the transactions.
    std::string transactions;
    for (int i = 0; i < 200 && transactions.find("\"completed\"") == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
        auto listed = client.Get("/sim/transactions");
        transactions = listed ? listed->body : "";
    }
    EXPECT_NE(transactions.find("gw-e2e-1"), std::string::npos) << transactions;
    EXPECT_NE(transactions.find("\"completed\""), std::string::npos) << transactions;
    kill(sim.pid, SIGTERM);
    ASSERT_EQ(test::wait_exit(sim.pid, std::chrono::seconds(20)), 0);

    test::Spawned again;
    const int second_port = start(again, "again.out");
    ASSERT_GT(second_port, 0) << test::read_text_file(again.output);
    httplib::Client restarted("127.0.0.1", second_port);
    auto listed = restarted.Get("/sim/transactions");
    ASSERT_TRUE(listed);
    EXPECT_NE(listed->body.find("gw-e2e-1"), std::string::npos) << "kept in the state file";
    kill(again.pid, SIGTERM);
    EXPECT_EQ(test::wait_exit(again.pid, std::chrono::seconds(20)), 0);
}

}  // namespace
}  // namespace gw
