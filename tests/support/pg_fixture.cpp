#include "support/pg_fixture.hpp"

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

#include <pqxx/pqxx>
#include <sys/stat.h>
#include <unistd.h>

#include "db/embedded_migrations.hpp"
#include "db/migrate.hpp"
#include "db/process.hpp"

namespace gw::test {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kRootPrefix = "gw-test-pg-";
constexpr std::string_view kOwnerFile = "owner";
constexpr std::string_view kServerOsUser = "postgres";
// A directory without an owner file yet may belong to a binary between mkdtemp and writing it.
constexpr auto kOwnerlessGrace = std::chrono::minutes(5);

// Returns the start time of `pid` in clock ticks since boot (field 22 of /proc/<pid>/stat), or 0.
// Together with the PID it names a process even after the PID is recycled.
std::uint64_t process_start_ticks(pid_t pid) {
    std::ifstream in(fs::path("/proc") / std::to_string(pid) / "stat");
    std::string line;
    std::getline(in, line);
    const auto close_paren = line.rfind(')');
    if (close_paren == std::string::npos) {
        return 0;
    }
    std::istringstream fields(line.substr(close_paren + 2));
    std::string field;
    for (int number = 3; number < 22 && fields >> field; ++number) {
    }
    std::uint64_t ticks = 0;
    fields >> ticks;
    return ticks;
}

db::EmbeddedPostgresSettings settings_for(const fs::path& root) {
    db::EmbeddedPostgresSettings settings;
    settings.cluster_dir = root / "data";
    settings.socket_dir = root / "run";
    settings.os_user = kServerOsUser;
    settings.database = "postgres";  // exists already; tests make their own with create_database
    settings.server_options = {"fsync=off", "synchronous_commit=off", "full_page_writes=off"};
    settings.initdb_sync = false;
    settings.start_timeout_seconds_max = 60;
    return settings;
}

bool owner_alive(const fs::path& root) {
    std::ifstream in(root / kOwnerFile);
    std::int64_t pid = 0;
    std::uint64_t ticks = 0;
    if (!(in >> pid >> ticks)) {
        std::error_code ec;
        const auto modified = fs::last_write_time(root, ec);
        return !ec && fs::file_time_type::clock::now() - modified < kOwnerlessGrace;
    }
    const auto owner = static_cast<pid_t>(pid);
    return db::process_alive(owner) && process_start_ticks(owner) == ticks;
}

// A directory this cleanup may touch: a real directory (not a symlink planted in /tmp) that
// belongs to us or to the server's user.
bool ours(const fs::path& root) {
    struct stat st {};
    if (::lstat(root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        return false;
    }
    const auto server_user = db::find_os_user(std::string(kServerOsUser));
    return st.st_uid == ::geteuid() || (server_user && st.st_uid == server_user->uid);
}

// Stops and deletes the clusters of test binaries that died without exiting (abort, SIGKILL,
// a crash), which is the one case the destructor cannot cover.
void reap_abandoned_clusters() {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/tmp", ec)) {
        const fs::path& root = entry.path();
        if (!root.filename().string().starts_with(kRootPrefix) || !ours(root) ||
            owner_alive(root)) {
            continue;
        }
        try {
            db::EmbeddedPostgres(settings_for(root)).stop();
        } catch (const std::exception& error) {
            // Deleting the files of a server that still runs would only make it harder to
            // stop by hand, so leave this one for a human and say so.
            std::fprintf(
                stderr, "pg_fixture: cannot stop abandoned %s: %s\n", root.c_str(), error.what());
            continue;
        }
        fs::remove_all(root, ec);
    }
}

fs::path make_root_dir() {
    std::string pattern = "/tmp/" + std::string(kRootPrefix) + "XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    }
    fs::path root = pattern;
    {
        std::ofstream owner(root / kOwnerFile);
        owner << ::getpid() << ' ' << process_start_ticks(::getpid()) << '\n';
    }
    if (::geteuid() == 0) {  // the server runs as postgres and keeps its files in here
        const auto user = db::find_os_user(std::string(kServerOsUser));
        if (!user || ::chown(root.c_str(), user->uid, user->gid) != 0) {
            throw std::runtime_error("pg_fixture: cannot hand " + root.string() + " to " +
                                     std::string(kServerOsUser));
        }
    }
    return root;
}

}  // namespace

TestCluster& TestCluster::instance() {
    static std::mutex creation_mutex;
    static std::unique_ptr<TestCluster> cluster;  // destroyed at exit: stops the server
    const std::lock_guard lock(creation_mutex);
    if (!cluster) {
        reap_abandoned_clusters();
        cluster = std::make_unique<TestCluster>(PassKey{}, make_root_dir());
    }
    return *cluster;
}

TestCluster::TestCluster(PassKey /*key*/, fs::path root_dir) : root_dir_(std::move(root_dir)) {
    try {
        server_ = std::make_unique<db::EmbeddedPostgres>(settings_for(root_dir_));
        server_->start();
    } catch (...) {
        std::error_code ec;
        if (server_ == nullptr || !server_->is_running()) {
            fs::remove_all(root_dir_, ec);  // else the reaper of a later run stops and removes it
        }
        throw;
    }
}

TestCluster::~TestCluster() {
    try {
        server_->stop();
    } catch (const std::exception& error) {
        std::fprintf(stderr, "pg_fixture: cannot stop %s: %s\n", root_dir_.c_str(), error.what());
        return;  // keep the files: the next test binary's reaper retries
    }
    std::error_code ec;
    fs::remove_all(root_dir_, ec);
}

std::string TestCluster::create_database() {
    std::string name;
    {
        const std::lock_guard lock(mutex_);
        name = "gw_test_" + std::to_string(++databases_created_);
    }
    pqxx::connection connection(admin_connection_string());
    pqxx::nontransaction tx(connection);
    tx.exec0("CREATE DATABASE " + tx.quote_name(name));
    return server_->connection_string(name);
}

std::string TestCluster::create_migrated_database() {
    constexpr const char* kTemplate = "gw_migrated_template";
    std::string name;
    {
        const std::lock_guard lock(mutex_);
        if (!migrated_template_ready_) {
            {
                pqxx::connection admin(admin_connection_string());
                pqxx::nontransaction tx(admin);
                tx.exec0(std::string("CREATE DATABASE ") + kTemplate);
            }
            pqxx::connection connection(server_->connection_string(kTemplate));
            const auto report = db::migrate(connection, db::embedded_migration_files());
            if (!report) {
                throw std::runtime_error("migrating the test template failed: " +
                                         report.error().detail);
            }
            migrated_template_ready_ = true;
        }
        name = "gw_test_" + std::to_string(++databases_created_);
    }
    pqxx::connection connection(admin_connection_string());
    pqxx::nontransaction tx(connection);
    tx.exec0("CREATE DATABASE " + tx.quote_name(name) + " TEMPLATE " + kTemplate);
    return server_->connection_string(name);
}

std::string TestCluster::admin_connection_string() const {
    return server_->connection_string("postgres");
}

}  // namespace gw::test
