// reconciliation_bench: one reconciliation over a busy day (ISSUE 8 check: 100,000 trades and a
// 100,000-line statement in under 30 s on this machine). On a throwaway cluster with production
// durability (bench_cluster.hpp) it seeds, by SQL, N completed buys of one day with their ledger
// transfers (a pending pool -> user transfer and its post each) and events, then writes the
// paybill statement CSV of that day in the simulator's export format (daraja-sim's header and
// quoting) with N lines: all but 0.1% match a buy; 0.1% are payments with no buy, and 0.1% of
// the buys have no line. It times, through the service's own code:
//   import  parse the CSV and COPY its lines (jobs::import_statement)
//   run     one reconciliation of the day (jobs::Reconciler::run: stale follow-up, matching,
//           ledger and gold invariants on one snapshot, items stored)
// and checks the run found exactly the planted mismatches. Usage: reconciliation_bench [N].

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <utility>
#include <pqxx/pqxx>
#include <sodium.h>
#include <string>

#include "app/secrets.hpp"
#include "app/wiring.hpp"
#include "bench_cluster.hpp"
#include "core/time_text.hpp"
#include "daraja-sim/statement_export.hpp"
#include "mpesa/nairobi_time.hpp"
#include "observability/log.hpp"
#include "trading/fineness.hpp"
#include "trading/trade_store.hpp"

namespace {

using namespace gw;
using Stopwatch = std::chrono::steady_clock;

constexpr std::int64_t kAmountCents = 850'00;     // each buy: KES 850 for 0.1 g
constexpr std::int64_t kGramsUg = 100'000;
const TimePoint kDayStart = mpesa::nairobi_day_start(std::chrono::sys_days(std::chrono::year(2026) / 11 / 18));

double seconds_since(Stopwatch::time_point start) {
    return std::chrono::duration<double>(Stopwatch::now() - start).count();
}

std::string receipt(std::int64_t i) {
    std::string digits = std::to_string(i);
    return "BQ" + std::string(digits.size() < 8 ? 8 - digits.size() : 0, '0') + digits;
}

// N buys, each reserved (pending pool -> user) and completed (post) at day start + i * step,
// with receipt BQ<i>; buys whose i is a multiple of 1000 will have no statement line.
void seed_trades(const std::string& connection_string, const std::string& user_id,
                 const std::string& pool_id, std::int64_t count) {
    pqxx::connection connection(connection_string);
    pqxx::work tx(connection);
    const std::string step_us = std::to_string(std::int64_t{80'000'000'000} / count);  // ~22 h
    tx.exec_params(
        "WITH p AS (SELECT id FROM prices ORDER BY id DESC LIMIT 1) "
        "INSERT INTO trades (id, user_id, side, idempotency_key, request_hash, price_id, "
        "  price_per_gram_cents, grams_ug, amount_cents, phone_masked, phone_key_id, phone_sealed, "
        "  payment_due_at, created_at) "
        "SELECT md5('trade' || i)::uuid, $1::uuid, 'buy', 'k' || i, '\\x00', p.id, 850000, " +
            std::to_string(kGramsUg) + ", " + std::to_string(kAmountCents) +
            ", '0708***149', 1, '\\x00', $3::timestamptz + (i * " + step_us +
            " || ' microseconds')::interval + interval '2 minutes', "
            "$3::timestamptz + (i * " + step_us + " || ' microseconds')::interval "
            "FROM generate_series(1::bigint, $2::bigint) i, p",
        user_id, count, format_rfc3339(kDayStart));
    const std::string at = "$2::timestamptz + (i * " + step_us + " || ' microseconds')::interval";
    tx.exec_params(
        "INSERT INTO trade_events (trade_id, status, receipt, created_at) "
        "SELECT md5('trade' || i)::uuid, s.status, "
        "       CASE WHEN s.status = 'completed' THEN 'BQ' || lpad(i::text, 8, '0') END, " + at +
            " + s.lag FROM generate_series(1::bigint, $1::bigint) i, "
            "(VALUES ('reserved', interval '0'), ('awaiting_payment', interval '1 second'), "
            "        ('completed', interval '20 seconds')) s(status, lag)",
        count, format_rfc3339(kDayStart));
    const pqxx::row accounts = tx.exec_params1(
        "SELECT (SELECT account_id FROM gold_pools WHERE id = $1::uuid), "
        "       (SELECT id FROM accounts WHERE owner_user_id = $2::uuid AND pool_id = $1::uuid)",
        pool_id, user_id);
    tx.exec_params(
        "INSERT INTO transfers (id, debit_account_id, credit_account_id, amount, pending_id, flags, "
        "  trade_id, kind, created_at) "
        "SELECT md5('pending' || i)::uuid, $1::bigint, $2::bigint, $3::bigint, NULL::uuid, 1, md5('trade' || i)::uuid, 'buy.reserve', " +
            std::string("$4::timestamptz + (i * ") + step_us + " || ' microseconds')::interval "
            "FROM generate_series(1::bigint, $5::bigint) i "
            "UNION ALL "
            "SELECT md5('post' || i)::uuid, $1::bigint, $2::bigint, $3::bigint, md5('pending' || i)::uuid, 2, md5('trade' || i)::uuid, "
            "  'buy.settle', $4::timestamptz + (i * " + step_us + " || ' microseconds')::interval + interval '20 seconds' "
            "FROM generate_series(1::bigint, $5::bigint) i",
        accounts[0].as<std::int64_t>(), accounts[1].as<std::int64_t>(), kGramsUg,
        format_rfc3339(kDayStart), count);
    tx.exec_params("UPDATE accounts SET debits_posted = debits_posted + $2 WHERE id = $1",
                   accounts[0].as<std::int64_t>(), kGramsUg * count);
    tx.exec_params("UPDATE accounts SET credits_posted = credits_posted + $2 WHERE id = $1",
                   accounts[1].as<std::int64_t>(), kGramsUg * count);
    tx.commit();
    // A live database has statistics on its tables (autovacuum); fresh bulk rows do not yet.
    pqxx::nontransaction analyze(connection);
    analyze.exec0("ANALYZE trades; ANALYZE trade_events; ANALYZE transfers; ANALYZE accounts");
}

// The paybill export of the day: line i pays buy i, except that every 1000th buy has no line
// and as many payments come from nobody's buy (receipts NB<i>).
std::string statement_csv(std::int64_t count) {
    const std::int64_t step_us = std::int64_t{80'000'000'000} / count;
    std::string csv = "Account Holder:,174379 - Gold Wallet Ltd\r\nShort Code:,174379\r\n"
                      "Account:,Utility Account\r\n";
    csv += "Time Period:,From," + std::string("18-11-2026 00:00:00,To,18-11-2026 23:59:59\r\n");
    csv += "Opening Balance:,0.00\r\nClosing Balance:,0.00\r\n";
    csv += std::string(sim::kStatementHeader) + "\r\n";
    csv.reserve(csv.size() + static_cast<std::size_t>(count) * 200);
    for (std::int64_t i = 1; i <= count; ++i) {
        const TimePoint at = kDayStart + std::chrono::microseconds(i * step_us) + std::chrono::seconds(19);
        const std::string time = mpesa::daraja_timestamp(at);  // yyyyMMddHHmmss, Nairobi
        const std::string dashed = time.substr(6, 2) + "-" + time.substr(4, 2) + "-" + time.substr(0, 4) +
                                   " " + time.substr(8, 2) + ":" + time.substr(10, 2) + ":" + time.substr(12, 2);
        const std::string id = i % 1000 == 0 ? "NB" + receipt(i).substr(2) : receipt(i);
        csv += id + "," + dashed + "," + dashed + "," +
               sim::csv_field("Pay Bill Online from 2547******149 - JANE DOE Acc. GW0000000000") +
               ",Completed,850.00,," + std::to_string(i * 850) + ".00,true,Pay Bill Online," +
               sim::csv_field("2547******149 - JANE DOE") + ",,GW0000000000\r\n";
    }
    return csv;
}

// A pool holding twice what the buys take, the prices, and one user with an account in the
// pool (as a first buy would open it). Returns {user_id, pool_id}, or nullopt.
std::optional<std::pair<std::string, std::string>> prepare(app::Application& application,
                                                           const std::string& connection_string,
                                                           std::int64_t count, TimePoint now) {
    const auto actor = identity::Actor::system("bench");
    const auto pool = application.pools().create(
        actor, {"Bench vault", Micrograms{kGramsUg * count * 2}, *trading::parse_fineness("999.9"), 100, ""});
    (void)application.prices().set(actor, PricePerGram{850'000}, PricePerGram{800'000});
    const auto user = application.accounts().register_user({"bench", "bench@example.com", "0708374149",
                                                           "correct horse battery staple"});
    if (!pool || !user) {
        return std::nullopt;
    }
    pqxx::connection connection(connection_string);
    pqxx::work open(connection);
    trading::ensure_user_gold_account(open, user->id, pool->id, now);
    open.commit();
    return std::pair{user->id, pool->id};
}

// Prints the figures; returns whether the run found exactly the planted mismatches.
bool report(const jobs::StatementImport& imported, const jobs::RunView& run, std::int64_t count,
            double import_s, double run_s) {
    const auto& counts = run.summary.at("counts");
    const std::int64_t planted = count / 1000;
    std::printf("import: %.2f s (%zu lines)\nrun:    %.2f s (matched %lld; money_without_credit %lld, "
                "credit_without_money %lld, other critical %lld)\ntotal:  %.2f s = %.2f of the 30 s budget\n",
                import_s, imported.lines, run_s, run.summary.at("matched").get<long long>(),
                counts.at("money_without_credit").get<long long>(),
                counts.at("credit_without_money").get<long long>(),
                static_cast<long long>(run.critical_count - 2 * planted), import_s + run_s,
                (import_s + run_s) / 30.0);
    const bool exact = counts.at("money_without_credit") == planted &&
                       counts.at("credit_without_money") == planted && run.critical_count == 2 * planted;
    if (!exact) {
        std::cerr << "the run did not find exactly the planted mismatches: " << run.summary.dump() << "\n";
    }
    return exact;
}

}  // namespace

int main(int argc, char** argv) {
    const std::int64_t count = argc > 1 ? std::atoll(argv[1]) : 100'000;
    if (count < 1000 || sodium_init() < 0) {
        std::cerr << "usage: reconciliation_bench [trades >= 1000]\n";
        return 2;
    }
    obs::init_logging(obs::LogLevel::error);
    bench::BenchCluster cluster({});
    auto config = app::load_config({});
    config->db.connection_string = cluster.connection_string();
    config->kyc_dir = cluster.root_dir() / "kyc";
    config->mpesa.base_url = "http://127.0.0.1:9";  // nothing is stale: Daraja is never called
    ManualClock clock(kDayStart + std::chrono::hours(30));
    app::Application application(*config, app::throwaway_secrets(), clock);
    const auto ids = prepare(application, cluster.connection_string(), count, clock.now());
    if (!ids) {
        std::cerr << "setup failed\n";
        return 1;
    }
    auto start = Stopwatch::now();
    seed_trades(cluster.connection_string(), ids->first, ids->second, count);
    const std::string csv = statement_csv(count);
    std::printf("seeded %lld trades (%lld transfers) and a %zu-byte, %lld-line statement in %.1f s\n",
                static_cast<long long>(count), static_cast<long long>(2 * count), csv.size(),
                static_cast<long long>(count), seconds_since(start));

    start = Stopwatch::now();
    const auto imported = application.reconciliation_reports().import_statement(
        identity::Actor::system("bench"), "", "bench.csv", csv);
    const double import_s = seconds_since(start);
    start = Stopwatch::now();
    const auto run = application.reconciler().run(
        {std::chrono::sys_days(std::chrono::year(2026) / 11 / 18), jobs::RunTrigger::command, {}});
    const double run_s = seconds_since(start);
    if (!imported) {
        std::cerr << "the import failed: " << imported.error().detail << "\n";
        return 1;
    }
    if (!run || run->status != jobs::RunStatus::completed) {
        std::cerr << "the run failed (see the log)\n";
        return 1;
    }
    return report(*imported, *run, count, import_s, run_s) ? 0 : 1;
}
