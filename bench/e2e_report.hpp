#pragma once

// The printed report of e2e_buy_bench: the per-level table (settled buys/s, latencies, the
// pgbench baseline and the ratio), where the time went, the line against the targets,
// and the read mix. How to read it: bench/README.md.

#include <vector>

#include "e2e_load.hpp"
#include "e2e_observe.hpp"
#include "pgbench_run.hpp"

namespace gw::bench {

// The targets, at kTargetClients.
inline constexpr int kTargetClients = 32;
inline constexpr double kTargetRatio = 3.0;      // settled buys/s over HTTP ÷ pgbench buys/s
inline constexpr double kTargetBuyP99Ms = 50.0;  // POST /trade/buy

struct LevelReport {
    BuyLevelResult http;
    Observed observed;      // the measured HTTP window
    PgbenchResult pgbench;  // tps = buys/s (one script run = one buy); zero when not run
    double commit_ms = 0;   // probe_commit_ms before the level
};

// Prints both tables and the targets line; `with_pgbench` false leaves the baseline columns "-".
void print_levels(const std::vector<LevelReport>& levels, bool with_pgbench);

void print_read_mix(const ReadMixResult& mix);

}  // namespace gw::bench
