// bench/ledger_hot_pool: reservations per second on ONE gold pool (a pending transfer
// pool → user of 1 g, the first step of every buy), at 1, 8, 32 and 64 concurrent callers, in
// three modes measured in the same run against the same database:
//   batching     LedgerWriter with batching on: one transaction (one pool-row lock, one WAL
//                flush) for every reservation queued while the previous batch committed;
//   per-request  LedgerWriter with batching off: one transaction per reservation (the seed's
//                SELECT … FOR UPDATE pattern, through the same apply code);
//   pgbench      the seed's pseudocode transaction as SQL (bench/ledger_hot_pool.sql) run by
//                pgbench over the cluster's unix socket: the external baseline.
// The cluster is a throwaway one with fsync and synchronous_commit on (the defaults). Each
// (mode, callers) cell runs one warm-up and then --reps repetitions of --seconds each; the
// repetitions of the three modes are interleaved so drift (table growth, checkpoints) hits all
// of them alike. How to read the output: bench/README.md.
//
// Exit status: 0 after a complete run whatever the ratio (benchmarks gate nothing), 1 on any
// error (a reservation that did not come back ok, a database or pgbench failure), 2 on bad
// arguments, 130 when interrupted.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <latch>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <pqxx/pqxx>
#include <sys/types.h>

#include "bench_cluster.hpp"
#include "core/clock.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "hot_pool_report.hpp"
#include "ledger/batch_writer.hpp"
#include "ledger/ledger_store.hpp"
#include "pgbench_run.hpp"

#ifndef GW_BENCH_PGBENCH_SCRIPT
#define GW_BENCH_PGBENCH_SCRIPT "bench/ledger_hot_pool.sql"
#endif

namespace {

using namespace gw::bench;  // NOLINT(google-build-using-namespace): the benchmark's own types
using gw::ledger::AccountId;
using SteadyClock = std::chrono::steady_clock;

constexpr std::int64_t kReservationUg = 1'000'000;              // 1 g
constexpr std::int64_t kPoolFundingUg = 1'000'000'000'000'000;  // 10^15 µg = 10^9 reservations
constexpr std::int64_t kPoolRefillBelowUg = kPoolFundingUg / 10;
constexpr std::chrono::minutes kReservationTimeout{15};

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int /*signal*/) {
    g_interrupted.store(true);
}

struct Interrupted : std::runtime_error {
    Interrupted() : std::runtime_error("interrupted") {}
};

// ---------------------------------------------------------------------------------------------
// The accounts: vault:external → ONE pool (no overdraft) → N users.

struct Accounts {
    AccountId vault = 0;
    AccountId pool = 0;
    AccountId user_lo = 0;  // users are user_lo..user_hi, contiguous
    AccountId user_hi = 0;
};

// Counts now() calls: the ledger writer reads the clock once per database transaction
// (attempt), which tells how many reservations each batch carried.
class CountingClock final : public gw::Clock {
public:
    gw::TimePoint now() const override {
        calls_.fetch_add(1, std::memory_order_relaxed);
        return system_.now();
    }
    std::uint64_t calls() const { return calls_.load(); }

private:
    gw::SystemClock system_;
    mutable std::atomic<std::uint64_t> calls_{0};
};

std::string random_uuid(std::mt19937_64& rng) {
    const std::uint64_t hi = (rng() & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // v4
    const std::uint64_t lo = (rng() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant
    char text[37];
    std::snprintf(text,
                  sizeof text,
                  "%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%012" PRIx64,
                  hi >> 32,
                  (hi >> 16) & 0xffffU,
                  hi & 0xffffU,
                  lo >> 48,
                  lo & std::uint64_t{0xffffffffffff});
    return text;
}

void fund_pool(gw::ledger::LedgerWriter& writer, const Accounts& accounts, std::mt19937_64& rng) {
    gw::ledger::TransferRequest topup;
    topup.id = random_uuid(rng);
    topup.debit_account = accounts.vault;
    topup.credit_account = accounts.pool;
    topup.amount = kPoolFundingUg;
    topup.type = gw::ledger::TransferType::single_phase;
    topup.kind = "pool.topup";
    const auto results = writer.submit(gw::ledger::Submission{{topup}, true});
    if (results.size() != 1 || results[0] != gw::ledger::TransferResult::ok) {
        throw std::runtime_error("funding the pool failed: " +
                                 std::string(gw::ledger::to_string(results.at(0))));
    }
}

Accounts create_accounts(gw::db::ConnectionPool& pool, int users, std::mt19937_64& rng) {
    const gw::SystemClock clock;
    const std::string pool_uuid = random_uuid(rng);
    return gw::db::with_transaction(pool, "bench.setup", [&](pqxx::work& tx) {
        const auto account =
            [](std::string code, std::uint32_t flags, std::optional<std::string> pool_id) {
                gw::ledger::NewAccount made;
                made.code = std::move(code);
                made.flags = flags;
                made.pool_id = std::move(pool_id);
                return made;
            };
        const auto now = clock.now();
        Accounts accounts;
        accounts.vault = ensure_account(tx, account("vault:external", 0, std::nullopt), now);
        accounts.pool = ensure_account(
            tx,
            account("pool:" + pool_uuid, gw::ledger::kDebitsMustNotExceedCredits, pool_uuid),
            now);
        tx.exec_params(
            "INSERT INTO gold_pools (id, name, purity_tenths, account_id, created_at) "
            "VALUES ($1::uuid, 'bench hot pool', 9999, $2, now())",
            pool_uuid,
            accounts.pool);
        for (int i = 0; i < users; ++i) {
            const AccountId id = ensure_account(
                tx,
                account("user:bench-" + std::to_string(i) + ":pool:" + pool_uuid, 0, pool_uuid),
                now);
            accounts.user_lo = i == 0 ? id : accounts.user_lo;
            accounts.user_hi = id;
        }
        tx.exec0(
            "CREATE TABLE bench_commit_probe (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
            "at timestamptz NOT NULL DEFAULT now())");
        if (accounts.user_hi - accounts.user_lo + 1 != users) {
            throw std::runtime_error("user account ids are not contiguous");
        }
        return accounts;
    });
}

// Tops the pool up when a long run has reserved a tenth of its gold (never, at these rates).
void refill_if_low(gw::db::ConnectionPool& pool,
                   gw::ledger::LedgerWriter& writer,
                   const Accounts& accounts,
                   std::mt19937_64& rng) {
    const auto state = gw::db::with_transaction(pool, "bench.read_pool", [&](pqxx::work& tx) {
        return gw::ledger::read_account(tx, accounts.pool);
    });
    if (!state) {
        throw std::runtime_error("the pool account vanished");
    }
    const auto& balance = state->balance;
    if (balance.credits_posted - balance.debits_posted - balance.debits_pending <
        kPoolRefillBelowUg) {
        fund_pool(writer, accounts, rng);
    }
}

// The threads of this process (Linux: /proc/self/task), to find the writer thread.
std::set<pid_t> thread_ids() {
    std::set<pid_t> ids;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc/self/task", ec)) {
        ids.insert(static_cast<pid_t>(std::stol(entry.path().filename().string())));
    }
    return ids;
}

// voluntary_ctxt_switches of one thread of this process, 0 when unreadable (or tid 0).
std::uint64_t voluntary_switches(pid_t tid) {
    if (tid == 0) {
        return 0;
    }
    std::ifstream in(fs::path("/proc/self/task") / std::to_string(tid) / "status");
    std::string line;
    constexpr std::string_view kLabel = "voluntary_ctxt_switches:";
    while (std::getline(in, line)) {
        if (line.starts_with(kLabel)) {
            return std::stoull(line.substr(kLabel.size()));
        }
    }
    return 0;
}

// ---------------------------------------------------------------------------------------------
// Writer modes: `callers` threads, each submitting one reservation at a time until the deadline.

struct CallerTally {
    std::uint64_t done = 0;
    SteadyClock::time_point last_finish{};
    std::vector<std::int64_t> latencies_ns;
    std::string error;
};

void caller_loop(gw::ledger::LedgerWriter& writer,
                 const Accounts& accounts,
                 std::uint64_t seed,
                 const SteadyClock::time_point& deadline,
                 std::latch& ready,
                 std::latch& go,
                 CallerTally& tally) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<AccountId> user(accounts.user_lo, accounts.user_hi);
    const gw::SystemClock wall;
    ready.count_down();
    go.wait();
    try {
        while (SteadyClock::now() < deadline && !g_interrupted.load(std::memory_order_relaxed)) {
            gw::ledger::TransferRequest reserve;
            reserve.id = random_uuid(rng);
            reserve.debit_account = accounts.pool;
            reserve.credit_account = user(rng);
            reserve.amount = kReservationUg;
            reserve.type = gw::ledger::TransferType::pending;
            reserve.timeout_at = wall.now() + kReservationTimeout;
            reserve.kind = "bench.reserve";
            gw::ledger::Submission submission{{std::move(reserve)}, true};
            const auto started = SteadyClock::now();
            const auto results = writer.submit(std::move(submission));
            tally.last_finish = SteadyClock::now();
            tally.latencies_ns.push_back(
                std::chrono::duration_cast<std::chrono::nanoseconds>(tally.last_finish - started)
                    .count());
            if (results.size() != 1 || results[0] != gw::ledger::TransferResult::ok) {
                tally.error =
                    "reservation answered " +
                    std::string(results.empty() ? "nothing" : gw::ledger::to_string(results[0]));
                return;
            }
            ++tally.done;
        }
    } catch (const std::exception& error) {
        tally.error = error.what();
    }
}

Rep run_writer(gw::ledger::LedgerWriter& writer,
               const CountingClock& clock,
               const Accounts& accounts,
               int callers,
               double seconds,
               std::vector<std::int64_t>* latencies_ns,
               pid_t writer_tid = 0) {
    std::vector<CallerTally> tallies(static_cast<std::size_t>(callers));
    std::latch ready(callers);
    std::latch go(1);
    SteadyClock::time_point deadline{};
    static std::atomic<std::uint64_t> seeds{0x5eed};
    std::vector<std::thread> threads;
    threads.reserve(tallies.size());
    for (auto& tally : tallies) {
        threads.emplace_back(caller_loop,
                             std::ref(writer),
                             std::cref(accounts),
                             seeds++,
                             std::cref(deadline),
                             std::ref(ready),
                             std::ref(go),
                             std::ref(tally));
    }
    ready.wait();
    const std::uint64_t transactions_before = clock.calls();
    const std::uint64_t switches_before = voluntary_switches(writer_tid);
    const auto start = SteadyClock::now();
    deadline = start + std::chrono::duration_cast<SteadyClock::duration>(
                           std::chrono::duration<double>(seconds));
    go.count_down();  // publishes `deadline` to the callers
    for (auto& thread : threads) {
        thread.join();
    }
    Rep rep;
    rep.transactions = clock.calls() - transactions_before;
    rep.writer_switches = voluntary_switches(writer_tid) - switches_before;
    SteadyClock::time_point end = start;
    for (auto& tally : tallies) {
        if (!tally.error.empty()) {
            throw std::runtime_error("caller failed: " + tally.error);
        }
        rep.done += tally.done;
        end = std::max(end, tally.last_finish);
        if (latencies_ns != nullptr) {
            latencies_ns->insert(
                latencies_ns->end(), tally.latencies_ns.begin(), tally.latencies_ns.end());
        }
    }
    if (g_interrupted.load()) {
        throw Interrupted();
    }
    rep.per_second =
        static_cast<double>(rep.done) / std::chrono::duration<double>(end - start).count();
    return rep;
}

// ---------------------------------------------------------------------------------------------
// pgbench mode

Rep run_pgbench(const Options& options,
                const gw::bench::BenchCluster& cluster,
                const Accounts& accounts,
                int clients,
                double seconds) {
    PgbenchRun run;
    run.pgbench = options.pgbench;
    run.script = options.script;
    run.clients = clients;
    run.seconds = seconds;
    run.variables = {{"pool", std::to_string(accounts.pool)},
                     {"user_lo", std::to_string(accounts.user_lo)},
                     {"user_hi", std::to_string(accounts.user_hi)},
                     {"amount", std::to_string(kReservationUg)}};
    run.application_name = "ledger_hot_pool_pgbench";
    const PgbenchResult result = gw::bench::run_pgbench(cluster, run);
    if (g_interrupted.load()) {
        throw Interrupted();
    }
    Rep rep;
    rep.per_second = result.tps;
    rep.done = static_cast<std::uint64_t>(result.processed);
    rep.pgbench_latency_ms = result.latency_ms_mean;
    return rep;
}

// ---------------------------------------------------------------------------------------------
// The run

gw::db::Settings pool_settings(const std::string& connection_string, std::size_t size) {
    gw::db::Settings settings;
    settings.connection_string = connection_string;
    settings.pool_size = size;
    settings.acquire_timeout_ms = 30'000;
    settings.statement_timeout_ms = 30'000;
    return settings;
}

Row measure_callers(const Options& options,
                    const gw::bench::BenchCluster& cluster,
                    const Accounts& accounts,
                    int callers) {
    Row row;
    row.callers = callers;
    // Batching: the writer thread is the only user of its pool. Per-request: one connection
    // per caller, as a service sized for its concurrency would have.
    gw::db::ConnectionPool batching_pool(pool_settings(cluster.connection_string(), 2));
    gw::db::ConnectionPool per_request_pool(
        pool_settings(cluster.connection_string(), static_cast<std::size_t>(callers)));
    CountingClock batching_clock;
    CountingClock per_request_clock;
    const std::set<pid_t> threads_before = thread_ids();
    gw::ledger::LedgerWriter batching(batching_pool, batching_clock, options.batching);
    pid_t writer_tid = 0;  // the one thread the batching writer started
    for (const pid_t tid : thread_ids()) {
        writer_tid = threads_before.contains(tid) ? writer_tid : tid;
    }
    gw::ledger::WriterSettings per_request_settings = options.batching;
    per_request_settings.batching = false;
    gw::ledger::LedgerWriter per_request(per_request_pool, per_request_clock, per_request_settings);

    // Warm-up (discarded): opens the connections, fills caches and plans.
    run_writer(batching, batching_clock, accounts, callers, options.warmup_seconds, nullptr);
    run_writer(per_request, per_request_clock, accounts, callers, options.warmup_seconds, nullptr);
    if (options.run_pgbench) {
        run_pgbench(options, cluster, accounts, callers, options.warmup_seconds);
    }
    for (int rep = 0; rep < options.reps; ++rep) {
        row.commit_ms.push_back(probe_commit_ms(cluster.connection_string(), 0.15));
        row.batching.reps.push_back(run_writer(batching,
                                               batching_clock,
                                               accounts,
                                               callers,
                                               options.seconds,
                                               &row.batching.latencies_ns,
                                               writer_tid));
        row.per_request.reps.push_back(run_writer(per_request,
                                                  per_request_clock,
                                                  accounts,
                                                  callers,
                                                  options.seconds,
                                                  &row.per_request.latencies_ns));
        if (options.run_pgbench) {
            row.pgbench.reps.push_back(
                run_pgbench(options, cluster, accounts, callers, options.seconds));
        }
    }
    return row;
}

int run(const Options& options) {
    std::printf(
        "ledger_hot_pool: pending transfer pool → user (1 g) on ONE pool; fsync=on, "
        "synchronous_commit=on\nbatching writer: batch_wait_us_max=%lld µs, "
        "batch_transfers_max=%zu; %d users; pgbench script %s\n",
        static_cast<long long>(options.batching.batch_wait_us_max.count()),
        options.batching.batch_transfers_max,
        options.users,
        options.script.c_str());
    if (options.run_pgbench && !fs::exists(options.script)) {
        throw std::runtime_error("pgbench script not found: " + options.script.string());
    }
    const auto started = SteadyClock::now();
    gw::bench::BenchClusterOptions cluster_options;
    for (const std::string& option : options.extra_server_options) {
        std::printf("NOT the measured configuration: server option %s\n", option.c_str());
        cluster_options.server_options.push_back(option);
    }
    gw::bench::BenchCluster cluster(cluster_options);
    std::mt19937_64 rng(42);
    gw::db::ConnectionPool setup_pool(pool_settings(cluster.connection_string(), 1));
    const gw::SystemClock clock;
    gw::ledger::LedgerWriter setup_writer(
        setup_pool, clock, gw::ledger::WriterSettings{.batching = false});
    const Accounts accounts = create_accounts(setup_pool, options.users, rng);
    fund_pool(setup_writer, accounts, rng);
    std::printf("cluster %s ready in %.1f s; measuring %zu caller counts\n",
                cluster.root_dir().c_str(),
                std::chrono::duration<double>(SteadyClock::now() - started).count(),
                options.callers.size());
    std::fflush(stdout);

    std::vector<Row> rows;
    for (const int callers : options.callers) {
        refill_if_low(setup_pool, setup_writer, accounts, rng);
        rows.push_back(measure_callers(options, cluster, accounts, callers));
        std::printf("  %d callers done (%.0f s elapsed)\n",
                    callers,
                    std::chrono::duration<double>(SteadyClock::now() - started).count());
        std::fflush(stdout);
    }
    print_table(options, rows);
    print_detail(rows);
    print_ratio_line(rows);
    std::printf("total %.0f s\n",
                std::chrono::duration<double>(SteadyClock::now() - started).count());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    try {
        options = parse_options(argc, argv);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "ledger_hot_pool: %s\n", error.what());
        usage(stderr);
        return 2;
    }
    if (options.help) {
        usage(stdout);
        return 0;
    }
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    try {
        return run(options);
    } catch (const Interrupted&) {
        std::fprintf(stderr, "ledger_hot_pool: interrupted\n");
        return 130;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "ledger_hot_pool: error: %s\n", error.what());
        return 1;
    }
}
