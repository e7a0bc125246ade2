#include "bench_cluster.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include <pqxx/pqxx>
#include <sys/stat.h>
#include <unistd.h>

#include "db/embedded_migrations.hpp"
#include "db/migrate.hpp"
#include "db/process.hpp"
#include "proc_stat.hpp"

namespace gw::bench {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kRootPrefix = "gw-bench-pg-";
constexpr std::string_view kOwnerFile = "owner";
constexpr std::string_view kServerOsUser = "postgres";

// Field 22 of /proc/<pid>/stat (start time in clock ticks): with the PID it names a process
// even after the PID is recycled. 0 when unreadable.
std::uint64_t process_start_ticks(pid_t pid) {
    return proc_stat_number(pid, 22);
}

db::EmbeddedPostgresSettings settings_for(const fs::path& root,
                                          const BenchClusterOptions& options) {
    db::EmbeddedPostgresSettings settings;
    settings.cluster_dir = root / "data";
    settings.socket_dir = root / "run";
    settings.os_user = kServerOsUser;  // used only when running as root
    settings.database = options.database;
    // fsync, synchronous_commit and full_page_writes keep their defaults (on): the benchmark
    // measures commits that reach the disk. --no-sync initdb only skips syncing the template
    // files once; every commit of the run is still flushed.
    settings.server_options = options.server_options;
    settings.initdb_sync = false;
    settings.start_timeout_seconds_max = 60;
    return settings;
}

bool owner_alive(const fs::path& root) {
    std::ifstream in(root / kOwnerFile);
    std::int64_t pid = 0;
    std::uint64_t ticks = 0;
    if (!(in >> pid >> ticks)) {
        return true;  // being created right now, or not ours to judge
    }
    const auto owner = static_cast<pid_t>(pid);
    return db::process_alive(owner) && process_start_ticks(owner) == ticks;
}

bool ours(const fs::path& root) {
    struct stat st {};
    if (::lstat(root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        return false;
    }
    const auto server_user = db::find_os_user(std::string(kServerOsUser));
    return st.st_uid == ::geteuid() || (server_user && st.st_uid == server_user->uid);
}

void reap_abandoned_clusters() {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/tmp", ec)) {
        const fs::path& root = entry.path();
        if (!root.filename().string().starts_with(kRootPrefix) || !ours(root) ||
            owner_alive(root)) {
            continue;
        }
        try {
            db::EmbeddedPostgres(settings_for(root, BenchClusterOptions{})).stop();
        } catch (const std::exception& error) {
            std::fprintf(stderr,
                         "bench_cluster: cannot stop abandoned %s: %s\n",
                         root.c_str(),
                         error.what());
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
            std::error_code ec;
            fs::remove_all(root, ec);
            throw std::runtime_error("bench_cluster: cannot hand " + root.string() + " to " +
                                     std::string(kServerOsUser));
        }
    }
    return root;
}

}  // namespace

BenchCluster::BenchCluster(const BenchClusterOptions& options)
    : root_dir_((reap_abandoned_clusters(), make_root_dir())), database_(options.database) {
    try {
        server_ = std::make_unique<db::EmbeddedPostgres>(settings_for(root_dir_, options));
        server_->start();
        pqxx::connection connection(connection_string());
        const auto report = db::migrate(connection, db::embedded_migration_files());
        if (!report) {
            throw std::runtime_error("bench_cluster: migrating failed: " + report.error().detail);
        }
    } catch (...) {
        bool stopped = true;
        if (server_ != nullptr && server_->is_running()) {
            try {
                server_->stop();
            } catch (const std::exception&) {
                stopped = false;  // keep the files: the reaper of a later run retries
            }
        }
        if (stopped) {
            std::error_code ec;
            fs::remove_all(root_dir_, ec);
        }
        throw;
    }
}

BenchCluster::~BenchCluster() {
    try {
        server_->stop();
    } catch (const std::exception& error) {
        std::fprintf(
            stderr, "bench_cluster: cannot stop %s: %s\n", root_dir_.c_str(), error.what());
        return;  // keep the files: the next run's reaper retries
    }
    std::error_code ec;
    fs::remove_all(root_dir_, ec);
}

std::string BenchCluster::connection_string() const {
    return server_->connection_string(database_);
}

std::string BenchCluster::connection_string(const std::string& database) const {
    return server_->connection_string(database);
}

void BenchCluster::settle(const std::vector<std::string>& databases) const {
    for (const std::string& database : databases) {
        pqxx::connection connection(connection_string(database));
        pqxx::nontransaction(connection).exec0("VACUUM (ANALYZE)");
    }
}

}  // namespace gw::bench
