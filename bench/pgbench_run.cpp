#include "pgbench_run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string_view>

#include <pqxx/pqxx>

#include "db/process.hpp"

namespace gw::bench {
namespace {

std::optional<double> number_after(const std::string& output, std::string_view label) {
    const auto at = output.find(label);
    if (at == std::string::npos) {
        return std::nullopt;
    }
    try {
        return std::stod(output.substr(at + label.size()));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

PgbenchResult run_pgbench(const BenchCluster& cluster, const PgbenchRun& run) {
    const int whole_seconds = std::max(1, static_cast<int>(std::lround(run.seconds)));
    db::ProcessOptions process;
    process.program = run.pgbench;
    process.args = {"-n",
                    "-f",
                    run.script.string(),
                    "-c",
                    std::to_string(run.clients),
                    "-j",
                    std::to_string(std::min(run.clients, 2)),
                    "-T",
                    std::to_string(whole_seconds)};
    for (const auto& [name, value] : run.variables) {
        process.args.push_back("-D");
        std::string definition = name;
        definition += '=';
        definition += value;
        process.args.push_back(std::move(definition));
    }
    const std::vector<std::string> target = {
        "-h",
        cluster.socket_dir().string(),
        "-p",
        std::to_string(cluster.port()),
        "-U",
        cluster.superuser(),
        run.database.empty() ? cluster.database() : run.database};
    process.args.insert(process.args.end(), target.begin(), target.end());
    process.environment = {"LC_ALL=C", "PGAPPNAME=" + run.application_name};
    process.timeout_seconds_max = whole_seconds + 60;
    const db::ProcessResult result = db::run_process(process);
    const auto tps = number_after(result.output, "tps = ");
    const auto processed =
        number_after(result.output, "number of transactions actually processed: ");
    const auto failed = number_after(result.output, "number of failed transactions: ");
    if (!result.succeeded() || !tps || !processed || (failed && *failed > 0)) {
        throw std::runtime_error("pgbench failed (exit " + std::to_string(result.exit_code) +
                                 "):\n" + result.output);
    }
    return PgbenchResult{
        .tps = *tps,
        .processed = *processed,
        .latency_ms_mean = number_after(result.output, "latency average = ").value_or(0)};
}

double probe_commit_ms(const std::string& connection_string, double seconds) {
    using SteadyClock = std::chrono::steady_clock;
    pqxx::connection connection(connection_string);
    {
        pqxx::nontransaction setup(connection);
        setup.exec0(
            "CREATE TABLE IF NOT EXISTS bench_commit_probe (id bigint GENERATED ALWAYS AS "
            "IDENTITY PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())");
    }
    std::vector<double> latencies_ms;
    const auto until = SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                                                std::chrono::duration<double>(seconds));
    do {
        const auto started = SteadyClock::now();
        pqxx::work tx(connection);
        tx.exec0("INSERT INTO bench_commit_probe DEFAULT VALUES");
        tx.commit();
        latencies_ms.push_back(
            std::chrono::duration<double, std::milli>(SteadyClock::now() - started).count());
    } while (SteadyClock::now() < until);
    std::sort(latencies_ms.begin(), latencies_ms.end());
    return latencies_ms[(latencies_ms.size() + 1) / 2 - 1];  // nearest-rank median
}

}  // namespace gw::bench
