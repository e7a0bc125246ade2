#pragma once

// The load of e2e_buy_bench: closed-loop clients over HTTP, each a thread with its own
// keep-alive connection and its own user.
//   buy level   quote → buy (Idempotency-Key) → GET /trade/{id} with "Prefer: wait=10" until
//               completed or failed;
//   read mix    GET /user/balance, GET /user/ledger?limit=20, GET /prices/current, in a fixed
//               ratio (50/30/20).
// Each run has a warm-up whose results are discarded; only what falls in the measured window
// counts (a buy counts when it settled inside the window, its latencies when it also started
// inside it).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "e2e_stack.hpp"

namespace gw::bench {

struct LoadWindow {
    double warmup_seconds = 2;
    double seconds = 10;
};

struct BuyLoad {
    int clients = 1;
    LoadWindow window;
    // The wait preference of each GET /trade/{id} ("Prefer: wait=N"): the server answers when
    // the trade ends, so a client does not poll.
    std::chrono::seconds wait_per_request{10};
    std::chrono::seconds settle_timeout{30};  // a buy not settled by then is an error
};

struct BuyLevelResult {
    int clients = 0;
    double window_seconds = 0;
    std::uint64_t settled = 0;             // completed inside the window
    std::uint64_t failed = 0;              // reached status failed (any time): an error of the run
    std::uint64_t requests = 0;            // HTTP requests of the buys counted in `settled`
    std::vector<std::int64_t> quote_ns;    // POST /trade/quote
    std::vector<std::int64_t> buy_ns;      // POST /trade/buy
    std::vector<std::int64_t> settled_ns;  // quote sent → completed seen
    std::vector<std::string> errors;       // the first error of each client that had one

    double per_second() const {
        return window_seconds > 0 ? static_cast<double>(settled) / window_seconds : 0;
    }
};

struct ReadMixResult {
    int clients = 0;
    double window_seconds = 0;
    std::uint64_t requests = 0;
    std::vector<std::int64_t> all_ns;
    std::vector<std::int64_t> balance_ns;
    std::vector<std::int64_t> ledger_ns;
    std::vector<std::int64_t> price_ns;
    std::vector<std::string> errors;

    double per_second() const {
        return window_seconds > 0 ? static_cast<double>(requests) / window_seconds : 0;
    }
};

// Runs one buy level with users[0..clients). `phone_sequence` numbers the M-Pesa phone of every
// buy of the run (each buy pays from a new simulated customer: see bench/README.md) and is
// shared by all levels. REQUIRES: users.size() >= load.clients.
BuyLevelResult run_buy_level(const E2eStack& stack,
                             const std::vector<BenchUser>& users,
                             const BuyLoad& load,
                             std::atomic<std::uint64_t>& phone_sequence,
                             const std::atomic<bool>& interrupted);

// Runs the read mix with users[0..clients). REQUIRES: users.size() >= clients.
ReadMixResult run_read_mix(const E2eStack& stack,
                           const std::vector<BenchUser>& users,
                           int clients,
                           const LoadWindow& window,
                           const std::atomic<bool>& interrupted);

// Nearest-rank percentile in milliseconds of nanosecond samples; 0 when there are none.
double percentile_ms(std::vector<std::int64_t> values_ns, double p);

}  // namespace gw::bench
