// Proves the embedded PostgreSQL life cycle against the real Debian binaries: first start
// initdb's and creates the database, data survives a restart, a running server is reused
// (also by a second object and by a concurrent starter), a crash (SIGKILL of the postmaster)
// and a pid file naming a live non-postgres process are recovered from, a data dir under a
// mode-0700 home works when running as root, stop() leaves no process of the cluster, and
// failures (a bad server option, a cluster the server's user cannot reach) explain themselves.
// Each test gets its own temporary data dir; initdb runs with --no-sync to keep this quick.

#include "db/embedded_postgres.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/process.hpp"

namespace gw::db {
namespace {

namespace fs = std::filesystem;

std::string query_value(const std::string& connection_string, const std::string& sql) {
    pqxx::connection connection(connection_string);
    pqxx::nontransaction tx(connection);
    return tx.exec1(sql)[0].as<std::string>();
}

void execute(const std::string& connection_string, const std::string& sql) {
    pqxx::connection connection(connection_string);
    pqxx::nontransaction tx(connection);
    tx.exec0(sql);
}

pid_t postmaster_pid(const EmbeddedPostgresSettings& settings) {
    std::ifstream in(settings.cluster_dir / "postmaster.pid");
    std::int64_t pid = 0;
    in >> pid;
    return static_cast<pid_t>(pid);
}

// Rewrites the first line (the PID) of a lock file, keeping the rest as the server wrote it.
void replace_pid(const fs::path& file, const std::string& content, pid_t pid) {
    std::ofstream out(file, std::ios::trunc);
    out << pid << content.substr(content.find('\n'));
}

std::string read_all(const fs::path& file) {
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Independent of the code under test: any process whose cwd is the cluster directory.
int processes_in(const fs::path& cluster_dir) {
    const fs::path wanted = fs::canonical(cluster_dir);
    int count = 0;
    for (const auto& entry : fs::directory_iterator("/proc")) {
        std::error_code ec;
        if (fs::read_symlink(entry.path() / "cwd", ec) == wanted && !ec) {
            ++count;
        }
    }
    return count;
}

class EmbeddedPostgresTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = "/tmp/gw-embedded-test-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        tmp_dir_ = pattern;
        use_data_dir(tmp_dir_ / "var");
    }

    void use_data_dir(const fs::path& data_dir) {
        settings_ =
            embedded_settings_for_data_dir(data_dir, "/usr/lib/postgresql/15/bin", "postgres");
        settings_.server_options = {"fsync=off"};
        settings_.initdb_sync = false;
        settings_.start_timeout_seconds_max = 30;
    }

    void TearDown() override {
        if (fs::exists(settings_.cluster_dir)) {
            EmbeddedPostgres(settings_).stop();
            EXPECT_EQ(processes_in(settings_.cluster_dir), 0);
        }
        std::error_code ec;
        fs::remove_all(settings_.cluster_dir.parent_path(), ec);  // under /var/lib when root
        fs::remove_all(settings_.socket_dir, ec);
        fs::remove_all(tmp_dir_, ec);
    }

    fs::path tmp_dir_;
    EmbeddedPostgresSettings settings_;
};

TEST_F(EmbeddedPostgresTest, FirstStartInitializesAndServesTheDatabase) {
    EmbeddedPostgres server(settings_);
    EXPECT_FALSE(server.is_running());

    EXPECT_TRUE(server.start());

    EXPECT_TRUE(fs::exists(settings_.cluster_dir / "PG_VERSION"));
    EXPECT_TRUE(server.is_running());
    EXPECT_EQ(query_value(server.connection_string(), "SELECT 1"), "1");
    EXPECT_EQ(query_value(server.connection_string(), "SELECT current_database()"), "goldwallet");
    EXPECT_EQ(query_value(server.connection_string(), "SHOW listen_addresses"), "");
    struct stat st {};
    ASSERT_EQ(::stat(settings_.socket_dir.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700U);
    EXPECT_TRUE(fs::is_symlink(tmp_dir_ / "var" / "pg") || ::geteuid() != 0);

    server.stop();
    EXPECT_FALSE(server.is_running());
    EXPECT_EQ(processes_in(settings_.cluster_dir), 0);
}

TEST_F(EmbeddedPostgresTest, RestartKeepsTheData) {
    {
        EmbeddedPostgres server(settings_);
        ASSERT_TRUE(server.start());
        execute(server.connection_string(), "CREATE TABLE kept (grams bigint)");
        execute(server.connection_string(), "INSERT INTO kept VALUES (1250000)");
        server.stop();
    }
    EmbeddedPostgres server(settings_);
    EXPECT_TRUE(server.start());
    EXPECT_EQ(query_value(server.connection_string(), "SELECT grams FROM kept"), "1250000");
}

TEST_F(EmbeddedPostgresTest, AClusterWhoseDataDirWasDeletedIsSetAsideNotReused) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "only root keeps clusters outside the data dir";
    }
    {
        EmbeddedPostgres server(settings_);
        ASSERT_TRUE(server.start());
        execute(server.connection_string(), "CREATE TABLE stale (grams bigint)");
        server.stop();
    }
    fs::remove_all(tmp_dir_ / "var");  // the operator deletes the data dir, secrets and all
    EmbeddedPostgres server(settings_);
    ASSERT_TRUE(server.start());
    EXPECT_EQ(query_value(server.connection_string(),
                          "SELECT count(*) FROM pg_tables WHERE tablename = 'stale'"),
              "0")
        << "a fresh cluster, not the orphan";
    int set_aside = 0;
    for (const auto& entry : fs::directory_iterator(settings_.cluster_dir.parent_path())) {
        set_aside += entry.path().filename().string().starts_with("data.orphaned-") ? 1 : 0;
    }
    EXPECT_EQ(set_aside, 1) << "the old cluster is kept, renamed";
}

TEST_F(EmbeddedPostgresTest, RunningServerIsReusedAndStopsOnlyWhenOwnedAndAsked) {
    auto first = std::make_unique<EmbeddedPostgres>(settings_);
    ASSERT_TRUE(first->start());
    EXPECT_FALSE(first->start());  // already running: reused
    first.reset();                 // stop_on_destroy was not requested
    EmbeddedPostgres reuser(settings_);
    EXPECT_FALSE(reuser.start());
    EXPECT_EQ(query_value(reuser.connection_string(), "SELECT 1"), "1");
    {
        EmbeddedPostgres borrower(settings_);
        EXPECT_FALSE(borrower.start());
        borrower.set_stop_on_destroy(true);  // it did not start the server: no effect
    }
    EXPECT_TRUE(reuser.is_running());
    reuser.stop();
    {
        EmbeddedPostgres owner(settings_);
        EXPECT_TRUE(owner.start());
        owner.set_stop_on_destroy(true);
    }
    EXPECT_FALSE(reuser.is_running());
    EXPECT_EQ(processes_in(settings_.cluster_dir), 0);
}

TEST_F(EmbeddedPostgresTest, ConcurrentStartsStartTheServerOnce) {
    EmbeddedPostgres a(settings_);
    EmbeddedPostgres b(settings_);
    auto started_a = std::async(std::launch::async, [&] { return a.start(); });
    auto started_b = std::async(std::launch::async, [&] { return b.start(); });
    const int started = int{started_a.get()} + int{started_b.get()};
    EXPECT_EQ(started, 1);
    EXPECT_EQ(query_value(a.connection_string(), "SELECT 1"), "1");
    EXPECT_EQ(query_value(b.connection_string(), "SELECT 1"), "1");
}

TEST_F(EmbeddedPostgresTest, StartRecoversAfterThePostmasterWasKilled) {
    EmbeddedPostgres server(settings_);
    ASSERT_TRUE(server.start());
    execute(server.connection_string(), "CREATE TABLE survived (id int)");
    const pid_t pid = postmaster_pid(settings_);
    ASSERT_GT(pid, 0);
    ASSERT_TRUE(is_postgres_of_cluster(pid, settings_.cluster_dir));

    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    for (int i = 0; i < 200 && process_alive(pid); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_FALSE(server.is_running());
    EXPECT_TRUE(fs::exists(settings_.cluster_dir / "postmaster.pid"));  // stale now

    EXPECT_TRUE(server.start());
    EXPECT_NE(postmaster_pid(settings_), pid);
    EXPECT_EQ(query_value(server.connection_string(), "SELECT count(*) FROM survived"), "0");
}

TEST_F(EmbeddedPostgresTest, PidFileNamingALiveNonPostgresProcessIsCleaned) {
    EmbeddedPostgres server(settings_);
    ASSERT_TRUE(server.start());
    const fs::path pid_file = settings_.cluster_dir / "postmaster.pid";
    const fs::path socket_lock = settings_.socket_dir / ".s.PGSQL.5432.lock";
    const std::string pid_content = read_all(pid_file);
    const std::string lock_content = read_all(socket_lock);
    server.stop();
    ASSERT_FALSE(fs::exists(pid_file));

    // What a crash followed by PID reuse looks like: the files name a live, unrelated process.
    replace_pid(pid_file, pid_content, ::getpid());
    replace_pid(socket_lock, lock_content, ::getpid());
    EXPECT_FALSE(server.is_running());

    EXPECT_TRUE(server.start());
    EXPECT_EQ(query_value(server.connection_string(), "SELECT 1"), "1");
    EXPECT_NE(postmaster_pid(settings_), ::getpid());
}

TEST_F(EmbeddedPostgresTest, DataDirUnderAMode700HomeWorks) {
    const fs::path home = tmp_dir_ / "home700";
    fs::create_directories(home / "checkout");
    ASSERT_EQ(::chmod(home.c_str(), 0700), 0);  // like /root: only its owner may enter
    use_data_dir(home / "checkout" / "var");

    EmbeddedPostgres server(settings_);
    EXPECT_TRUE(server.start());
    EXPECT_EQ(query_value(server.connection_string(), "SELECT 1"), "1");
    if (::geteuid() == 0) {
        EXPECT_TRUE(settings_.cluster_dir.string().starts_with(kRootClustersDir));
        EXPECT_EQ(fs::read_symlink(home / "checkout" / "var" / "pg"),
                  settings_.cluster_dir.parent_path());
        EXPECT_TRUE(fs::exists(home / "checkout" / "var" / "pg" / "data" / "PG_VERSION"));
    }
    server.stop();
    EXPECT_EQ(processes_in(settings_.cluster_dir), 0);
}

TEST_F(EmbeddedPostgresTest, FailedStartExplainsItselfWithTheServerLog) {
    settings_.server_options = {"shared_buffers=plenty"};
    EmbeddedPostgres server(settings_);
    try {
        server.start();
        FAIL() << "start() accepted an invalid server option";
    } catch (const std::runtime_error& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("pg_ctl start failed"), std::string::npos) << message;
        EXPECT_NE(message.find("shared_buffers"), std::string::npos) << message;  // log tail
    }
    EXPECT_FALSE(server.is_running());
}

TEST_F(EmbeddedPostgresTest, ClusterDirTheServerUserCannotReachIsRefusedClearly) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "only root runs the server as another user";
    }
    const fs::path home = tmp_dir_ / "home700";
    fs::create_directories(home);
    ASSERT_EQ(::chmod(tmp_dir_.c_str(), 0755), 0);  // mkdtemp made it 0700
    ASSERT_EQ(::chmod(home.c_str(), 0700), 0);
    settings_.cluster_dir = home / "pg" / "data";  // an explicit layout that ignores the rule
    settings_.socket_dir = tmp_dir_ / "run";
    settings_.cluster_link.clear();
    EmbeddedPostgres server(settings_);
    try {
        server.start();
        FAIL() << "start() accepted a cluster postgres cannot enter";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("cannot enter " + home.string()),
                  std::string::npos)
            << error.what();
    }
    EXPECT_FALSE(fs::exists(settings_.cluster_dir));  // nothing was initdb'd
}

TEST(EmbeddedLayoutTest, PlacesTheClusterByPrivilegeAndKeepsSocketPathsShort) {
    const fs::path data_dir = "/srv/goldwallet/var";
    const std::string id = cluster_id_for_data_dir(data_dir);
    EXPECT_EQ(id.size(), 16U);
    EXPECT_EQ(cluster_id_for_data_dir("/srv/goldwallet/./var/"), id);

    const auto user = embedded_settings_for_layout({.data_dir = data_dir, .caller_uid = 1000});
    EXPECT_EQ(user.cluster_dir, data_dir / "pg" / "data");
    EXPECT_EQ(user.socket_dir, data_dir / "pg" / "run");
    EXPECT_TRUE(user.cluster_link.empty());

    const auto root = embedded_settings_for_layout(
        {.data_dir = data_dir, .os_user = "postgres", .as_root = true});
    EXPECT_EQ(root.cluster_dir, fs::path(kRootClustersDir) / id / "data");
    EXPECT_EQ(root.socket_dir, fs::path(kRootClustersDir) / id / "run");
    EXPECT_EQ(root.cluster_link, data_dir / "pg");
    EXPECT_EQ(root.os_user, "postgres");

    const fs::path deep = "/srv/" + std::string(90, 'x') + "/var";
    auto fallback = embedded_settings_for_layout({.data_dir = deep, .caller_uid = 1000});
    EXPECT_EQ(fallback.cluster_dir, deep / "pg" / "data");
    EXPECT_EQ(fallback.socket_dir, "/tmp/gw-pg-1000-" + cluster_id_for_data_dir(deep));
    fallback.os_user = "postgres";  // needed when this test runs as root
    EXPECT_NO_THROW(EmbeddedPostgres{fallback});
}

TEST(EmbeddedLayoutTest, RejectsUnusableSettings) {
    EmbeddedPostgresSettings settings;
    settings.cluster_dir = "/tmp/x/data";
    settings.socket_dir = "/tmp/" + std::string(100, 's');
    settings.os_user = "postgres";
    EXPECT_THROW(EmbeddedPostgres{settings}, std::invalid_argument);  // socket path too long
    settings.socket_dir = "/tmp/x/run";
    settings.server_options = {"fsync"};
    EXPECT_THROW(EmbeddedPostgres{settings}, std::invalid_argument);  // not name=value
    settings.server_options = {};
    settings.cluster_dir = "/tmp/$HOME/data";
    EXPECT_THROW(EmbeddedPostgres{settings}, std::invalid_argument);  // shell-special
}

}  // namespace
}  // namespace gw::db
