// Options parsing and the printed report of bench/ledger_hot_pool.

#include "hot_pool_report.hpp"

#include <cstdlib>
#include <stdexcept>

namespace gw::bench {

void usage(FILE* out) {
    std::fprintf(out,
                 "usage: ledger_hot_pool [--quick] [--seconds S] [--warmup S] [--reps N]\n"
                 "                       [--callers 1,8,32,64] [--users N] [--wait-us US]\n"
                 "                       [--batch-max N] [--pgbench PATH] [--script PATH]\n"
                 "                       [--no-pgbench] [--server-option name=value]...\n"
                 "  --quick: 0.5 s repetitions, 0.3 s warm-up, 3 repetitions (a smoke run; the\n"
                 "           figures are noisier). Defaults: 2 s, 1 s, 5.\n");
}

namespace {

std::vector<int> parse_callers(const std::string& text) {
    std::vector<int> callers;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = std::min(text.find(',', start), text.size());
        const int value = std::stoi(text.substr(start, comma - start));
        if (value < 1 || value > 150) {
            throw std::invalid_argument("callers must be 1..150");
        }
        callers.push_back(value);
        start = comma + 1;
    }
    return callers;
}

}  // namespace

Options parse_options(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                throw std::invalid_argument(std::string(arg) + " needs a value");
            }
            return argv[++i];
        };
        if (arg == "--quick") {
            options.seconds = 0.5;
            options.warmup_seconds = 0.3;
            options.reps = 3;
        } else if (arg == "--seconds") {
            options.seconds = std::stod(value());
        } else if (arg == "--warmup") {
            options.warmup_seconds = std::stod(value());
        } else if (arg == "--reps") {
            options.reps = std::stoi(value());
        } else if (arg == "--callers") {
            options.callers = parse_callers(value());
        } else if (arg == "--users") {
            options.users = std::stoi(value());
        } else if (arg == "--wait-us") {
            options.batching.batch_wait_us_max = std::chrono::microseconds(std::stol(value()));
        } else if (arg == "--batch-max") {
            options.batching.batch_transfers_max = std::stoul(value());
        } else if (arg == "--pgbench") {
            options.pgbench = value();
        } else if (arg == "--script") {
            options.script = value();
        } else if (arg == "--server-option") {
            options.extra_server_options.push_back(value());
        } else if (arg == "--no-pgbench") {
            options.run_pgbench = false;
        } else if (arg == "--help" || arg == "-h") {
            options.help = true;
        } else {
            throw std::invalid_argument("unknown argument " + std::string(arg));
        }
    }
    if (options.seconds <= 0 || options.warmup_seconds < 0 || options.reps < 1 ||
        options.users < 1 || options.batching.batch_transfers_max < 1) {
        throw std::invalid_argument("durations, reps, users and batch-max must be positive");
    }
    return options;
}

// ---------------------------------------------------------------------------------------------
// Statistics

// Nearest-rank percentile of `values` (sorted here), p in (0, 100].
double ratio(double numerator, double denominator) {
    return denominator > 0 ? numerator / denominator : 0;
}

void print_table(const Options& options, const std::vector<Row>& rows) {
    std::printf(
        "\nreservations/s on ONE pool: median [p99 = worst repetition] of %d × %.1f s; "
        "latency per reservation p50/p99 in ms\n",
        options.reps,
        options.seconds);
    std::printf("%7s | %-30s | %-30s | %-16s | %9s | %9s\n",
                "callers",
                "batching/s [p99]  lat p50/p99",
                "per-request/s [p99]  lat p50/p99",
                "pgbench tps [p99]",
                "batch÷req",
                "batch÷pgb");
    std::printf("%s\n", std::string(124, '-').c_str());
    for (const Row& row : rows) {
        char batching[64];
        char per_request[64];
        char pgbench[64];
        std::snprintf(batching,
                      sizeof batching,
                      "%7.0f [%6.0f] %5.2f/%6.2f",
                      row.batching.median(),
                      row.batching.worst(),
                      row.batching.latency_ms(50),
                      row.batching.latency_ms(99));
        std::snprintf(per_request,
                      sizeof per_request,
                      "%7.0f [%6.0f] %5.2f/%6.2f",
                      row.per_request.median(),
                      row.per_request.worst(),
                      row.per_request.latency_ms(50),
                      row.per_request.latency_ms(99));
        std::snprintf(
            pgbench, sizeof pgbench, "%6.0f [%6.0f]", row.pgbench.median(), row.pgbench.worst());
        std::printf("%7d | %-30s | %-30s | %-16s | %8.1f× | %8.1f×\n",
                    row.callers,
                    batching,
                    per_request,
                    options.run_pgbench ? pgbench : "(skipped)",
                    ratio(row.batching.median(), row.per_request.median()),
                    ratio(row.batching.median(), row.pgbench.median()));
    }
}

void print_detail(const std::vector<Row>& rows) {
    std::printf("\ndetail: %7s | %-20s | %-16s | %-19s | %s\n",
                "callers",
                "reservations per txn",
                "writer sleeps/txn",
                "pgbench mean lat ms",
                "one durable commit ms: p50 [min–max] of the probes");
    for (const Row& row : rows) {
        std::printf("        %7d | batch %5.1f, req %3.1f | %16.1f | %19.2f | %.2f [%.2f–%.2f]\n",
                    row.callers,
                    row.batching.mean_batch(),
                    row.per_request.mean_batch(),
                    row.batching.writer_switches_per_transaction(),
                    row.pgbench.pgbench_latency_ms(),
                    percentile(row.commit_ms, 50),
                    percentile(row.commit_ms, 1),
                    percentile(row.commit_ms, 100));
    }
}

void print_ratio_line(const std::vector<Row>& rows) {
    const auto at32 =
        std::find_if(rows.begin(), rows.end(), [](const Row& row) { return row.callers == 32; });
    if (at32 == rows.end()) {
        std::printf("\n32-caller ratio: not measured (no 32 in --callers)\n");
        return;
    }
    std::printf(
        "\n32-caller ratio: batching ÷ per-request = %.1f× (floor 10×, aim ≈20×); "
        "batching ÷ pgbench = %.1f×\n",
        ratio(at32->batching.median(), at32->per_request.median()),
        ratio(at32->batching.median(), at32->pgbench.median()));
}

}  // namespace gw::bench
