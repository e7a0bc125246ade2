#include "db/embedded_postgres.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <pqxx/pqxx>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "observability/log.hpp"

namespace gw::db {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view kSocketName = ".s.PGSQL.5432";
constexpr std::string_view kServerConfName = "goldwallet.conf";
constexpr std::string_view kMaintenanceDatabase = "postgres";
constexpr int kInitdbTimeoutSecondsMax = 300;
constexpr int kStopTimeoutSecondsMax = 60;
constexpr int kToolTimeoutMarginSeconds = 15;
constexpr std::uintmax_t kLogRotateBytes = std::uintmax_t{16} * 1024 * 1024;
constexpr std::size_t kLogTailBytesMax = 3000;
constexpr auto kRetryInterval = std::chrono::milliseconds(50);

[[noreturn]] void fail(const std::string& message) {
    throw std::runtime_error(message);
}

std::string hex16(std::uint64_t value) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = kDigits[value & 0xfU];
        value >>= 4U;
    }
    return out;
}

bool socket_dir_fits(const fs::path& socket_dir) {
    return socket_dir.string().size() + 1 + kSocketName.size() <= kSocketPathBytesMax;
}

// pg_ctl hands -D and -l to /bin/sh inside double quotes, so these characters would be
// interpreted there; no real data directory needs them.
bool shell_safe(const fs::path& path) {
    return path.string().find_first_of("\"$`\\\n") == std::string::npos;
}

bool valid_option_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '.';
    });
}

// A postgresql.conf string literal: quotes doubled, backslashes escaped.
std::string conf_quote(std::string_view value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') {
            out += c;  // '' and \\ stand for one quote and one backslash
        }
        out += c;
    }
    return out + "'";
}

// A libpq keyword/value: quoted when it is empty or holds a space, quote or backslash.
std::string libpq_value(std::string_view value) {
    if (!value.empty() && value.find_first_of(" '\\\t\n") == std::string_view::npos) {
        return std::string(value);
    }
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "'";
}

std::string read_file_tail(const fs::path& file, std::size_t bytes_max) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return {};
    }
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::size_t>(std::max<std::streamoff>(in.tellg(), 0));
    const std::size_t start = size > bytes_max ? size - bytes_max : 0;
    in.seekg(static_cast<std::streamoff>(start));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto first_newline = text.find('\n');
    if (start > 0 && first_newline != std::string::npos) {
        text.erase(0, first_newline + 1);  // begin at a whole line
    }
    return text;
}

// Returns the PID on the first line of a postmaster.pid or socket lock file, 0 when unreadable.
pid_t pid_in_lock_file(const fs::path& file) {
    std::ifstream in(file);
    std::int64_t pid = 0;
    if (!(in >> pid) || pid <= 0) {
        return 0;
    }
    return static_cast<pid_t>(pid);
}

// Throws when a running server of this cluster listens elsewhere (it was started with other
// settings): waiting for it on our socket would only time out.
void require_socket_dir(const fs::path& cluster_dir, const fs::path& socket_dir) {
    std::ifstream in(cluster_dir / "postmaster.pid");
    std::string line;
    for (int number = 1; number <= 5 && std::getline(in, line); ++number) {
        if (number == 5 && !line.empty() && fs::path(line) != socket_dir) {
            fail("embedded postgres (" + cluster_dir.string() + "): the running server uses " +
                 line + " as its socket directory, not " + socket_dir.string() +
                 "; stop it and start again");
        }
    }
}

// Points `link` at `target`. A symlink elsewhere (e.g. a copied checkout) is replaced; anything
// else in the way is an error, never deleted.
void ensure_cluster_link(const fs::path& link, const fs::path& target) {
    fs::create_directories(link.parent_path());
    const auto status = fs::symlink_status(link);
    if (fs::is_symlink(status)) {
        if (fs::read_symlink(link) == target) {
            return;
        }
        fs::remove(link);
    } else if (fs::exists(status)) {
        fail(link.string() + " exists and is not a symlink; as root the cluster lives in " +
             target.string() + " (docs/decisions/0001-embedded-postgres-layout.md)");
    }
    fs::create_directory_symlink(target, link);
}

// An exclusive flock on the cluster's lock file for the lifetime of the object. O_CLOEXEC (and
// run_process closing inherited descriptors) keeps the postmaster from inheriting it.
class ClusterLock {
public:
    ClusterLock(const fs::path& file, std::chrono::seconds wait_max) {
        fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd_ < 0) {
            throw std::system_error(errno, std::generic_category(), "open " + file.string());
        }
        const auto deadline = SteadyClock::now() + wait_max;
        while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            if ((errno != EWOULDBLOCK && errno != EINTR) || SteadyClock::now() >= deadline) {
                ::close(fd_);
                fail("timed out waiting for the cluster lock " + file.string() +
                     " (another process is starting or stopping this cluster)");
            }
            std::this_thread::sleep_for(kRetryInterval);
        }
    }
    ~ClusterLock() { ::close(fd_); }  // closing the last descriptor releases the flock
    ClusterLock(const ClusterLock&) = delete;
    ClusterLock& operator=(const ClusterLock&) = delete;

private:
    int fd_ = -1;
};

// The absolute, symlink-resolved form of a data dir, without a trailing separator, so that
// "var", "./var/" and "/srv/gw/var" name one cluster.
fs::path normal_data_dir(const fs::path& data_dir) {
    fs::path normal = fs::weakly_canonical(fs::absolute(data_dir)).lexically_normal();
    return normal.has_filename() ? normal : normal.parent_path();
}

}  // namespace

std::string cluster_id_for_data_dir(const fs::path& data_dir) {
    const std::string key = normal_data_dir(data_dir).string();
    std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a 64
    for (unsigned char c : key) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    return hex16(hash);
}

EmbeddedPostgresSettings embedded_settings_for_layout(const EmbeddedLayoutOptions& options) {
    const fs::path data_dir = normal_data_dir(options.data_dir);
    const std::string id = cluster_id_for_data_dir(data_dir);
    EmbeddedPostgresSettings settings;
    settings.pg_bin_dir = options.pg_bin_dir;
    fs::path root = data_dir / "pg";
    if (options.as_root) {
        root = options.clusters_root / id;
        settings.cluster_link = data_dir / "pg";
        settings.os_user = options.os_user;
    }
    settings.cluster_dir = root / "data";
    settings.socket_dir = root / "run";
    if (!socket_dir_fits(settings.socket_dir)) {
        settings.socket_dir =
            fs::path("/tmp") / ("gw-pg-" + std::to_string(options.caller_uid) + "-" + id);
    }
    return settings;
}

EmbeddedPostgresSettings embedded_settings_for_data_dir(const fs::path& data_dir,
                                                        const fs::path& pg_bin_dir,
                                                        std::string os_user_when_root) {
    return embedded_settings_for_layout({.data_dir = data_dir,
                                         .pg_bin_dir = pg_bin_dir,
                                         .os_user = std::move(os_user_when_root),
                                         .as_root = ::geteuid() == 0,
                                         .caller_uid = ::geteuid()});
}

EmbeddedPostgres::EmbeddedPostgres(EmbeddedPostgresSettings settings)
    : settings_(std::move(settings)) {
    auto invalid = [](const std::string& why) { throw std::invalid_argument(why); };
    if (settings_.cluster_dir.empty() || settings_.socket_dir.empty() ||
        settings_.database.empty() || settings_.start_timeout_seconds_max <= 0) {
        invalid(
            "embedded postgres: cluster_dir, socket_dir, database and a positive start "
            "timeout are required");
    }
    settings_.cluster_dir = fs::absolute(settings_.cluster_dir).lexically_normal();
    settings_.socket_dir = fs::absolute(settings_.socket_dir).lexically_normal();
    if (settings_.cluster_dir.filename().empty()) {
        settings_.cluster_dir = settings_.cluster_dir.parent_path();  // drop a trailing '/'
    }
    if (!socket_dir_fits(settings_.socket_dir)) {
        invalid("embedded postgres: socket path " + settings_.socket_dir.string() + "/" +
                std::string(kSocketName) + " exceeds " + std::to_string(kSocketPathBytesMax) +
                " bytes");
    }
    if (!shell_safe(settings_.cluster_dir) || !shell_safe(settings_.socket_dir)) {
        invalid(
            "embedded postgres: cluster and socket paths must not contain \" $ ` \\ or "
            "newlines");
    }
    for (const auto& option : settings_.server_options) {
        const auto eq = option.find('=');
        if (eq == std::string::npos || !valid_option_name(option.substr(0, eq))) {
            invalid("embedded postgres: server option '" + option + "' is not name=value");
        }
    }
    if (::geteuid() == 0) {
        if (settings_.os_user.empty() || settings_.os_user == "root") {
            invalid(
                "embedded postgres: running as root needs os_user, an unprivileged account "
                "for the server (PostgreSQL refuses to run as root)");
        }
        run_as_ = find_os_user(settings_.os_user);
        if (!run_as_) {
            invalid("embedded postgres: OS user '" + settings_.os_user + "' does not exist");
        }
    }
}

EmbeddedPostgres::~EmbeddedPostgres() {
    if (!started_by_this_ || !stop_on_destroy_) {
        return;
    }
    try {
        stop();
    } catch (const std::exception&) {
        // A destructor must not throw, and src/db has no logger to report to. The server keeps
        // running; the next start() reuses it, or cleans up after it if it died meanwhile.
    }
}

fs::path EmbeddedPostgres::log_file() const {
    return cluster_root() / "pg.log";
}

uid_t EmbeddedPostgres::server_uid() const {
    return run_as_ ? run_as_->uid : ::geteuid();
}

std::string EmbeddedPostgres::connection_string() const {
    return connection_string(settings_.database);
}

std::string EmbeddedPostgres::connection_string(std::string_view database) const {
    return "host=" + libpq_value(settings_.socket_dir.string()) +
           " port=" + std::to_string(kEmbeddedPort) + " dbname=" + libpq_value(database) +
           " user=" + std::string(kEmbeddedSuperuser);
}

ProcessResult EmbeddedPostgres::run_tool(const char* tool,
                                         std::vector<std::string> args,
                                         int timeout) const {
    ProcessOptions options;
    options.program = settings_.pg_bin_dir / tool;
    options.args = std::move(args);
    // A clean environment: PGDATA, PGPORT, PGOPTIONS or LC_* of the caller must not leak in.
    options.environment = {"PATH=/usr/bin:/bin", "LC_ALL=C", "LANG=C"};
    if (run_as_) {
        options.environment.push_back("HOME=" + run_as_->home.string());
        options.environment.push_back("USER=" + run_as_->name);
        options.environment.push_back("LOGNAME=" + run_as_->name);
    }
    options.run_as = run_as_;
    options.working_dir = cluster_root();  // the server's user may not enter our cwd
    options.timeout_seconds_max = timeout;
    return run_process(options);
}

std::string EmbeddedPostgres::failure(const std::string& what) const {
    std::string message = "embedded postgres (" + settings_.cluster_dir.string() + "): " + what;
    const std::string tail = read_file_tail(log_file(), kLogTailBytesMax);
    if (!tail.empty()) {
        message += "\n--- last lines of " + log_file().string() + " ---\n" + tail;
    }
    return message;
}

void EmbeddedPostgres::require_success(const char* what, const ProcessResult& result) const {
    if (!result.succeeded()) {
        fail(failure(std::string(what) + " failed (exit " + std::to_string(result.exit_code) +
                     (result.timed_out ? ", timed out" : "") + "): " + result.output));
    }
}

std::optional<pid_t> EmbeddedPostgres::live_postmaster_pid() const {
    const pid_t pid = pid_in_lock_file(settings_.cluster_dir / "postmaster.pid");
    if (pid > 0 && is_postgres_of_cluster(pid, settings_.cluster_dir)) {
        return pid;
    }
    return std::nullopt;
}

void EmbeddedPostgres::set_aside_orphaned_cluster() const {
    // The data dir (and its secrets) was deleted but this cluster survived: its rows are sealed
    // under lost keys. Start afresh, never deleting data: an operator removes the renamed one.
    if (fs::exists(fs::symlink_status(settings_.cluster_link)) ||
        !fs::exists(settings_.cluster_dir / "PG_VERSION") || is_running()) {
        return;
    }
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    const fs::path aside = settings_.cluster_dir.string() + ".orphaned-" + std::to_string(seconds);
    fs::rename(settings_.cluster_dir, aside);
    obs::log_warn("db.embedded.orphaned_cluster_set_aside",
                  {{"cluster_dir", settings_.cluster_dir.string()}, {"moved_to", aside.string()}});
}

bool EmbeddedPostgres::is_running() const {
    return live_postmaster_pid().has_value();
}

void EmbeddedPostgres::prepare_directories() const {
    const gid_t gid = run_as_ ? run_as_->gid : ::getegid();
    if (!settings_.cluster_link.empty()) {
        set_aside_orphaned_cluster();
        ensure_cluster_link(settings_.cluster_link, cluster_root());
    }
    ensure_private_dir({.dir = settings_.socket_dir, .owner_uid = server_uid(), .owner_gid = gid});
    for (const fs::path& dir : {settings_.cluster_dir, settings_.socket_dir}) {
        const auto blocked = run_as_ ? first_closed_ancestor(dir, *run_as_) : std::nullopt;
        if (blocked) {
            fail(failure("the server runs as OS user '" + run_as_->name + "', which cannot enter " +
                         blocked->string() + " on the way to " + dir.string() +
                         "; see docs/decisions/0001-embedded-postgres-layout.md"));
        }
    }
}

// initdb runs into a sibling directory that is renamed into place only when complete, so a
// crash during initdb never leaves a half-made cluster that start() would trust.
//
// --auth=trust: any local connection may log in as any role without a password. That is safe
// here because the server listens on no TCP port (listen_addresses = '') and its only socket
// sits in socket_dir, a mode-0700 directory owned by the server's OS user, with
// unix_socket_permissions = 0700 on top: only that user (and root) can reach the socket at all,
// and both could read the data files directly anyway.
void EmbeddedPostgres::initdb_if_needed() const {
    const fs::path& dir = settings_.cluster_dir;
    if (fs::exists(dir / "PG_VERSION")) {
        return;
    }
    if (fs::exists(dir) && !fs::is_empty(dir)) {
        fail(
            failure("the directory is not empty but holds no PG_VERSION; refusing to initdb "
                    "over it"));
    }
    const fs::path partial = dir.string() + ".initdb-partial";
    fs::remove_all(partial);
    const std::string user(kEmbeddedSuperuser);
    std::vector<std::string> args = {"-D", partial, "--auth=trust", "-U", user, "-E", "UTF8"};
    args.emplace_back("--locale=C");
    if (!settings_.initdb_sync) {
        args.emplace_back("--no-sync");
    }
    require_success("initdb", run_tool("initdb", std::move(args), kInitdbTimeoutSecondsMax));
    std::ofstream conf(partial / "postgresql.conf", std::ios::app);
    conf << "\n# Added by goldwallet: settings written before every start.\ninclude '"
         << kServerConfName << "'\n";
    conf.close();
    if (!conf) {
        fail(failure("cannot append to " + (partial / "postgresql.conf").string()));
    }
    if (fs::exists(dir)) {
        fs::remove(dir);  // empty, checked above
    }
    fs::rename(partial, dir);
}

// The server's network settings live in a file rewritten before every start rather than in
// pg_ctl -o, which pg_ctl passes through /bin/sh. `include` (not include_if_exists) makes a
// missing file a start failure instead of a server that falls back to TCP on localhost.
void EmbeddedPostgres::write_server_conf() const {
    std::ostringstream text;
    text << "# Written by goldwallet before every start; edit EmbeddedPostgresSettings instead.\n"
         << "listen_addresses = ''\n"
         << "port = " << kEmbeddedPort << "\n"
         << "unix_socket_directories = " << conf_quote(settings_.socket_dir.string()) << "\n"
         << "unix_socket_permissions = 0700\n";
    for (const auto& option : settings_.server_options) {
        const auto eq = option.find('=');
        text << option.substr(0, eq) << " = " << conf_quote(option.substr(eq + 1)) << "\n";
    }
    const fs::path target = settings_.cluster_dir / kServerConfName;
    const fs::path temporary = target.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << text.str();
        out.close();
        if (!out) {
            fail(failure("cannot write " + temporary.string()));
        }
    }
    ::chmod(temporary.c_str(), 0600);
    if (run_as_ && ::chown(temporary.c_str(), run_as_->uid, run_as_->gid) != 0) {
        throw std::system_error(errno, std::generic_category(), "chown " + temporary.string());
    }
    fs::rename(temporary, target);
}

// REQUIRES: the cluster lock is held and no live postmaster of this cluster exists. Then a
// postmaster.pid is stale whatever PID it names: a dead one, or one recycled by an unrelated
// process (which PostgreSQL itself would refuse to start over).
void EmbeddedPostgres::remove_stale_files() const {
    const auto deadline =
        SteadyClock::now() + std::chrono::seconds(settings_.start_timeout_seconds_max);
    // Children of a killed postmaster exit on their own once they notice; until then the old
    // shared memory is in use and a new postmaster would refuse to start.
    while (!postgres_processes_of_cluster(settings_.cluster_dir).empty()) {
        if (SteadyClock::now() >= deadline) {
            fail(failure("processes of a crashed server still run in the cluster directory"));
        }
        std::this_thread::sleep_for(kRetryInterval);
    }
    fs::remove(settings_.cluster_dir / "postmaster.pid");
    const fs::path socket_lock = settings_.socket_dir / (std::string(kSocketName) + ".lock");
    const pid_t socket_owner = pid_in_lock_file(socket_lock);
    if (socket_owner <= 0 || !is_postgres_process(socket_owner)) {
        fs::remove(socket_lock);
        fs::remove(settings_.socket_dir / kSocketName);
    }
}

void EmbeddedPostgres::start_server() const {
    const fs::path log = log_file();
    std::error_code ec;
    if (fs::file_size(log, ec) > kLogRotateBytes && !ec) {
        fs::rename(log, log.string() + ".1");
    }
    const int timeout = settings_.start_timeout_seconds_max;
    const std::string pgdata = settings_.cluster_dir;
    require_success(
        "pg_ctl start",
        run_tool("pg_ctl",
                 {"start", "-w", "-s", "-t", std::to_string(timeout), "-D", pgdata, "-l", log},
                 timeout + kToolTimeoutMarginSeconds));
}

void EmbeddedPostgres::stop_server() const {
    const std::string timeout = std::to_string(kStopTimeoutSecondsMax);
    const std::string pgdata = settings_.cluster_dir;
    const ProcessResult result =
        run_tool("pg_ctl",
                 {"stop", "-w", "-s", "-m", "fast", "-t", timeout, "-D", pgdata},
                 kStopTimeoutSecondsMax + kToolTimeoutMarginSeconds);
    if (is_running()) {
        require_success("pg_ctl stop", result);
    }
    // pg_ctl returns once the postmaster is gone; its last children may still be exiting. A
    // stopped cluster has no process left, so the next start never meets a half-gone one.
    const auto deadline = SteadyClock::now() + std::chrono::seconds(kStopTimeoutSecondsMax);
    while (!postgres_processes_of_cluster(settings_.cluster_dir).empty() &&
           SteadyClock::now() < deadline) {
        std::this_thread::sleep_for(kRetryInterval);
    }
}

void EmbeddedPostgres::wait_until_accepting() const {
    const auto deadline =
        SteadyClock::now() + std::chrono::seconds(settings_.start_timeout_seconds_max);
    for (;;) {
        try {
            pqxx::connection connection(connection_string(kMaintenanceDatabase));
            return;
        } catch (const pqxx::broken_connection& error) {
            if (SteadyClock::now() >= deadline) {
                fail(failure("the server did not accept connections on " +
                             settings_.socket_dir.string() + " within " +
                             std::to_string(settings_.start_timeout_seconds_max) +
                             " s: " + error.what()));
            }
        }
        std::this_thread::sleep_for(kRetryInterval);
    }
}

void EmbeddedPostgres::ensure_database() const {
    try {
        pqxx::connection connection(connection_string(kMaintenanceDatabase));
        pqxx::nontransaction tx(connection);
        const pqxx::result existing =
            tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", settings_.database);
        if (existing.empty()) {
            tx.exec0("CREATE DATABASE " + tx.quote_name(settings_.database));
        }
    } catch (const pqxx::failure& error) {
        fail(failure("cannot create database " + settings_.database + ": " + error.what()));
    }
}

bool EmbeddedPostgres::start() {
    for (const char* tool : {"initdb", "pg_ctl", "postgres"}) {
        if (::access((settings_.pg_bin_dir / tool).c_str(), X_OK) != 0) {
            fail("embedded postgres: " + (settings_.pg_bin_dir / tool).string() +
                 " is missing; install Debian's postgresql-15 (scripts/install-deps.sh)");
        }
    }
    const gid_t gid = run_as_ ? run_as_->gid : ::getegid();
    ensure_private_dir({.dir = cluster_root(),
                        .owner_uid = server_uid(),
                        .owner_gid = gid,
                        .follow_symlink = true});
    const ClusterLock lock(
        lock_file(),
        std::chrono::seconds(kInitdbTimeoutSecondsMax + 2 * settings_.start_timeout_seconds_max));
    prepare_directories();
    initdb_if_needed();
    bool started_now = false;
    if (!is_running()) {
        remove_stale_files();
        write_server_conf();
        start_server();
        started_now = true;
    } else {
        require_socket_dir(settings_.cluster_dir, settings_.socket_dir);
    }
    try {
        wait_until_accepting();
        ensure_database();
    } catch (...) {
        if (started_now) {
            try {
                stop_server();
            } catch (const std::exception&) {
                // The first failure is the one to report; its message already carries the log.
            }
        }
        throw;
    }
    started_by_this_ = started_by_this_ || started_now;
    return started_now;
}

void EmbeddedPostgres::stop() {
    if (!fs::exists(cluster_root())) {
        return;
    }
    const ClusterLock lock(
        lock_file(),
        std::chrono::seconds(kInitdbTimeoutSecondsMax + 2 * settings_.start_timeout_seconds_max));
    if (is_running()) {
        stop_server();
    }
    started_by_this_ = false;
}

}  // namespace gw::db
