#pragma once

// What e2e_buy_bench samples around each measured window to say where the time went: CPU of
// each process (server, PostgreSQL, daraja-sim, the load generator, the whole machine), the
// server database's commits and the cluster's WAL flushes, and the server's own per-route
// handler times from its access log (one JSON line per request). Not shared across threads.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace gw::bench {

struct ObserveSample {
    std::uint64_t server_ticks = 0;
    std::uint64_t postgres_ticks = 0;
    std::uint64_t sim_ticks = 0;
    std::uint64_t self_ticks = 0;
    std::uint64_t machine_busy_ticks = 0;
    std::uint64_t machine_total_ticks = 0;
    std::uint64_t commits = 0;    // pg_stat_database.xact_commit of the server's database
    std::uint64_t wal_syncs = 0;  // pg_stat_wal.wal_sync: WAL flushes of the whole cluster
    std::uintmax_t server_log_bytes = 0;
    std::chrono::steady_clock::time_point at;
};

struct RouteTime {
    std::uint64_t count = 0;
    double p50_ms = 0;
    double p99_ms = 0;
    double busy_seconds = 0;  // sum of the handler durations
};

struct Observed {
    double seconds = 0;
    // Cores busy on average (2.0 = both cores of this VM); machine includes the neighbours.
    double server_cores = 0;
    double postgres_cores = 0;
    double sim_cores = 0;
    double self_cores = 0;
    double machine_cores = 0;
    std::uint64_t commits = 0;
    std::uint64_t wal_syncs = 0;
    std::map<std::string, RouteTime> routes;  // "POST /trade/buy" → its handler times
};

class Observer {
public:
    Observer(pid_t server,
             pid_t sim,
             std::filesystem::path cluster_dir,
             std::string connection_string,
             std::filesystem::path server_log);

    // Reads every counter now. Throws pqxx exceptions when the database cannot be read.
    ObserveSample sample() const;

    // The differences between two samples, with the access log lines written between them.
    Observed between(const ObserveSample& from, const ObserveSample& to) const;

private:
    pid_t server_;
    pid_t sim_;
    std::filesystem::path cluster_dir_;
    std::string connection_string_;
    std::filesystem::path server_log_;
};

}  // namespace gw::bench
