#pragma once

// The hot-pool benchmark's options, per-repetition statistics and report (ledger_hot_pool.cpp
// runs the measurements). Split out to keep each file to one responsibility.

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "ledger/batch_writer.hpp"

namespace gw::bench {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Options

struct Options {
    double seconds = 2.0;         // per measured repetition
    double warmup_seconds = 1.0;  // one warm-up per (mode, callers), discarded
    int reps = 5;
    std::vector<int> callers = {1, 8, 32, 64};
    int users = 1000;
    // The writer as shipped (200 µs window, 1024 transfers); see README "Writer settings".
    gw::ledger::WriterSettings batching{};
    fs::path pgbench = "/usr/lib/postgresql/15/bin/pgbench";
    fs::path script = GW_BENCH_PGBENCH_SCRIPT;
    bool run_pgbench = true;
    bool help = false;
    std::vector<std::string> extra_server_options;  // diagnosis only, e.g. synchronous_commit=off
};

template <typename T>
T percentile(std::vector<T> values, double p) {
    if (values.empty()) {
        return T{};
    }
    std::sort(values.begin(), values.end());
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    rank = std::clamp<std::size_t>(rank, 1, values.size());
    return values[rank - 1];
}

struct Rep {
    double per_second = 0;
    std::uint64_t done = 0;
    std::uint64_t transactions = 0;     // writer modes: database transactions used
    std::uint64_t writer_switches = 0;  // batching: the writer thread's voluntary context switches
    double pgbench_latency_ms = 0;      // pgbench: its "latency average"
};

struct Cell {
    std::vector<Rep> reps;
    std::vector<std::int64_t> latencies_ns;  // writer modes: every measured reservation

    double median() const { return percentile(per_second(), 50); }
    // The slow-side p99 of the repetitions' throughput (the worst one while reps < 100).
    double worst() const { return percentile(per_second(), 1); }
    double latency_ms(double p) const {
        return static_cast<double>(percentile(latencies_ns, p)) / 1e6;
    }
    double mean_batch() const {
        std::uint64_t done = 0;
        std::uint64_t transactions = 0;
        for (const Rep& rep : reps) {
            done += rep.done;
            transactions += rep.transactions;
        }
        return transactions == 0 ? 0
                                 : static_cast<double>(done) / static_cast<double>(transactions);
    }
    // Times the writer thread went to sleep per transaction: ≈ 2 waits in take_batch + one per
    // round trip (7) when submitters do not wake it; every extra one is a wake-up for nothing.
    double writer_switches_per_transaction() const {
        std::uint64_t switches = 0;
        std::uint64_t transactions = 0;
        for (const Rep& rep : reps) {
            switches += rep.writer_switches;
            transactions += rep.transactions;
        }
        return transactions == 0
                   ? 0
                   : static_cast<double>(switches) / static_cast<double>(transactions);
    }
    double pgbench_latency_ms() const {
        std::vector<double> values;
        for (const Rep& rep : reps) {
            values.push_back(rep.pgbench_latency_ms);
        }
        return percentile(values, 50);
    }
    std::vector<double> per_second() const {
        std::vector<double> values;
        for (const Rep& rep : reps) {
            values.push_back(rep.per_second);
        }
        return values;
    }
};

struct Row {
    int callers = 0;
    std::vector<double> commit_ms;  // probe_commit_ms before each repetition
    Cell batching;
    Cell per_request;
    Cell pgbench;
};

// Prints how to call the benchmark.
void usage(FILE* out);

// Parses the command line; exits with usage on --help or an unknown flag.
Options parse_options(int argc, char** argv);

void print_table(const Options& options, const std::vector<Row>& rows);
void print_detail(const std::vector<Row>& rows);
void print_ratio_line(const std::vector<Row>& rows);

}  // namespace gw::bench
