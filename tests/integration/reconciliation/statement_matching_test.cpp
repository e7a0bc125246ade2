// Reconciliation against the simulator's real statement exports, over HTTP: a clean day finds
// nothing; each mismatch class is built on purpose (a payment with no trade, a credit with no
// payment, a tampered amount, a payout missing from or unknown to the statement) and the report
// finds exactly it; statement imports are idempotent and a contradicting one stores nothing.

#include <gtest/gtest.h>

#include "app/config.hpp"
#include "identity/uuid.hpp"
#include "mpesa/daraja_messages.hpp"
#include "reconciliation_fixture.hpp"

namespace gw::test {
namespace {

using Classes = std::vector<std::string>;

class StatementMatching : public ReconciliationTest {};

TEST_F(StatementMatching, ACleanDayMatchesEveryLineAndFindsNothing) {
    completed_buy("850", "buy-1");
    completed_buy("1700", "buy-2");
    completed_sell("0.05", "sell-1");
    ASSERT_EQ(import(statement(kPaybill)).status, 201);
    ASSERT_EQ(import(statement(kB2cShortcode)).status, 201);

    const auto first = run();
    ASSERT_EQ(first.status, 201) << first.raw;
    const auto& summary = first.body.at("run").at("summary");
    EXPECT_EQ(first.body.at("run").at("status"), "completed");
    EXPECT_EQ(first.body.at("run").at("critical_count"), 0);
    EXPECT_EQ(classes(first.body), Classes{}) << first.raw;
    EXPECT_EQ(summary.at("lines_in"), 2);
    EXPECT_EQ(summary.at("lines_out"), 1);
    EXPECT_EQ(summary.at("matched"), 3);
    EXPECT_EQ(summary.at("statements").at("paybill_covered"), true);
    EXPECT_EQ(summary.at("counts").at("money_without_credit"), 0);

    const auto second = run();
    ASSERT_EQ(second.status, 201);
    EXPECT_NE(second.body.at("run").at("run_id"), first.body.at("run").at("run_id"))
        << "every run is stored; none overwrites another";
    EXPECT_EQ(app_.query("SELECT count(*) FROM reconciliation_runs WHERE status = 'completed'"), "2");
}

TEST_F(StatementMatching, APaymentWithNoTradeIsMoneyWithoutCredit) {
    completed_buy("850", "buy-1");
    // Someone pays the paybill directly: the simulator completes it, no trade exists, and its
    // callback (to an address that is nobody's) changes nothing here.
    auto& daraja = app_.app().application().daraja();
    const auto pushed = daraja.stk_push({.amount = Cents{500'00},
                                         .msisdn = registered_msisdn(alice_),
                                         .account_reference = "WALKIN",
                                         .description = "Paybill",
                                         .callback_url = "http://127.0.0.1:9/nobody"});
    ASSERT_TRUE(pushed.has_value());
    ASSERT_TRUE(app_.sim().wait_for_callbacks(2));
    import_day(statement(kPaybill));

    const auto report = run();
    ASSERT_EQ(report.status, 201) << report.raw;
    ASSERT_EQ(classes(report.body), Classes{"money_without_credit"}) << report.raw;
    const auto& item = report.body.at("items")[0];
    EXPECT_EQ(item.at("severity"), "critical");
    EXPECT_EQ(item.at("actual_kes"), "500.00");
    EXPECT_EQ(item.at("trade_id"), nullptr);
    EXPECT_EQ(report.body.at("run").at("critical_count"), 1);
    EXPECT_EQ(report.body.at("run").at("summary").at("matched"), 1);
}

TEST_F(StatementMatching, ACreditWithNoPaymentOnTheStatementIsCreditWithoutMoney) {
    // The day's statement was exported before this buy was paid: its money is on no line.
    import_day(statement(kPaybill));
    const std::string trade_id = completed_buy("850", "buy-1");

    const auto report = run();
    ASSERT_EQ(classes(report.body), Classes{"credit_without_money"}) << report.raw;
    const auto& item = report.body.at("items")[0];
    EXPECT_EQ(item.at("trade_id"), trade_id);
    EXPECT_EQ(item.at("expected_kes"), "850.00");
    EXPECT_EQ(item.at("severity"), "critical");
}

TEST_F(StatementMatching, NoStatementNoVerdictOnCreditsButEachUncoveredAccountIsListed) {
    completed_buy("850", "buy-1");
    const auto report = run();
    EXPECT_EQ(classes(report.body), (Classes{"statement_missing", "statement_missing"})) << report.raw;
    EXPECT_EQ(report.body.at("run").at("critical_count"), 0);
    EXPECT_EQ(report.body.at("run").at("summary").at("statements").at("paybill_covered"), false);
}

TEST_F(StatementMatching, ATamperedAmountIsAnAmountMismatch) {
    const std::string trade_id = completed_buy("850", "buy-1");
    import_day(replaced(statement(kPaybill), ",850.00,", ",800.00,"));

    const auto report = run();
    ASSERT_EQ(classes(report.body), Classes{"amount_mismatch"}) << report.raw;
    const auto& item = report.body.at("items")[0];
    EXPECT_EQ(item.at("trade_id"), trade_id);
    EXPECT_EQ(item.at("expected_kes"), "850.00");
    EXPECT_EQ(item.at("actual_kes"), "800.00");
    EXPECT_FALSE(item.at("receipt").is_null());
}

TEST_F(StatementMatching, PayoutsMissingFromOrUnknownToTheStatementAreFound) {
    const std::string trade_id = completed_sell("0.05", "sell-1");
    const std::string receipt =
        app_.query("SELECT mpesa_transaction_id FROM payouts WHERE trade_id = '" + trade_id + "'");
    ASSERT_FALSE(receipt.empty());
    // The statement shows the money leaving under another receipt: the payout we recorded is
    // not on it, and the line it shows is no payout of ours.
    ASSERT_EQ(import(replaced(statement(kB2cShortcode), receipt, "ZZZ0000000")).status, 201);
    ASSERT_EQ(import(statement(kPaybill)).status, 201);

    const auto report = run();
    ASSERT_EQ(classes(report.body), (Classes{"payout_not_on_statement", "payout_not_recorded"}))
        << report.raw;
    for (const auto& item : report.body.at("items")) {
        if (item.at("class") == "payout_not_recorded") {
            EXPECT_EQ(item.at("receipt"), "ZZZ0000000");
            EXPECT_EQ(item.at("severity"), "critical");
            EXPECT_EQ(item.at("actual_kes"), "400.00");
        } else {
            EXPECT_EQ(item.at("receipt"), receipt);
            EXPECT_EQ(item.at("severity"), "critical") << "recorded as paid, yet no money left";
            EXPECT_EQ(item.at("trade_id"), trade_id);
        }
    }
}

TEST_F(StatementMatching, ImportingTheSameStatementTwiceAddsNothing) {
    completed_buy("850", "buy-1");
    const std::string csv = statement(kPaybill);
    const auto first = import(csv);
    ASSERT_EQ(first.status, 201) << first.raw;
    EXPECT_EQ(first.body.at("lines"), 1);
    EXPECT_EQ(first.body.at("new_lines"), 1);
    EXPECT_EQ(first.body.at("shortcode"), kPaybill);
    const auto again = import(csv);
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.body.at("already_imported"), true);
    EXPECT_EQ(again.body.at("statement_id"), first.body.at("statement_id"));

    // A later export of the same day repeats the first line and adds one.
    completed_buy("1700", "buy-2");
    const auto later = import(statement(kPaybill));
    ASSERT_EQ(later.status, 201);
    EXPECT_EQ(later.body.at("lines"), 2);
    EXPECT_EQ(later.body.at("new_lines"), 1);
    EXPECT_EQ(app_.query("SELECT count(*) FROM mpesa_statement_lines"), "2");
    EXPECT_EQ(app_.query("SELECT count(*) FROM mpesa_statements"), "2");
    ASSERT_EQ(import(statement(kB2cShortcode)).status, 201);
    EXPECT_EQ(classes(run().body), Classes{});
}

TEST_F(StatementMatching, AStatementContradictingAnEarlierOneStoresNothing) {
    completed_buy("850", "buy-1");
    const std::string csv = statement(kPaybill);
    ASSERT_EQ(import(csv).status, 201);
    const auto contradicting = import(replaced(csv, ",850.00,", ",800.00,"));
    EXPECT_EQ(contradicting.status, 400) << contradicting.raw;
    EXPECT_EQ(contradicting.body.at("code"), "validation_failed");
    EXPECT_EQ(app_.query("SELECT count(*) FROM mpesa_statements"), "1");
    EXPECT_EQ(app_.query("SELECT amount_cents FROM mpesa_statement_lines"), "85000");
}

TEST_F(StatementMatching, UnreadableStatementsAreRefusedWithNothingStored) {
    EXPECT_EQ(import("just,some,text\r\n1,2,3\r\n").body.at("code"), "validation_failed");
    const std::string bad_amount =
        std::string("Receipt No.,Completion Time,Paid In,Withdrawn,Transaction Status\r\n") +
        "ABC1234567,18-11-2026 14:00:00,8.5.0,,Completed\r\n";
    EXPECT_EQ(import(bad_amount).body.at("code"), "validation_failed");
    httplib::Client client = app_.app().client();
    const auto as_json = client.Post("/admin/reconciliation/statements",
                                     {{"Authorization", "Bearer " + app_.admin_token()}}, "{}",
                                     "application/json");
    ASSERT_TRUE(as_json);
    EXPECT_EQ(as_json->status, 415);
    EXPECT_EQ(app_.query("SELECT count(*) FROM mpesa_statements"), "0");
    EXPECT_EQ(app_.query("SELECT count(*) FROM mpesa_statement_lines"), "0");
}

TEST_F(StatementMatching, AStatementMustBeOfOneOfOurAccounts) {
    completed_buy("850", "buy-1");
    const std::string csv = statement(kPaybill);
    const std::string unmarked = without_line(csv, "Short Code:");
    EXPECT_EQ(import(unmarked).body.at("code"), "validation_failed") << "whose account is it?";
    EXPECT_EQ(import(replaced(csv, "Short Code:,174379", "Short Code:,999999")).body.at("code"),
              "validation_failed");
    httplib::Client client = app_.app().client();
    const httplib::Headers admin = {{"Authorization", "Bearer " + app_.admin_token()}};
    const auto other = client.Post("/admin/reconciliation/statements?shortcode=600980", admin, csv, "text/csv");
    ASSERT_TRUE(other);
    EXPECT_EQ(other->status, 400) << "the file says 174379: " << other->body;
    EXPECT_EQ(app_.query("SELECT count(*) FROM mpesa_statements"), "0");
    const auto named = client.Post("/admin/reconciliation/statements?shortcode=174379", admin, unmarked, "text/csv");
    ASSERT_TRUE(named);
    EXPECT_EQ(named->status, 201) << named->body;
    EXPECT_EQ(app_.query("SELECT shortcode FROM mpesa_statements"), kPaybill);
}

TEST_F(StatementMatching, MoneyOutForAPayoutStillAwaitingItsResultIsAWarningNotAnAlarm) {
    ASSERT_TRUE(
        app_.simulator().set_b2c_scenario(registered_msisdn(alice_), sim::B2cScenario::b2c_no_callback));
    app_.credit(alice_.at("user_id"), "0.05");
    const auto placed =
        app_.sell(token_, {{"grams", "0.05"}, {"payout_phone", registered_msisdn(alice_)}}, "sell-1");
    ASSERT_EQ(placed.status, 201);
    app_.run_outbox();
    ASSERT_TRUE(sim_completed(1));
    import_day(statement(kPaybill));  // the B2C statement shows the payout the Result never told
    const auto report = run();
    ASSERT_EQ(classes(report.body), Classes{"payout_awaiting_result"}) << report.raw;
    EXPECT_EQ(report.body.at("items")[0].at("trade_id"), placed.body.at("trade_id"));
    EXPECT_EQ(report.body.at("run").at("critical_count"), 0);
}

TEST_F(StatementMatching, AStatementUploadMayBeAsLargeAsTheUploadLimitAndNoLarger) {
    const std::size_t limit = app::load_config({})->http.upload_bytes_max;
    // Exactly the limit reaches the parser (and is refused as no statement); one byte more is
    // refused by the transport. Nothing is stored either way.
    const auto at_limit = import(std::string(limit, 'x'));
    EXPECT_EQ(at_limit.status, 400) << at_limit.raw;
    EXPECT_EQ(at_limit.body.at("code"), "validation_failed");
    const auto over = import(std::string(limit + 1, 'x'));
    EXPECT_EQ(over.status, 413) << over.raw;
    EXPECT_EQ(app_.query("SELECT count(*) FROM mpesa_statements"), "0");
}

}  // namespace
}  // namespace gw::test
