#include "e2e_report.hpp"

#include <cstdio>
#include <string>
#include <thread>

namespace gw::bench {
namespace {

std::string fmt(const char* format, double a, double b, double c) {
    char text[64];
    std::snprintf(text, sizeof text, format, a, b, c);
    return text;
}

double per_buy(std::uint64_t count, const BuyLevelResult& http) {
    const double buys = static_cast<double>(http.settled);
    return buys > 0 ? static_cast<double>(count) / buys : 0;
}

// The server's handler time of one route in the window, "p50/p99 (busy%)" where busy is the
// summed handler time over the window (100% = one thread busy all the time).
std::string route_cell(const Observed& observed, const std::string& route) {
    const auto found = observed.routes.find(route);
    if (found == observed.routes.end() || observed.seconds <= 0) {
        return "-";
    }
    char text[48];
    std::snprintf(text,
                  sizeof text,
                  "%.1f/%.1f (%3.0f%%)",
                  found->second.p50_ms,
                  found->second.p99_ms,
                  100.0 * found->second.busy_seconds / observed.seconds);
    return text;
}

void print_where_time_goes(const std::vector<LevelReport>& levels) {
    std::printf(
        "\nwhere the time goes, same measured windows: CPU in cores busy (this VM has %u; "
        "'machine' includes the neighbours);\nserver database commits and cluster WAL flushes "
        "per settled buy; the server's own handler ms p50/p99 (busy%% = summed handler time / "
        "window)\n",
        std::thread::hardware_concurrency());
    std::printf(
        "clients | server    pg   sim  load mach | commits/buy flushes/buy | POST /trade/buy "
        "      | POST /hooks/lnm       | GET /trade/{id}       | pgbench ms/buy\n");
    for (const LevelReport& level : levels) {
        const Observed& o = level.observed;
        std::printf(
            "%7d | %6.2f %5.2f %5.2f %5.2f %4.2f | %11.1f %11.1f | %-21s | %-21s | %-21s | %6.2f\n",
            level.http.clients,
            o.server_cores,
            o.postgres_cores,
            o.sim_cores,
            o.self_cores,
            o.machine_cores,
            per_buy(o.commits, level.http),
            per_buy(o.wal_syncs, level.http),
            route_cell(o, "POST /trade/buy").c_str(),
            route_cell(o, "POST /hooks/lnm/{token}").c_str(),
            route_cell(o, "GET /trade/{id}").c_str(),
            level.pgbench.latency_ms_mean);
    }
}

}  // namespace

void print_levels(const std::vector<LevelReport>& levels, bool with_pgbench) {
    std::printf(
        "\nclients | settled buys/s | POST /trade/buy ms p50/p95/p99 | quote→settled ms "
        "p50/p95/p99 | quote ms p50/p99 | req/buy | pgbench buys/s | HTTP÷pgb | commit ms\n");
    for (const LevelReport& level : levels) {
        const BuyLevelResult& http = level.http;
        std::printf("%7d | %14.1f | %30s | %28s | %15s | %7.1f | %14s | %8s | %9.2f\n",
                    http.clients,
                    http.per_second(),
                    fmt("%6.1f/%6.1f/%6.1f",
                        percentile_ms(http.buy_ns, 50),
                        percentile_ms(http.buy_ns, 95),
                        percentile_ms(http.buy_ns, 99))
                        .c_str(),
                    fmt("%6.1f/%6.1f/%6.1f",
                        percentile_ms(http.settled_ns, 50),
                        percentile_ms(http.settled_ns, 95),
                        percentile_ms(http.settled_ns, 99))
                        .c_str(),
                    fmt("%5.1f/%6.1f",
                        percentile_ms(http.quote_ns, 50),
                        percentile_ms(http.quote_ns, 99),
                        0)
                        .c_str(),
                    http.settled > 0
                        ? static_cast<double>(http.requests) / static_cast<double>(http.settled)
                        : 0,
                    with_pgbench ? fmt("%.1f", level.pgbench.tps, 0, 0).c_str() : "-",
                    with_pgbench && level.pgbench.tps > 0
                        ? fmt("%.2fx", http.per_second() / level.pgbench.tps, 0, 0).c_str()
                        : "-",
                    level.commit_ms);
    }
    print_where_time_goes(levels);
    for (const LevelReport& level : levels) {
        if (level.http.clients != kTargetClients || !with_pgbench) {
            continue;
        }
        const double ratio =
            level.pgbench.tps > 0 ? level.http.per_second() / level.pgbench.tps : 0;
        const double p99 = percentile_ms(level.http.buy_ns, 99);
        std::printf(
            "\n%d clients: HTTP settled %.1f buys/s vs pgbench reserve+settle %.1f buys/s = "
            "%.2fx (target >= %.0fx: %s); POST /trade/buy p99 %.1f ms (target < %.0f ms: %s)\n",
            kTargetClients,
            level.http.per_second(),
            level.pgbench.tps,
            ratio,
            kTargetRatio,
            ratio >= kTargetRatio ? "met" : "NOT met",
            p99,
            kTargetBuyP99Ms,
            p99 < kTargetBuyP99Ms ? "met" : "NOT met");
    }
}

void print_read_mix(const ReadMixResult& mix) {
    std::printf(
        "\nread mix (%d clients; 50%% GET /user/balance, 30%% GET /user/ledger?limit=20, "
        "20%% GET /prices/current):\n",
        mix.clients);
    const auto line = [](const char* what, const std::vector<std::int64_t>& ns, double seconds) {
        std::printf("  %-22s %9.1f req/s  p50/p95/p99 %6.2f/%6.2f/%6.2f ms\n",
                    what,
                    static_cast<double>(ns.size()) / seconds,
                    percentile_ms(ns, 50),
                    percentile_ms(ns, 95),
                    percentile_ms(ns, 99));
    };
    line("all", mix.all_ns, mix.window_seconds);
    line("GET /user/balance", mix.balance_ns, mix.window_seconds);
    line("GET /user/ledger", mix.ledger_ns, mix.window_seconds);
    line("GET /prices/current", mix.price_ns, mix.window_seconds);
}

}  // namespace gw::bench
