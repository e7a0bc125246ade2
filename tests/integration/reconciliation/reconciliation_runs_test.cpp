// What a reconciliation run does besides matching: it settles stale payments by asking M-Pesa
// (a missed STK callback, a B2C payout whose Result never came), lists what it cannot settle,
// reports broken gold invariants, alerts on critical items over loopback, serves its report as
// JSON and CSV to admin and treasury only, and lets an admin resolve an item once, audited,
// without touching the ledger. The daily schedule runs once per day however many nodes try.

#include <algorithm>
#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "core/time_text.hpp"
#include "identity/uuid.hpp"
#include "mpesa/nairobi_time.hpp"
#include "reconciliation_fixture.hpp"
#include "support/sim_fixture.hpp"

namespace gw::test {
namespace {

using Classes = std::vector<std::string>;

class ReconciliationRuns : public ReconciliationTest {};

TEST_F(ReconciliationRuns, AMissedCallbackIsSettledByQueryAndMatchedByItsReference) {
    // The customer pays at once; the callback has not come by the time reconciliation runs.
    ASSERT_TRUE(app_.simulator().set_stk_scenario(registered_msisdn(alice_), sim::StkScenario::late_callback));
    const auto placed = app_.buy(token_, {{"amount_kes", "850"}, {"phone_for_stk", registered_msisdn(alice_)}},
                                 "buy-1");
    ASSERT_EQ(placed.status, 201);
    const std::string trade_id = placed.body.at("trade_id");
    app_.run_outbox();
    ASSERT_EQ(app_.trade(token_, trade_id).body.at("status"), "awaiting_payment");
    // The customer paid; the statement shows it under the trade's account reference.
    ASSERT_TRUE(sim_completed(1));
    import_day(statement(kPaybill));
    app_.app().clock().advance(std::chrono::minutes(3));  // past the 120 s payment deadline
    app_.simulator().advance_clock(std::chrono::minutes(3));

    const auto report = run();
    ASSERT_EQ(report.status, 201) << report.raw;
    EXPECT_EQ(classes(report.body), Classes{}) << report.raw;
    EXPECT_EQ(report.body.at("run").at("summary").at("stale").at("buys_settled"), 1);
    EXPECT_EQ(report.body.at("run").at("summary").at("matched"), 1);
    EXPECT_EQ(app_.trade(token_, trade_id).body.at("status"), "completed");
    EXPECT_EQ(app_.invariant_violations(), "");

    // The customer pays again with the same reference: one buy is paid once, so this second
    // payment is money without credit, even though its reference names a credited buy.
    const std::string reference = "GW" + app_.query("SELECT upper(substr(replace(id::text, '-', ''), 1, 10)) "
                                                    "FROM trades WHERE id = '" + trade_id + "'");
    const std::string first = statement(kPaybill);
    const auto line_start = first.find("\n", first.find("Receipt No.")) + 1;
    std::string second_line = first.substr(line_start);
    second_line = replaced(second_line, second_line.substr(0, 10), "TK2NDPAY01");
    ASSERT_NE(second_line.find(reference), std::string::npos) << second_line;
    ASSERT_EQ(import(first.substr(0, line_start) + second_line).status, 201);
    const auto again = run();
    ASSERT_EQ(classes(again.body), Classes{"money_without_credit"}) << again.raw;
    EXPECT_EQ(again.body.at("items")[0].at("receipt"), "TK2NDPAY01");
    EXPECT_EQ(again.body.at("items")[0].at("trade_id"), trade_id);
}

TEST_F(ReconciliationRuns, ABuyMPesaCannotSettleIsListedForAHuman) {
    ASSERT_TRUE(app_.simulator().set_stk_scenario(registered_msisdn(alice_), sim::StkScenario::manual));
    const auto placed = app_.buy(token_, {{"amount_kes", "850"}, {"phone_for_stk", registered_msisdn(alice_)}},
                                 "buy-1");
    ASSERT_EQ(placed.status, 201);
    app_.run_outbox();
    app_.app().clock().advance(std::chrono::minutes(3));

    const auto report = run();
    ASSERT_EQ(classes(report.body), (Classes{"stale_buy", "statement_missing", "statement_missing"}))
        << report.raw;
    const auto& item = report.body.at("items")[2];  // after the statement findings
    EXPECT_EQ(item.at("class"), "stale_buy");
    EXPECT_EQ(item.at("trade_id"), placed.body.at("trade_id"));
    EXPECT_EQ(item.at("severity"), "warning");
    EXPECT_EQ(report.body.at("run").at("critical_count"), 0);
}

TEST_F(ReconciliationRuns, AB2cPayoutWithoutResultIsAskedAboutAndSettles) {
    ASSERT_TRUE(
        app_.simulator().set_b2c_scenario(registered_msisdn(alice_), sim::B2cScenario::b2c_no_callback));
    app_.credit(alice_.at("user_id"), "0.05");
    const auto placed = app_.sell(token_, {{"grams", "0.05"}, {"payout_phone", registered_msisdn(alice_)}},
                                  "sell-1");
    ASSERT_EQ(placed.status, 201);
    const std::string trade_id = placed.body.at("trade_id");
    app_.run_outbox();
    EXPECT_EQ(app_.trade(token_, trade_id).body.at("status"), "awaiting_payout");
    app_.app().clock().advance(std::chrono::minutes(6));  // past the 300 s payout timeout

    const auto report = run();
    ASSERT_EQ(report.status, 201) << report.raw;
    EXPECT_EQ(report.body.at("run").at("summary").at("stale").at("payouts_asked"), 1);
    // Transaction Status answers on a callback: the payout settles once it arrives.
    EXPECT_EQ(app_.wait_for_trade(token_, trade_id, "completed"), "completed");
    EXPECT_EQ(app_.query("SELECT status FROM payouts WHERE trade_id = '" + trade_id + "'"), "completed");
    EXPECT_EQ(app_.invariant_violations(), "");
    // Until then it was listed; the next run finds nothing stale.
    EXPECT_EQ(classes(report.body), (Classes{"stale_payout", "statement_missing", "statement_missing"}))
        << report.raw;
    EXPECT_EQ(classes(run().body), (Classes{"statement_missing", "statement_missing"}));
}

TEST_F(ReconciliationRuns, ABrokenGoldInvariantIsCriticalAndNamesTheAccounts) {
    completed_buy("850", "buy-1");
    // Corrupt one counter behind the ledger's back (a bug, or a hand edit).
    app_.query("UPDATE accounts SET credits_posted = credits_posted + 1 WHERE code = 'pool:" + pool_ +
               "' RETURNING id");
    const auto report = run();
    ASSERT_EQ(report.status, 201) << report.raw;
    const auto found = classes(report.body);
    ASSERT_FALSE(found.empty());
    EXPECT_EQ(found.front(), "ledger_invariant");
    std::string details;
    for (const auto& item : report.body.at("items")) {
        details += item.at("detail").get<std::string>() + "\n";
    }
    EXPECT_NE(details.find("pool:" + pool_), std::string::npos) << details;
    EXPECT_NE(details.find("gold_held"), std::string::npos) << details;
    EXPECT_GT(report.body.at("run").at("critical_count").get<int>(), 0);
}

TEST_F(ReconciliationRuns, OnlyAdminAndTreasuryReachReconciliation) {
    EXPECT_EQ(run(token_).status, 403);
    EXPECT_EQ(import("x", token_).status, 403);
    const std::string reviewer = staff_login(app_.app(), "reviewer", identity::Role::kyc_reviewer).at("access_token");
    EXPECT_EQ(run(reviewer).status, 403);
    EXPECT_EQ(request_json(app_.app(), "GET", "/admin/reconciliation", nullptr, reviewer).status, 403);
    const std::string treasury = staff_login(app_.app(), "treasurer", identity::Role::treasury).at("access_token");
    EXPECT_EQ(run(treasury).status, 201);
    EXPECT_EQ(request_json(app_.app(), "POST", "/admin/reconciliation/run", {{"date", "18-11-2026"}},
                           treasury).body.at("code"),
              "validation_failed");
    EXPECT_EQ(request_json(app_.app(), "POST", "/admin/reconciliation/run", {{"date", "2026-11-19"}},
                           treasury).body.at("code"),
              "validation_failed")
        << "tomorrow in Nairobi has not begun";
    EXPECT_EQ(app_.query("SELECT count(*) FROM reconciliation_runs"), "1");
}

TEST_F(ReconciliationRuns, ReportsListAsJsonAndDownloadAsCsv) {
    const std::string trade_id = completed_buy("850", "buy-1");
    import_day(replaced(statement(kPaybill), ",850.00,", ",800.00,"));
    const std::string run_id = run().body.at("run").at("run_id");

    const auto listed = request_json(app_.app(), "GET", "/admin/reconciliation", nullptr, app_.admin_token());
    ASSERT_EQ(listed.status, 200);
    EXPECT_EQ(listed.body.at("items")[0].at("run_id"), run_id);
    const auto shown =
        request_json(app_.app(), "GET", "/admin/reconciliation/" + run_id, nullptr, app_.admin_token());
    ASSERT_EQ(shown.status, 200);
    EXPECT_EQ(shown.body.at("run").at("unresolved_critical"), 1);
    EXPECT_EQ(request_json(app_.app(), "GET", "/admin/reconciliation/" + identity::random_uuid(), nullptr,
                           app_.admin_token()).status,
              404);

    const auto csv = app_.app().client().Get("/admin/reconciliation/" + run_id + "?format=csv",
                                             {{"Authorization", "Bearer " + app_.admin_token()}});
    ASSERT_TRUE(csv);
    EXPECT_EQ(csv->status, 200);
    EXPECT_TRUE(csv->get_header_value("Content-Type").starts_with("text/csv"));
    EXPECT_NE(csv->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
    EXPECT_TRUE(csv->body.starts_with("run_id,day,item_id,class,severity,receipt,trade_id"));
    EXPECT_NE(csv->body.find("amount_mismatch,critical"), std::string::npos) << csv->body;
    EXPECT_NE(csv->body.find(trade_id), std::string::npos);
    EXPECT_NE(csv->body.find(",850.00,800.00,"), std::string::npos) << csv->body;
}

TEST_F(ReconciliationRuns, AnAdminResolvesAnItemOnceWithAnAuditedNoteAndTheLedgerUnchanged) {
    completed_buy("850", "buy-1");
    import_day(replaced(statement(kPaybill), ",850.00,", ",800.00,"));
    const auto report = run().body;
    const std::string run_id = report.at("run").at("run_id");
    const std::string item_id = std::to_string(report.at("items")[0].at("item_id").get<std::int64_t>());
    const std::string path = "/admin/reconciliation/" + run_id + "/items/" + item_id + "/resolve";
    const std::string transfers = app_.query("SELECT count(*) FROM transfers");

    EXPECT_EQ(request_json(app_.app(), "POST", path, {{"note", ""}}, app_.admin_token()).body.at("code"),
              "validation_failed");
    EXPECT_EQ(request_json(app_.app(), "POST", path, {{"note", "x"}}, token_).status, 403);
    const auto resolved =
        request_json(app_.app(), "POST", path, {{"note", "Safaricom confirmed KES 850; export typo"}},
                     app_.admin_token());
    ASSERT_EQ(resolved.status, 200) << resolved.raw;
    EXPECT_EQ(resolved.body.at("resolution_note"), "Safaricom confirmed KES 850; export typo");
    EXPECT_FALSE(resolved.body.at("resolved_at").is_null());
    const auto again = request_json(app_.app(), "POST", path, {{"note", "again"}}, app_.admin_token());
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.body.at("code"), "item_already_resolved");
    EXPECT_EQ(request_json(app_.app(), "POST",
                           "/admin/reconciliation/" + identity::random_uuid() + "/items/" + item_id + "/resolve",
                           {{"note", "x"}}, app_.admin_token()).status,
              404);

    EXPECT_EQ(app_.query("SELECT count(*) FROM audit_log WHERE action = 'reconciliation.resolve' "
                         "AND target_id = '" + item_id + "'"),
              "1");
    EXPECT_EQ(app_.query("SELECT count(*) FROM transfers"), transfers) << "a resolution never edits the ledger";
    EXPECT_EQ(request_json(app_.app(), "GET", "/admin/reconciliation/" + run_id, nullptr, app_.admin_token())
                  .body.at("run")
                  .at("unresolved_critical"),
              0);
}

TEST_F(ReconciliationRuns, MetricsShowTheLastRunsMismatchesAndWhenItSucceeded) {
    completed_buy("850", "buy-1");
    ASSERT_EQ(import(replaced(statement(kPaybill), ",850.00,", ",800.00,")).status, 201);
    ASSERT_EQ(run().status, 201);
    const std::string metrics = app_.metrics();
    EXPECT_NE(metrics.find("goldwallet_reconciliation_mismatches{class=\"amount_mismatch\"} 1"),
              std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find("goldwallet_reconciliation_mismatches{class=\"money_without_credit\"} 0"),
              std::string::npos);
    EXPECT_NE(metrics.find("goldwallet_reconciliation_last_success_timestamp_seconds " +
                           std::to_string(unix_seconds(app_.app().clock().now()))),
              std::string::npos)
        << metrics;
}

TEST_F(ReconciliationRuns, TheDailyRunHappensOnceHoweverManyNodesTry) {
    auto& reconciler = app_.app().application().reconciler();
    const TimePoint now = app_.app().clock().now();  // 14:06 in Nairobi, after the 01:00 default
    // Four "nodes" at once: the advisory lock lets one in; the others find the day done.
    std::vector<std::future<std::optional<jobs::RunView>>> tries;
    for (int i = 0; i < 4; ++i) {
        tries.push_back(std::async(std::launch::async, [&] { return reconciler.run_scheduled_if_due(now); }));
    }
    int ran = 0;
    for (auto& attempt : tries) {
        const auto run = attempt.get();
        if (run) {
            ++ran;
            EXPECT_EQ(format_iso_day(run->day), "2026-11-17") << "yesterday in Nairobi";
            EXPECT_EQ(run->trigger, jobs::RunTrigger::schedule);
        }
    }
    EXPECT_EQ(ran, 1);
    EXPECT_FALSE(reconciler.run_scheduled_if_due(now + std::chrono::hours(1)).has_value());
    EXPECT_EQ(app_.query("SELECT count(*) FROM reconciliation_runs WHERE trigger = 'schedule'"), "1");
    // Before the configured time of day nothing runs: 00:30 Nairobi on the next day.
    const TimePoint early = mpesa::nairobi_day_start(mpesa::nairobi_day(now) + std::chrono::days(1)) +
                            std::chrono::minutes(30);
    EXPECT_FALSE(reconciler.run_scheduled_if_due(early).has_value());
}

TEST_F(ReconciliationRuns, AScheduledRunLeftRunningByADeadNodeDoesNotBlockItsDay) {
    // A node died mid-run: its row still says running, and nobody holds the lock.
    app_.query("INSERT INTO reconciliation_runs (id, day, trigger, started_at) VALUES "
               "(gen_random_uuid(), '2026-11-17', 'schedule', now()) RETURNING id");
    const auto run = app_.app().application().reconciler().run_scheduled_if_due(app_.app().clock().now());
    ASSERT_TRUE(run.has_value());
    EXPECT_EQ(run->status, jobs::RunStatus::completed);
    EXPECT_EQ(app_.query("SELECT failure FROM reconciliation_runs WHERE status = 'failed'"),
              "abandoned: the node running it stopped");
    EXPECT_EQ(app_.query("SELECT count(*) FROM reconciliation_runs WHERE trigger = 'schedule'"), "2");
    // A finished run is final: no status change, no new item.
    EXPECT_THROW(app_.query("UPDATE reconciliation_runs SET critical_count = 0 WHERE id = '" + run->id + "'"),
                 std::exception);
    EXPECT_THROW(app_.query("INSERT INTO reconciliation_items (run_id, class, severity, detail) VALUES ('" +
                            run->id + "', 'stale_buy', 'warning', 'late')"),
                 std::exception);
}

TEST_F(ReconciliationRuns, OneRunAtATimeOnAnyNode) {
    // Another node's run holds the lock.
    pqxx::connection other(app_.app().database());
    pqxx::nontransaction session(other);
    session.exec("SELECT pg_advisory_lock(" + std::to_string(jobs::kReconciliationLockKey) + ")");
    const auto refused = run();
    EXPECT_EQ(refused.status, 409) << refused.raw;
    EXPECT_EQ(refused.body.at("code"), "reconciliation_running");
    EXPECT_FALSE(app_.app().application().reconciler().run_scheduled_if_due(app_.app().clock().now()));
    EXPECT_EQ(app_.query("SELECT count(*) FROM reconciliation_runs"), "0");
    session.exec("SELECT pg_advisory_unlock(" + std::to_string(jobs::kReconciliationLockKey) + ")");
    EXPECT_EQ(run().status, 201);
}

class ManualPayoutReconciliation : public ReconciliationTest {
protected:
    ManualPayoutReconciliation() : ReconciliationTest(manual_options()) {}

    static TradeAppOptions manual_options() {
        TradeAppOptions options = reconciliation_options();
        options.payout_mode = trading::PayoutMode::manual;
        return options;
    }
};

TEST_F(ManualPayoutReconciliation, AManualPayoutQueuedForADayIsListed) {
    app_.credit(alice_.at("user_id"), "0.05");
    const auto placed =
        app_.sell(token_, {{"grams", "0.05"}, {"payout_phone", registered_msisdn(alice_)}}, "sell-1");
    ASSERT_EQ(placed.status, 201);
    auto& application = app_.app().application();
    const auto classes_of = [&application](const std::string& run_id) {
        Classes found;
        const auto report = application.reconciliation_reports().report(run_id);
        for (const auto& item : report->items) {
            found.push_back(std::string(jobs::to_string(item.finding.finding_class)));
        }
        std::sort(found.begin(), found.end());
        return found;
    };
    const auto day = parse_iso_day(kReconciledDay);
    const auto fresh = application.reconciler().run({day, jobs::RunTrigger::command, {}});
    ASSERT_TRUE(fresh.has_value());
    EXPECT_EQ(classes_of(fresh->id), (Classes{"statement_missing", "statement_missing"}))
        << "an hour-old manual payout is the queue working";
    app_.app().clock().advance(std::chrono::hours(25));
    const auto late = application.reconciler().run({day, jobs::RunTrigger::command, {}});
    ASSERT_TRUE(late.has_value());
    EXPECT_EQ(classes_of(late->id), (Classes{"stale_payout", "statement_missing", "statement_missing"}));
    const auto report = application.reconciliation_reports().report(late->id);
    for (const auto& item : report->items) {
        if (item.finding.finding_class == jobs::FindingClass::stale_payout) {
            EXPECT_EQ(item.finding.trade_id, placed.body.at("trade_id"));
            EXPECT_NE(item.finding.detail.find("manual payout waiting"), std::string::npos);
        }
    }
}

class AlertedReconciliation : public ReconciliationTest {
protected:
    AlertedReconciliation() : ReconciliationTest(with_alerts()) {}

    static TradeAppOptions with_alerts() {
        TradeAppOptions options = reconciliation_options();
        options.alert_webhook_url = receiver().url("/hooks/reconciliation");
        return options;
    }

    static CallbackReceiver& receiver() {
        static CallbackReceiver shared;
        return shared;
    }
};

TEST_F(AlertedReconciliation, CriticalItemsArePostedToTheWebhookRetriedUntilAccepted) {
    completed_buy("850", "buy-1");
    ASSERT_EQ(import(replaced(statement(kPaybill), ",850.00,", ",800.00,")).status, 201);
    const std::size_t before = receiver().received_at("/hooks/reconciliation").size();
    receiver().set_status(503);  // the first attempts fail…
    auto running = std::async(std::launch::async, [this] { return run(); });
    ASSERT_TRUE(receiver().wait_for(before + 1));
    receiver().set_status(200);  // …then the channel is back
    const auto report = running.get();
    ASSERT_EQ(report.status, 201);
    const auto posts = receiver().received_at("/hooks/reconciliation");
    ASSERT_GE(posts.size(), before + 2);
    const auto alert = nlohmann::json::parse(posts.back().body);
    EXPECT_EQ(alert.at("run_id"), report.body.at("run").at("run_id"));
    EXPECT_EQ(alert.at("critical_count"), 1);
    EXPECT_EQ(alert.at("items")[0].at("class"), "amount_mismatch");
    EXPECT_EQ(posts.back().body.find(registered_msisdn(alice_).substr(3)), std::string::npos)
        << "no phone number leaves in an alert";

    // A clean run sends nothing.
    const std::size_t after = receiver().received_at("/hooks/reconciliation").size();
    ASSERT_EQ(request_json(app_.app(), "POST", "/admin/reconciliation/run", {{"date", "2026-11-10"}},
                           app_.admin_token()).status,
              201);
    EXPECT_EQ(receiver().received_at("/hooks/reconciliation").size(), after);
}

}  // namespace
}  // namespace gw::test
