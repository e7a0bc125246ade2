// bench/e2e_buy_bench: buys end to end over HTTP against the real binaries. It starts a
// throwaway PostgreSQL cluster (fsync on), daraja-sim and `goldwallet serve`, makes an admin,
// one pool, prices and N KYC-verified users through the API, then per level of 1, 8, 32, 64
// concurrent clients runs closed-loop buys (quote → buy → simulator's callback → settled, which
// the client learns from GET /trade/{id} with "Prefer: wait=N") and, in the same run on a
// second database of the same cluster, pgbench running the seed's pseudocode of a buy (reserve + settle,
// bench/e2e_buy_baseline.sql). It prints settled buys/s and latency percentiles per level, the
// ratio to the baseline, a read-heavy mix (balance, ledger, price), and the ledger invariants
// checked afterwards. How to read the output: bench/README.md.
//
// Exit status: 0 after a complete run whatever the figures (benchmarks gate nothing), 1 on any
// error (a buy that failed or did not settle, an unexpected HTTP answer, an invariant
// violation, a child that would not start), 2 on bad arguments, 130 when interrupted.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <pqxx/pqxx>
#include <unistd.h>

#include "bench_cluster.hpp"
#include "db/embedded_migrations.hpp"
#include "db/migrate.hpp"
#include "db/process.hpp"
#include "e2e_load.hpp"
#include "e2e_observe.hpp"
#include "e2e_report.hpp"
#include "e2e_stack.hpp"
#include "ledger/invariants.hpp"
#include "pgbench_run.hpp"

#ifndef GW_BENCH_E2E_BASELINE_SCRIPT
#define GW_BENCH_E2E_BASELINE_SCRIPT "bench/e2e_buy_baseline.sql"
#endif
#ifndef GW_BENCH_GOLDWALLET
#define GW_BENCH_GOLDWALLET "build/goldwallet"
#endif
#ifndef GW_BENCH_DARAJA_SIM
#define GW_BENCH_DARAJA_SIM "build/daraja-sim"
#endif

namespace {

namespace fs = std::filesystem;
using gw::bench::BuyLevelResult;
using gw::bench::ReadMixResult;
using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view kBaselineDatabase = "goldwallet_baseline";
constexpr int kBaselineUsers = 1000;
constexpr std::int64_t kBaselineAmountUg = 11'764;  // ≈ KES 100 at KES 8,500/g, like the HTTP buys

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int /*signal*/) {
    g_interrupted.store(true);
}

gw::bench::StackOptions default_stack() {
    gw::bench::StackOptions stack;
    stack.goldwallet = GW_BENCH_GOLDWALLET;
    stack.daraja_sim = GW_BENCH_DARAJA_SIM;
    return stack;
}

struct Options {
    gw::bench::LoadWindow window;
    std::vector<int> levels = {1, 8, 32, 64};
    int read_clients = 32;
    std::chrono::seconds wait_per_request{10};
    gw::bench::StackOptions stack = default_stack();
    fs::path pgbench = "/usr/lib/postgresql/15/bin/pgbench";
    fs::path script = GW_BENCH_E2E_BASELINE_SCRIPT;
    bool run_pgbench = true;
    bool help = false;
    std::vector<std::string> extra_server_options;  // diagnosis only, e.g. synchronous_commit=off
};

void usage(FILE* out) {
    std::fprintf(
        out,
        "usage: e2e_buy_bench [--quick] [--seconds S] [--warmup S] [--levels 1,8,32,64]\n"
        "                     [--read-clients N] [--wait-s S]\n"
        "                     [--callback-delay-ms MS] [--callback-threads N]\n"
        "                     [--http-threads N] [--db-pool N] [--outbox-workers N]\n"
        "                     [--outbox-poll-ms MS] [--log-level L] [--goldwallet PATH]\n"
        "                     [--daraja-sim PATH] [--pgbench PATH] [--script PATH] [--no-pgbench]\n"
        "                     [--server-option name=value]... [--keep]\n"
        "  --quick: 3 s per level after a 1 s warm-up (defaults: 10 s after 2 s).\n"
        "  --server-option: a PostgreSQL setting for diagnosis (the output says the figures are\n"
        "  then not the measured configuration).\n"
        "  --keep: keep the server's and the simulator's logs (the path is printed).\n");
}

std::vector<int> parse_levels(const std::string& text) {
    std::vector<int> levels;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        const int value = std::stoi(item);
        if (value < 1 || value > 128) {
            throw std::invalid_argument("levels must be 1..128");
        }
        levels.push_back(value);
    }
    return levels;
}

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
            options.window = {.warmup_seconds = 1, .seconds = 3};
        } else if (arg == "--seconds") {
            options.window.seconds = std::stod(value());
        } else if (arg == "--warmup") {
            options.window.warmup_seconds = std::stod(value());
        } else if (arg == "--levels") {
            options.levels = parse_levels(value());
        } else if (arg == "--read-clients") {
            options.read_clients = parse_levels(value()).at(0);
        } else if (arg == "--wait-s") {
            options.wait_per_request = std::chrono::seconds(std::stoi(value()));
        } else if (arg == "--callback-delay-ms") {
            options.stack.callback_delay_ms = std::stoi(value());
        } else if (arg == "--callback-threads") {
            options.stack.callback_threads = std::stoi(value());
        } else if (arg == "--http-threads") {
            options.stack.http_threads = std::stoi(value());
        } else if (arg == "--db-pool") {
            options.stack.db_pool_size = std::stoi(value());
        } else if (arg == "--outbox-workers") {
            options.stack.outbox_workers = std::stoi(value());
        } else if (arg == "--outbox-poll-ms") {
            options.stack.outbox_poll_ms = std::stoi(value());
        } else if (arg == "--log-level") {
            options.stack.log_level = value();
        } else if (arg == "--goldwallet") {
            options.stack.goldwallet = value();
        } else if (arg == "--daraja-sim") {
            options.stack.daraja_sim = value();
        } else if (arg == "--pgbench") {
            options.pgbench = value();
        } else if (arg == "--script") {
            options.script = value();
        } else if (arg == "--server-option") {
            options.extra_server_options.push_back(value());
        } else if (arg == "--keep") {
            options.stack.keep_dir = true;
        } else if (arg == "--no-pgbench") {
            options.run_pgbench = false;
        } else if (arg == "--help" || arg == "-h") {
            options.help = true;
        } else {
            throw std::invalid_argument("unknown argument " + std::string(arg));
        }
    }
    return options;
}

// ---------------------------------------------------------------------------------------------
// The baseline database: vault:external → one pool (no overdraft) → kBaselineUsers users, made
// by SQL in a second database of the cluster, migrated like the server's.

struct BaselineAccounts {
    std::int64_t pool = 0;
    std::int64_t user_lo = 0;
    std::int64_t user_hi = 0;
};

BaselineAccounts make_baseline(const gw::bench::BenchCluster& cluster) {
    {
        pqxx::connection admin(cluster.connection_string());
        pqxx::nontransaction create(admin);
        create.exec0("CREATE DATABASE " + std::string(kBaselineDatabase));
    }
    pqxx::connection connection(cluster.connection_string(std::string(kBaselineDatabase)));
    const auto migrated = gw::db::migrate(connection, gw::db::embedded_migration_files());
    if (!migrated) {
        throw std::runtime_error("migrating the baseline database: " + migrated.error().detail);
    }
    pqxx::work tx(connection);
    constexpr std::int64_t kFundingUg = 1'000'000'000'000'000;  // never runs dry
    const auto row = tx.exec_params1(
        "WITH pool AS (SELECT gen_random_uuid() AS id), "
        "vault AS (INSERT INTO accounts (code, asset, debits_posted, created_at) "
        "  VALUES ('vault:external', 'XAU_UG', $1, now()) RETURNING id), "
        "account AS (INSERT INTO accounts (code, asset, pool_id, flags, credits_posted, "
        "  created_at) SELECT 'pool:' || id, 'XAU_UG', id, 1, $1, now() FROM pool RETURNING id, "
        "  pool_id), "
        "lot AS (INSERT INTO gold_pools (id, name, purity_tenths, account_id, created_at) "
        "  SELECT pool_id, 'baseline pool', 9999, id, now() FROM account), "
        "funded AS (INSERT INTO transfers (id, debit_account_id, credit_account_id, amount, "
        "  kind, created_at) SELECT gen_random_uuid(), vault.id, account.id, $1, 'pool.create', "
        "  now() FROM vault, account) "
        "SELECT account.id, account.pool_id FROM account",
        kFundingUg);
    BaselineAccounts accounts;
    accounts.pool = row[0].as<std::int64_t>();
    const auto users = tx.exec_params(
        "INSERT INTO accounts (code, asset, pool_id, created_at) "
        "SELECT 'user:baseline-' || n || ':pool:' || $1, 'XAU_UG', $1::uuid, now() "
        "FROM generate_series(1, $2) AS n RETURNING id",
        row[1].as<std::string>(),
        kBaselineUsers);
    accounts.user_lo = users.front()[0].as<std::int64_t>();
    accounts.user_hi = users.back()[0].as<std::int64_t>();
    tx.commit();
    if (accounts.user_hi - accounts.user_lo + 1 != kBaselineUsers) {
        throw std::runtime_error("baseline user account ids are not contiguous");
    }
    return accounts;
}

gw::bench::PgbenchResult run_baseline(const Options& options,
                                      const gw::bench::BenchCluster& cluster,
                                      const BaselineAccounts& accounts,
                                      int clients,
                                      double seconds) {
    gw::bench::PgbenchRun run;
    run.pgbench = options.pgbench;
    run.script = options.script;
    run.database = std::string(kBaselineDatabase);
    run.clients = clients;
    run.seconds = seconds;
    run.variables = {{"pool", std::to_string(accounts.pool)},
                     {"user_lo", std::to_string(accounts.user_lo)},
                     {"user_hi", std::to_string(accounts.user_hi)},
                     {"amount", std::to_string(kBaselineAmountUg)}};
    run.application_name = "e2e_buy_bench_pgbench";
    return gw::bench::run_pgbench(cluster, run);
}

// ---------------------------------------------------------------------------------------------
// The run

struct AfterCheck {
    std::map<std::string, std::int64_t> trades_by_status;
    std::int64_t open_trades = 0;
    std::vector<std::string> violations;  // ledger::check_invariants
    std::string metric_line;              // goldwallet_invariant_violations_total, as served
    std::vector<std::string> baseline_violations;  // the pgbench database's ledger
};

// Every violated ledger invariant, or, with `double_entry_only`, only those of the double entry
// (asset balanced, counters match transfers, no overdraft, pending resolved once). The baseline
// database needs the latter: its user accounts belong to no users row, and the pool_total and
// gold_held checks count users' grams by owner, so they would call its grams missing.
std::vector<std::string> violations_of(pqxx::connection& connection, bool double_entry_only) {
    pqxx::work tx(connection);
    std::vector<std::string> found;
    for (const auto& violation : gw::ledger::check_invariants(tx)) {
        if (double_entry_only &&
            (violation.invariant == "pool_total" || violation.invariant == "gold_held")) {
            continue;
        }
        found.push_back(violation.invariant + ": " + violation.detail);
    }
    tx.commit();
    return found;
}

// Waits (up to a minute) for the trades still open to settle, then checks the ledger's
// invariants on one snapshot (ledger::check_invariants, what `goldwallet check`, reconciliation
// and the tests use) and reads the server's violation counter.
AfterCheck check_after(const gw::bench::BenchCluster& cluster, const gw::bench::E2eStack& stack) {
    pqxx::connection connection(cluster.connection_string());
    AfterCheck check;
    for (int i = 0; i < 600; ++i) {
        pqxx::nontransaction read(connection);
        check.open_trades = read.exec1("SELECT count(*) FROM open_trades")[0].as<std::int64_t>();
        if (check.open_trades == 0) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    {
        pqxx::nontransaction read(connection);
        for (const auto& row : read.exec("SELECT status, count(*) FROM trade_status GROUP BY 1")) {
            check.trades_by_status[row[0].as<std::string>()] = row[1].as<std::int64_t>();
        }
    }
    check.violations = violations_of(connection, false);
    pqxx::connection baseline(cluster.connection_string(std::string(kBaselineDatabase)));
    check.baseline_violations = violations_of(baseline, true);
    auto http = stack.client();
    const gw::bench::Reply metrics = gw::bench::call(*http, "GET", "/metrics", nullptr);
    std::istringstream lines(metrics.raw);
    std::string line;
    check.metric_line = "goldwallet_invariant_violations_total absent (0)";
    while (std::getline(lines, line)) {
        if (line.starts_with("goldwallet_invariant_violations_total")) {
            check.metric_line = line;
        }
    }
    return check;
}

bool metric_is_zero(const std::string& line) {
    const auto space = line.rfind(' ');
    return line.find("absent") != std::string::npos ||
           (space != std::string::npos && std::stod(line.substr(space + 1)) == 0);
}

// Everything the levels and the read mix need, started and prepared once.
struct Bench {
    explicit Bench(const Options& options)
        : cluster(cluster_options(options)),
          baseline(make_baseline(cluster)),
          stack(stack_options(options, cluster)) {
        stack.prepare_trading("1000000", "8500", "8000");
        users = stack.make_verified_users(std::max(
            options.read_clients, *std::max_element(options.levels.begin(), options.levels.end())));
    }

    static gw::bench::BenchClusterOptions cluster_options(const Options& options) {
        gw::bench::BenchClusterOptions made;
        for (const std::string& option : options.extra_server_options) {
            std::printf("NOT the measured configuration: server option %s\n", option.c_str());
            made.server_options.push_back(option);
        }
        return made;
    }

    static gw::bench::StackOptions stack_options(const Options& options,
                                                 const gw::bench::BenchCluster& cluster) {
        gw::bench::StackOptions made = options.stack;
        made.database_url = cluster.connection_string();
        return made;
    }

    gw::bench::BenchCluster cluster;
    BaselineAccounts baseline;
    gw::bench::E2eStack stack;
    std::vector<gw::bench::BenchUser> users;
};

// Each measured window starts on a settled cluster: the HTTP levels and pgbench share it.
void settle(const Options& options, const gw::bench::BenchCluster& cluster) {
    std::vector<std::string> databases{cluster.database()};
    if (options.run_pgbench) {
        databases.emplace_back(kBaselineDatabase);
    }
    cluster.settle(databases);
}

gw::bench::LevelReport measure_level(const Options& options,
                                     const Bench& bench,
                                     const gw::bench::Observer& observer,
                                     std::atomic<std::uint64_t>& phone_sequence,
                                     int clients) {
    gw::bench::LevelReport level;
    settle(options, bench.cluster);
    level.commit_ms = gw::bench::probe_commit_ms(bench.cluster.connection_string(), 0.2);
    const gw::bench::BuyLoad load{.clients = clients,
                                  .window = options.window,
                                  .wait_per_request = options.wait_per_request};
    // The observed window is the measured one: sampled by a thread that sleeps through the
    // warm-up.
    gw::bench::ObserveSample from;
    gw::bench::ObserveSample to;
    std::thread sampler([&] {
        std::this_thread::sleep_for(std::chrono::duration<double>(options.window.warmup_seconds));
        from = observer.sample();
        std::this_thread::sleep_for(std::chrono::duration<double>(options.window.seconds));
        to = observer.sample();
    });
    level.http =
        gw::bench::run_buy_level(bench.stack, bench.users, load, phone_sequence, g_interrupted);
    sampler.join();
    level.observed = observer.between(from, to);
    if (options.run_pgbench && !g_interrupted.load()) {
        settle(options, bench.cluster);
        run_baseline(options, bench.cluster, bench.baseline, clients, 1);  // warm-up, discarded
        level.pgbench =
            run_baseline(options, bench.cluster, bench.baseline, clients, options.window.seconds);
    }
    return level;
}

void check_inputs(const Options& options) {
    for (const fs::path& needed : {options.stack.goldwallet, options.stack.daraja_sim}) {
        if (!fs::exists(needed)) {
            throw std::runtime_error("not found: " + needed.string() + " (build it first)");
        }
    }
    if (options.run_pgbench && !fs::exists(options.script)) {
        throw std::runtime_error("pgbench script not found: " + options.script.string());
    }
}

void print_setup(const Options& options,
                 const gw::bench::BenchCluster& cluster,
                 const gw::bench::E2eStack& stack,
                 std::size_t users,
                 double setup_seconds) {
    std::printf(
        "e2e_buy_bench: fsync=on cluster %s; goldwallet serve on :%d (HTTP threads %d, DB pool "
        "%d, outbox workers %d polling every %d ms and woken by commits), daraja-sim callback "
        "delay %d ms on %d threads; one pool, "
        "%zu verified users; buys of KES 50-499 by quote, settled learnt by GET /trade/{id} with "
        "Prefer: wait=%" PRId64 "; %.0f s per level after %.0f s warm-up; setup took "
        "%.1f s\n",
        cluster.root_dir().c_str(),
        stack.port(),
        options.stack.http_threads,
        options.stack.db_pool_size,
        options.stack.outbox_workers,
        options.stack.outbox_poll_ms,
        options.stack.callback_delay_ms,
        options.stack.callback_threads,
        users,
        static_cast<std::int64_t>(options.wait_per_request.count()),
        options.window.seconds,
        options.window.warmup_seconds,
        setup_seconds);
    std::fflush(stdout);
}

// Prints the after-run check and returns what in it is an error of the run.
std::vector<std::string> report_after(const AfterCheck& after) {
    std::printf("\nafter the run: trades");
    for (const auto& [status, count] : after.trades_by_status) {
        std::printf(" %s=%" PRId64, status.c_str(), count);
    }
    std::printf(", still open %" PRId64 "; ledger invariants: %zu violations; server: %s\n",
                after.open_trades,
                after.violations.size(),
                after.metric_line.c_str());
    std::printf("pgbench baseline database's double-entry invariants: %zu violations\n",
                after.baseline_violations.size());
    std::vector<std::string> errors;
    for (const std::string& violation : after.violations) {
        errors.push_back("invariant " + violation);
    }
    for (const std::string& violation : after.baseline_violations) {
        errors.push_back("baseline invariant (e2e_buy_baseline.sql is wrong) " + violation);
    }
    if (!metric_is_zero(after.metric_line)) {
        errors.push_back("the server counted invariant violations: " + after.metric_line);
    }
    if (after.open_trades != 0) {
        errors.push_back(std::to_string(after.open_trades) + " trades still open a minute later");
    }
    return errors;
}

int run(const Options& options) {
    const auto started = SteadyClock::now();
    const auto elapsed = [&] {
        return std::chrono::duration<double>(SteadyClock::now() - started).count();
    };
    check_inputs(options);
    Bench bench(options);
    print_setup(options, bench.cluster, bench.stack, bench.users.size(), elapsed());
    const gw::bench::Observer observer(bench.stack.server_pid(),
                                       bench.stack.sim_pid(),
                                       bench.cluster.root_dir() / "data",
                                       bench.cluster.connection_string(),
                                       bench.stack.server_log());
    std::atomic<std::uint64_t> phone_sequence{0};
    std::vector<gw::bench::LevelReport> levels;
    std::vector<std::string> errors;
    for (const int clients : options.levels) {
        if (g_interrupted.load()) {
            break;
        }
        levels.push_back(measure_level(options, bench, observer, phone_sequence, clients));
        for (const std::string& error : levels.back().http.errors) {
            errors.push_back(std::to_string(clients) + " clients: " + error);
        }
        std::printf("  %d clients: %.1f settled buys/s, pgbench %.1f buys/s (%.0f s elapsed)\n",
                    clients,
                    levels.back().http.per_second(),
                    levels.back().pgbench.tps,
                    elapsed());
        std::fflush(stdout);
    }
    if (!g_interrupted.load()) {
        settle(options, bench.cluster);
    }
    const ReadMixResult mix =
        g_interrupted.load()
            ? ReadMixResult{}
            : gw::bench::run_read_mix(
                  bench.stack, bench.users, options.read_clients, options.window, g_interrupted);
    if (g_interrupted.load()) {
        std::fprintf(stderr, "e2e_buy_bench: interrupted\n");
        return 130;
    }
    for (const std::string& error : mix.errors) {
        errors.push_back("read mix: " + error);
    }
    const AfterCheck after = check_after(bench.cluster, bench.stack);
    gw::bench::print_levels(levels, options.run_pgbench);
    gw::bench::print_read_mix(mix);
    for (std::string& error : report_after(after)) {
        errors.push_back(std::move(error));
    }
    std::printf("total %.0f s\n", elapsed());
    for (const std::string& error : errors) {
        std::fprintf(stderr, "e2e_buy_bench: error: %s\n", error.c_str());
    }
    return errors.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    try {
        options = parse_options(argc, argv);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "e2e_buy_bench: %s\n", error.what());
        usage(stderr);
        return 2;
    }
    if (options.help) {
        usage(stdout);
        return 0;
    }
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    std::signal(SIGPIPE, SIG_IGN);
    try {
        return run(options);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "e2e_buy_bench: error: %s\n", error.what());
        return 1;
    }
}
