#pragma once

// What the benchmarks share about measuring the database alone: running pgbench as a child
// process against a BenchCluster database and reading its figures, and probing what one durable
// commit costs right now. Used by ledger_hot_pool (the reservation baseline) and e2e_buy_bench
// (the reserve + settle baseline).

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "bench_cluster.hpp"

namespace gw::bench {

struct PgbenchRun {
    std::filesystem::path pgbench = "/usr/lib/postgresql/15/bin/pgbench";
    std::filesystem::path script;
    std::string database;  // of `cluster`; empty = the cluster's benchmark database
    int clients = 1;       // -c; -j is min(clients, 2): the machine has 2 cores
    double seconds = 1;    // -T, rounded to whole seconds (at least 1)
    std::vector<std::pair<std::string, std::string>> variables;  // -D name=value
    std::string application_name = "gw_bench_pgbench";
};

struct PgbenchResult {
    double tps = 0;              // "tps = … (without initial connection time)": script runs/s
    double processed = 0;        // script runs completed
    double latency_ms_mean = 0;  // "latency average", ms per script run
};

// Runs pgbench over the cluster's unix socket and returns its figures. Throws
// std::runtime_error (with pgbench's output) when it fails, reports a failed transaction, or
// prints no tps.
PgbenchResult run_pgbench(const BenchCluster& cluster, const PgbenchRun& run);

// The machine's cost of one durable commit right now: a one-row INSERT committed on its own
// (into bench_commit_probe, created when missing), repeated for `seconds`; median in ms. On our
// VM the disk's flush switches by itself between ≈0.15 ms and ≈4 ms (strace: fdatasync of the
// WAL) and every figure moves with it, so benchmarks print this probe with their tables.
double probe_commit_ms(const std::string& connection_string, double seconds);

}  // namespace gw::bench
