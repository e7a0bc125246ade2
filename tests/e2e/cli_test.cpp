// Proves the real `goldwallet` binary as an operator uses it: `version`; a bad variable exits 2
// naming it; `migrate` against DATABASE_URL of another server; `serve` with the embedded
// cluster in a fresh data dir answers /readyz 200, stops cluster and server on SIGTERM, and a
// second `serve` reuses the data; `migrate` while `serve` runs uses the running cluster and
// leaves it running; `reconcile --statement` imports once, reports and exits 3 on critical items.

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <httplib.h>
#include <pqxx/pqxx>
#include <regex>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>

#include "binaries.hpp"
#include "support/pg_fixture.hpp"
#include "support/process_helpers.hpp"

namespace gw {
namespace {

namespace fs = std::filesystem;

// Test-only keys (64 hex characters each).
const std::string kJwtKeyHex(64, 'a');
const std::string kMasterKeyHex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

using test::Env;
using test::Spawned;
using test::wait_exit;

Spawned spawn_with_stdin(const std::vector<std::string>& args, const Env& env, const fs::path& output,
                         const fs::path& input) {
    return test::spawn_process(test::kGoldwalletBinary, args, env, output, input);
}

Spawned spawn(const std::vector<std::string>& args, const Env& env, const fs::path& output) {
    return test::spawn_process(test::kGoldwalletBinary, args, env, output);
}

std::string read_file(const fs::path& path) { return test::read_text_file(path); }

struct Completed {
    int exit_code;
    std::string output;
};

Completed run(const std::vector<std::string>& args, const Env& env, const fs::path& dir) {
    const Spawned spawned = spawn(args, env, dir / "run.out");
    const int code = wait_exit(spawned.pid, std::chrono::seconds(60));
    return {code, read_file(spawned.output)};
}

// Waits until `serve` logs its URL; returns the port, or 0 when it exited or timed out.
int wait_listening(const Spawned& server) {
    const std::regex listening(R"re("url":"http://127\.0\.0\.1:(\d+)")re");
    for (int i = 0; i < 600; ++i) {
        std::smatch match;
        const std::string log = read_file(server.output);
        if (std::regex_search(log, match, listening)) {
            return std::stoi(match[1]);
        }
        if (waitpid(server.pid, nullptr, WNOHANG) == server.pid) {
            return 0;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
}

class CliTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("gw-cli-" + std::to_string(getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        // As root the cluster lives behind the var/pg symlink; remove both.
        const fs::path pg = dir_ / "var" / "pg";
        if (fs::is_symlink(pg)) {
            fs::remove_all(fs::read_symlink(pg));
        }
        fs::remove_all(dir_);
    }
    Env serve_env() const {
        return {{"GOLDWALLET_DATA_DIR", (dir_ / "var").string()},
                {"GOLDWALLET_HTTP_PORT", "0"},
                {"GOLDWALLET_JWT_KEY", kJwtKeyHex},
                {"GOLDWALLET_MASTER_KEY", kMasterKeyHex}};
    }
    fs::path dir_;
};

TEST_F(CliTest, VersionPrintsAndExitsZero) {
    const Completed done = run({"version"}, {}, dir_);
    EXPECT_EQ(done.exit_code, 0);
    EXPECT_NE(done.output.find("goldwallet 0."), std::string::npos);
}

TEST_F(CliTest, BadVariableExitsTwoNamingIt) {
    const Completed done = run({"serve"}, {{"GOLDWALLET_HTTP_PORT", "eighty"}}, dir_);
    EXPECT_EQ(done.exit_code, 2);
    EXPECT_NE(done.output.find("GOLDWALLET_HTTP_PORT"), std::string::npos);
    EXPECT_FALSE(fs::exists(dir_ / "var")) << "nothing is started on bad configuration";
}

TEST_F(CliTest, MigrateAgainstDatabaseUrl) {
    const std::string url = test::TestCluster::instance().create_database();
    const Completed first = run({"migrate"}, {{"DATABASE_URL", url}}, dir_);
    EXPECT_EQ(first.exit_code, 0) << first.output;
    EXPECT_NE(first.output.find("applied 0001_init.sql"), std::string::npos) << first.output;
    const Completed second = run({"migrate"}, {{"DATABASE_URL", url}}, dir_);
    EXPECT_EQ(second.exit_code, 0);
    EXPECT_NE(second.output.find("migrations: 0 applied"), std::string::npos) << second.output;
    EXPECT_EQ(second.output.find(url), std::string::npos) << "the URL is never printed";
}

TEST_F(CliTest, ServeWithEmbeddedClusterStopsOnSigtermAndReusesData) {
    for (int round = 1; round <= 2; ++round) {
        const Spawned server = spawn({"serve"}, serve_env(), dir_ / "serve.out");
        const int port = wait_listening(server);
        ASSERT_GT(port, 0) << read_file(server.output);
        httplib::Client client("127.0.0.1", port);
        auto ready = client.Get("/readyz");
        ASSERT_TRUE(ready);
        EXPECT_EQ(ready->status, 200);

        // While serve runs, migrate uses the same cluster and leaves it running.
        const Completed migrate = run({"migrate"}, {{"GOLDWALLET_DATA_DIR", (dir_ / "var").string()}}, dir_);
        EXPECT_EQ(migrate.exit_code, 0) << migrate.output;
        EXPECT_NE(migrate.output.find("\"started_here\":false"), std::string::npos) << migrate.output;
        ready = client.Get("/readyz");
        ASSERT_TRUE(ready);
        EXPECT_EQ(ready->status, 200);

        kill(server.pid, SIGTERM);
        EXPECT_EQ(wait_exit(server.pid, std::chrono::seconds(20)), 0) << read_file(server.output);
        const std::string log = read_file(server.output);
        EXPECT_NE(log.find("db.embedded.stopped"), std::string::npos);
        const bool migrated_now = log.find("db.migrate.applied") != std::string::npos;
        EXPECT_EQ(migrated_now, round == 1) << "the second start must find the data migrated";
        EXPECT_FALSE(fs::exists(dir_ / "var" / "pg" / "data" / "postmaster.pid"))
            << "the cluster must be stopped";
    }
}

TEST_F(CliTest, ServeWithoutSecretsExitsTwoNamingTheKey) {
    const Completed done = run({"serve"}, {{"GOLDWALLET_DATA_DIR", (dir_ / "var").string()}}, dir_);
    EXPECT_EQ(done.exit_code, 2);
    EXPECT_NE(done.output.find("GOLDWALLET_JWT_KEY"), std::string::npos) << done.output;
}

TEST_F(CliTest, AdminCreateAgainstDatabaseUrlThenLoginWorks) {
    const std::string url = test::TestCluster::instance().create_database();
    Env env = {{"DATABASE_URL", url},
               {"GOLDWALLET_JWT_KEY", kJwtKeyHex},
               {"GOLDWALLET_MASTER_KEY", kMasterKeyHex},
               {"GOLDWALLET_DATA_DIR", (dir_ / "var").string()}};
    const fs::path input = dir_ / "password.txt";
    std::ofstream(input) << "a long staff password\n";
    const Spawned created = spawn_with_stdin({"admin", "create", "--username", "ops", "--email",
                                              "ops@example.com", "--role", "treasury"},
                                             env, dir_ / "create.out", input);
    ASSERT_EQ(wait_exit(created.pid, std::chrono::seconds(60)), 0) << read_file(created.output);
    EXPECT_NE(read_file(created.output).find("created treasury ops"), std::string::npos);
    EXPECT_EQ(read_file(created.output).find("a long staff password"), std::string::npos);

    const Spawned again = spawn_with_stdin({"admin", "create", "--username", "OPS", "--email",
                                            "other@example.com"},
                                           env, dir_ / "again.out", input);
    EXPECT_EQ(wait_exit(again.pid, std::chrono::seconds(60)), 1);
    EXPECT_NE(read_file(again.output).find("username_taken"), std::string::npos);

    env.emplace_back("GOLDWALLET_HTTP_PORT", "0");
    const Spawned server = spawn({"serve"}, env, dir_ / "serve.out");
    const int port = wait_listening(server);
    ASSERT_GT(port, 0) << read_file(server.output);
    httplib::Client client("127.0.0.1", port);
    auto login = client.Post("/auth/login", R"({"username":"ops","password":"a long staff password"})",
                             "application/json");
    ASSERT_TRUE(login);
    EXPECT_EQ(login->status, 200) << login->body;
    kill(server.pid, SIGTERM);
    EXPECT_EQ(wait_exit(server.pid, std::chrono::seconds(20)), 0);
}

TEST_F(CliTest, AdminCreateWhileServeRunsUsesTheRunningCluster) {
    Env env = serve_env();
    const Spawned server = spawn({"serve"}, env, dir_ / "serve.out");
    const int port = wait_listening(server);
    ASSERT_GT(port, 0) << read_file(server.output);
    const fs::path input = dir_ / "password.txt";
    std::ofstream(input) << "another staff password\n";
    const Spawned created = spawn_with_stdin({"admin", "create", "--username", "root2", "--email",
                                              "root2@example.com"},
                                             env, dir_ / "create.out", input);
    ASSERT_EQ(wait_exit(created.pid, std::chrono::seconds(60)), 0) << read_file(created.output);
    EXPECT_NE(read_file(created.output).find("\"started_here\":false"), std::string::npos);
    httplib::Client client("127.0.0.1", port);
    auto login = client.Post("/auth/login", R"({"username":"root2","password":"another staff password"})",
                             "application/json");
    ASSERT_TRUE(login);
    EXPECT_EQ(login->status, 200);
    kill(server.pid, SIGTERM);
    EXPECT_EQ(wait_exit(server.pid, std::chrono::seconds(20)), 0);
}

TEST_F(CliTest, CheckReportsLedgerInvariants) {
    const std::string url = test::TestCluster::instance().create_migrated_database();
    const Completed sound = run({"check"}, {{"DATABASE_URL", url}}, dir_);
    EXPECT_EQ(sound.exit_code, 0) << sound.output;
    EXPECT_NE(sound.output.find("ledger invariants hold"), std::string::npos);

    {
        // Corrupt one account's counters behind the ledger's back.
        pqxx::connection connection(url);
        pqxx::work tx(connection);
        tx.exec("INSERT INTO accounts (code, asset, created_at) VALUES ('vault:external', 'XAU_UG', now())");
        tx.exec("UPDATE accounts SET credits_posted = 5 WHERE code = 'vault:external'");
        tx.commit();
    }
    const Completed broken = run({"check"}, {{"DATABASE_URL", url}}, dir_);
    EXPECT_EQ(broken.exit_code, 1) << broken.output;
    EXPECT_NE(broken.output.find("VIOLATION asset_balanced"), std::string::npos) << broken.output;
    EXPECT_NE(broken.output.find("VIOLATION account_matches_transfers"), std::string::npos);
}

TEST_F(CliTest, ReconcileImportsAStatementOnceAndExitsThreeOnCriticalItems) {
    const std::string url = test::TestCluster::instance().create_migrated_database();
    Env env = {{"DATABASE_URL", url},
               {"GOLDWALLET_JWT_KEY", kJwtKeyHex},
               {"GOLDWALLET_MASTER_KEY", kMasterKeyHex},
               {"GOLDWALLET_DATA_DIR", (dir_ / "var").string()}};
    // A payment to the paybill that no buy asked for.
    const fs::path statement = dir_ / "ORG_174379_Utility Account_Completed_20261118235959.csv";
    std::ofstream(statement) << "Short Code:,174379\r\n"
                                "Time Period:,From,18-11-2026 00:00:00,To,18-11-2026 23:59:59\r\n"
                                "Receipt No.,Completion Time,Initiation Time,Details,Transaction Status,"
                                "Paid In,Withdrawn,Balance,Balance Confirmed,Reason Type,Other Party Info,"
                                "Linked Transaction ID,A/C No.\r\n"
                                "TK18WALKIN,18-11-2026 14:06:40,18-11-2026 14:06:10,Pay Bill Online,Completed,"
                                "500.00,,500.00,true,Pay Bill Online,2547******149 - JANE DOE,,WALKIN\r\n";
    const Completed found =
        run({"reconcile", "--date", "2026-11-18", "--statement", statement.string()}, env, dir_);
    EXPECT_EQ(found.exit_code, 3) << found.output;
    EXPECT_NE(found.output.find("1 lines, 1 new"), std::string::npos) << found.output;
    EXPECT_NE(found.output.find("critical money_without_credit receipt TK18WALKIN"), std::string::npos)
        << found.output;

    const Completed again =
        run({"reconcile", "--date", "2026-11-18", "--statement", statement.string()}, env, dir_);
    EXPECT_EQ(again.exit_code, 3);
    EXPECT_NE(again.output.find("(imported before)"), std::string::npos) << again.output;
    const Completed other_day = run({"reconcile", "--date", "2026-11-17"}, env, dir_);
    EXPECT_EQ(other_day.exit_code, 0) << other_day.output;

    std::ofstream(dir_ / "broken.csv") << "not,a,statement\r\n";
    const Completed broken =
        run({"reconcile", "--statement", (dir_ / "broken.csv").string()}, env, dir_);
    EXPECT_EQ(broken.exit_code, 1) << broken.output;
    EXPECT_EQ(run({"reconcile", "--date", "18-11-2026"}, env, dir_).exit_code, 2);
    pqxx::connection connection(url);
    pqxx::nontransaction tx(connection);
    EXPECT_EQ(tx.exec1("SELECT count(*) FROM reconciliation_runs WHERE trigger = 'command'")[0].as<int>(), 3);
    EXPECT_EQ(tx.exec1("SELECT count(*) FROM mpesa_statements")[0].as<int>(), 1);
}

}  // namespace
}  // namespace gw
