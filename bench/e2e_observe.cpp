#include "e2e_observe.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <unistd.h>

#include "db/process.hpp"
#include "proc_stat.hpp"

namespace gw::bench {
namespace {

double ticks_per_second() {
    return static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// utime + stime of one process, in clock ticks; 0 when it is gone.
std::uint64_t process_ticks(pid_t pid) {
    return proc_stat_number(pid, 14) + proc_stat_number(pid, 15);
}

void machine_ticks(ObserveSample& sample) {
    std::ifstream in("/proc/stat");
    std::string cpu;
    in >> cpu;
    for (int i = 0; i < 8; ++i) {
        std::uint64_t value = 0;
        in >> value;
        sample.machine_total_ticks += value;
        sample.machine_busy_ticks += (i == 3 || i == 4) ? 0 : value;  // not idle, not iowait
    }
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size()));
    return values[std::min(rank, values.size() - 1)];
}

// "METHOD route" → handler durations in ms, from the http.access lines in [from, to) bytes.
std::map<std::string, std::vector<double>> access_durations(const std::filesystem::path& log,
                                                            std::uintmax_t from,
                                                            std::uintmax_t to) {
    std::map<std::string, std::vector<double>> durations;
    std::ifstream in(log, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(from));
    std::string line;
    std::uintmax_t at = from;
    while (at < to && std::getline(in, line)) {
        at += line.size() + 1;
        if (line.find("\"http.access\"") == std::string::npos) {
            continue;
        }
        const auto entry = nlohmann::json::parse(line, nullptr, false);
        if (entry.is_discarded() || !entry.contains("duration_us")) {
            continue;
        }
        durations[entry.value("method", "") + " " + entry.value("route", "")].push_back(
            entry.at("duration_us").get<double>() / 1000.0);
    }
    return durations;
}

}  // namespace

Observer::Observer(pid_t server,
                   pid_t sim,
                   std::filesystem::path cluster_dir,
                   std::string connection_string,
                   std::filesystem::path server_log)
    : server_(server),
      sim_(sim),
      cluster_dir_(std::move(cluster_dir)),
      connection_string_(std::move(connection_string)),
      server_log_(std::move(server_log)) {}

ObserveSample Observer::sample() const {
    ObserveSample s;
    s.server_ticks = process_ticks(server_);
    s.sim_ticks = process_ticks(sim_);
    s.self_ticks = process_ticks(::getpid());
    for (const pid_t pid : db::postgres_processes_of_cluster(cluster_dir_)) {
        s.postgres_ticks += process_ticks(pid);
    }
    machine_ticks(s);
    pqxx::connection connection(connection_string_);
    pqxx::nontransaction read(connection);
    const auto row = read.exec1(
        "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()), "
        "(SELECT wal_sync FROM pg_stat_wal)");
    s.commits = row[0].as<std::uint64_t>();
    s.wal_syncs = row[1].as<std::uint64_t>();
    std::error_code ec;
    s.server_log_bytes = std::filesystem::file_size(server_log_, ec);
    s.at = std::chrono::steady_clock::now();
    return s;
}

Observed Observer::between(const ObserveSample& from, const ObserveSample& to) const {
    Observed o;
    o.seconds = std::chrono::duration<double>(to.at - from.at).count();
    const auto cores = [&](std::uint64_t a, std::uint64_t b) {
        return b > a && o.seconds > 0 ? static_cast<double>(b - a) / ticks_per_second() / o.seconds
                                      : 0.0;
    };
    o.server_cores = cores(from.server_ticks, to.server_ticks);
    o.postgres_cores = cores(from.postgres_ticks, to.postgres_ticks);
    o.sim_cores = cores(from.sim_ticks, to.sim_ticks);
    o.self_cores = cores(from.self_ticks, to.self_ticks);
    const auto total = static_cast<double>(to.machine_total_ticks - from.machine_total_ticks);
    o.machine_cores = total > 0
                          ? static_cast<double>(to.machine_busy_ticks - from.machine_busy_ticks) /
                                total * static_cast<double>(std::thread::hardware_concurrency())
                          : 0;
    // The sampling connections' own commits are a handful per window: not worth subtracting.
    o.commits = to.commits - from.commits;
    o.wal_syncs = to.wal_syncs - from.wal_syncs;
    for (auto& [route, durations] :
         access_durations(server_log_, from.server_log_bytes, to.server_log_bytes)) {
        RouteTime time;
        time.count = durations.size();
        time.p50_ms = percentile(durations, 50);
        time.p99_ms = percentile(durations, 99);
        for (const double ms : durations) {
            time.busy_seconds += ms / 1000.0;
        }
        o.routes[route] = time;
    }
    return o;
}

}  // namespace gw::bench
