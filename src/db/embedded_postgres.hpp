#pragma once

// A private PostgreSQL 15 cluster run by this process with Debian's initdb and pg_ctl, on a unix
// socket only: `goldwallet serve` without DATABASE_URL, the CLI commands and the test fixture.
// Where the files live, and why, is docs/decisions/0001-embedded-postgres-layout.md.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

#include "db/process.hpp"

namespace gw::db {

// Where clusters live when the service runs as root (see embedded_settings_for_layout).
inline constexpr std::string_view kRootClustersDir = "/var/lib/goldwallet/clusters";
// The database superuser initdb creates; it is also the role of every connection string.
inline constexpr std::string_view kEmbeddedSuperuser = "postgres";
// The port only names the socket file (.s.PGSQL.5432); the server opens no TCP port.
inline constexpr int kEmbeddedPort = 5432;
// sizeof(sockaddr_un::sun_path) - 1: the longest socket file path the kernel accepts.
inline constexpr std::size_t kSocketPathBytesMax = 107;

struct EmbeddedPostgresSettings {
    std::filesystem::path cluster_dir;  // PGDATA; initdb'd when it has no PG_VERSION
    std::filesystem::path socket_dir;   // the unix socket directory (no TCP: listen_addresses='')
    std::filesystem::path pg_bin_dir = "/usr/lib/postgresql/15/bin";
    std::string os_user;                      // when running as root: the unprivileged user the
                                              // server runs as ("postgres"); ignored when not root
    std::string database = "goldwallet";      // created (CREATE DATABASE) after the first start
    std::vector<std::string> server_options;  // extra "name=value" settings, e.g. "fsync=off"
    int start_timeout_seconds_max = 60;
    // When set, start() makes this path a symlink to cluster_dir's parent, so operators find
    // the cluster at <data_dir>/pg although it lives under kRootClustersDir (root layout).
    std::filesystem::path cluster_link;
    // false passes --no-sync to initdb: seconds saved per throwaway test cluster.
    bool initdb_sync = true;
};

// Every member has an initializer so designated initializers may skip any of them (GCC 12's
// -Wmissing-field-initializers only spares members that have one).
struct EmbeddedLayoutOptions {
    std::filesystem::path data_dir{};  // the application data dir (GOLDWALLET_DATA_DIR)
    std::filesystem::path pg_bin_dir = "/usr/lib/postgresql/15/bin";
    std::string os_user{};  // used only when as_root
    bool as_root = false;   // the layout for a process with euid 0
    uid_t caller_uid = 0;   // names the /tmp socket fallback directory
    std::filesystem::path clusters_root = std::filesystem::path(kRootClustersDir);
};

// Returns the 16 lowercase hex digits of the FNV-1a 64 hash of the absolute, symlink-resolved
// `data_dir` (which need not exist yet). It names the cluster of a data dir in the root layout.
std::string cluster_id_for_data_dir(const std::filesystem::path& data_dir);

// Returns the settings for the cluster of an application data dir:
// - not root: cluster_dir = <data_dir>/pg/data, socket_dir = <data_dir>/pg/run;
// - root: cluster_dir = <clusters_root>/<id>/data, socket_dir = <clusters_root>/<id>/run,
//   cluster_link = <data_dir>/pg, os_user set, because the server runs as os_user and
//   data_dir may sit under a directory that user cannot enter (e.g. /root, mode 0700);
// - when <socket_dir>/.s.PGSQL.5432 would exceed kSocketPathBytesMax, socket_dir becomes
//   /tmp/gw-pg-<caller_uid>-<id> (created mode 0700 by start()).
// The server log is <cluster_dir>/../pg.log and the start/stop lock <cluster_dir>/../pg.lock.
// Touches nothing on disk. Throws std::filesystem::filesystem_error when data_dir cannot be
// made absolute.
EmbeddedPostgresSettings embedded_settings_for_layout(const EmbeddedLayoutOptions& options);

// Where the cluster of an application data dir (GOLDWALLET_DATA_DIR, default ./var) lives:
// embedded_settings_for_layout for this process (as_root = geteuid() == 0).
EmbeddedPostgresSettings embedded_settings_for_data_dir(const std::filesystem::path& data_dir,
                                                        const std::filesystem::path& pg_bin_dir,
                                                        std::string os_user_when_root);

// Owns the life cycle of one embedded cluster. Not thread-safe: one object per process. Several
// processes (or objects) on the same cluster are serialized by an flock on
// <cluster_dir>/../pg.lock during start() and stop().
class EmbeddedPostgres {
public:
    // Throws std::invalid_argument when the settings are unusable (empty paths, a socket path
    // over kSocketPathBytesMax, a path with a shell-special character ("$`\), a malformed
    // server option, running as root without an existing os_user).
    explicit EmbeddedPostgres(EmbeddedPostgresSettings settings);
    // Calls stop() only when this object started the server and set_stop_on_destroy(true) was
    // requested; a failure there is swallowed (the next start() recovers from a stale server).
    ~EmbeddedPostgres();
    EmbeddedPostgres(const EmbeddedPostgres&) = delete;
    EmbeddedPostgres& operator=(const EmbeddedPostgres&) = delete;

    // Creates the directories, initdb's the cluster when it has no PG_VERSION, removes a stale
    // postmaster.pid (and socket lock) left by a crash, starts the server with pg_ctl unless a
    // live server for this cluster runs already (then reuses it), waits until it accepts
    // connections and creates `database` when missing.
    // Returns true when THIS call started the server, false when it reused a running one.
    // Throws std::runtime_error with a secret-free message (ending with the tail of the server
    // log when there is one) on any failure; a server this call started is stopped again then.
    bool start();

    // Stops the server with `pg_ctl stop -m fast -w`, whoever started it; no-op when it is not
    // running. Throws std::runtime_error when pg_ctl fails and the server still runs.
    void stop();

    // Returns true when postmaster.pid names a live postgres process of this cluster.
    bool is_running() const;

    // Returns "host=<socket_dir> port=5432 dbname=<database> user=postgres" (libpq
    // keyword/value form, values quoted when needed), for settings.database or `database`.
    std::string connection_string() const;
    std::string connection_string(std::string_view database) const;

    void set_stop_on_destroy(bool stop_on_destroy) { stop_on_destroy_ = stop_on_destroy; }
    const EmbeddedPostgresSettings& settings() const { return settings_; }
    // Returns <cluster_dir>/../pg.log, where pg_ctl sends the server's output.
    std::filesystem::path log_file() const;

private:
    std::filesystem::path cluster_root() const { return settings_.cluster_dir.parent_path(); }
    std::filesystem::path lock_file() const { return cluster_root() / "pg.lock"; }
    uid_t server_uid() const;
    ProcessResult run_tool(const char* tool, std::vector<std::string> args, int timeout) const;
    std::optional<pid_t> live_postmaster_pid() const;
    std::string failure(const std::string& what) const;
    void require_success(const char* what, const ProcessResult& result) const;
    void prepare_directories() const;
    // As root: renames an initialised cluster whose data-dir link is gone (the data dir was
    // deleted) to <cluster_dir>.orphaned-<unix seconds>, so a fresh one is made. Never deletes.
    void set_aside_orphaned_cluster() const;
    void initdb_if_needed() const;
    void write_server_conf() const;
    void remove_stale_files() const;
    void start_server() const;
    void stop_server() const;
    void wait_until_accepting() const;
    void ensure_database() const;

    EmbeddedPostgresSettings settings_;
    std::optional<OsUser> run_as_;  // set when running as root: the account of the server
    bool started_by_this_ = false;
    bool stop_on_destroy_ = false;
};

}  // namespace gw::db
