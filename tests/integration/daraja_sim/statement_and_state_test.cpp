// Proves the simulator's reconciliation and operations surface over real HTTP: the portal
// statement export (DARAJA.md §9: file name, metadata rows, header, Paid In / Withdrawn rows
// with masked parties), the /sim/transactions view (callback path only), the scenario control
// API, reset, and that a state file keeps transactions, balances and receipts across a restart.

#include <gtest/gtest.h>

#include "daraja-sim/nairobi_time.hpp"
#include "raw_daraja.hpp"

namespace gw::test {
namespace {

std::string today_iso(const sim::Simulator& simulator) {
    const std::string compact = sim::nairobi_compact(simulator.now());
    return compact.substr(0, 4) + "-" + compact.substr(4, 2) + "-" + compact.substr(6, 2);
}

// Pays in 250 by STK and out 100 by B2C, waiting for both results.
void pay_in_and_out(SimFixture& sim, CallbackReceiver& receiver) {
    RawDaraja daraja(sim.base_url());
    const std::string token = daraja.token();
    const std::size_t before = receiver.received().size();
    ASSERT_EQ(daraja.stk_push(stk_body(kTestMsisdn, 250, receiver.url("/stk")), token).status, 200);
    ASSERT_EQ(daraja
                  .post_json("/mpesa/b2c/v3/paymentrequest",
                             b2c_body("po-" + std::to_string(before),
                                      kTestMsisdn,
                                      100,
                                      sim.simulator().security_credential(),
                                      receiver),
                             token)
                  .status,
              200);
    ASSERT_TRUE(receiver.wait_for(before + 2));
}

TEST(Statement, CsvOverHttp) {
    SimFixture sim;
    CallbackReceiver receiver;
    pay_in_and_out(sim, receiver);
    RawDaraja daraja(sim.base_url());
    const std::string day = today_iso(sim.simulator());
    const Reply paybill = daraja.get("/sim/statement?shortcode=174379&from=" + day + "&to=" + day);
    ASSERT_EQ(paybill.status, 200);
    EXPECT_EQ(header_value(paybill.headers, "Content-Type"), "text/csv");
    const std::string disposition = header_value(paybill.headers, "Content-Disposition");
    EXPECT_TRUE(
        disposition.starts_with("attachment; filename=\"ORG_174379_Utility Account_Completed_"))
        << disposition;
    EXPECT_NE(paybill.body.find(
                  "Receipt No.,Completion Time,Initiation Time,Details,Transaction Status,Paid In,"
                  "Withdrawn,Balance,Balance Confirmed,Reason Type,Other Party Info,"
                  "Linked Transaction ID,A/C No.\r\n"),
              std::string::npos);
    EXPECT_NE(
        paybill.body.find(
            ",Completed,250.00,,250.00,true,Pay Bill Online,2547******149 - JANE DOE,,INV001"),
        std::string::npos)
        << paybill.body;
    EXPECT_NE(paybill.body.find("Closing Balance:,250.00"), std::string::npos);
    EXPECT_EQ(paybill.body.find("254708374149"), std::string::npos);  // masked everywhere

    const Reply utility = daraja.get("/sim/statement?shortcode=600980&from=" + day + "&to=" + day);
    EXPECT_NE(utility.body.find(
                  ",Completed,,-100.00,999900.00,true,Business Payment to Customer via API,"),
              std::string::npos)
        << utility.body;
    EXPECT_NE(utility.body.find("Opening Balance:,1000000.00"), std::string::npos);
    EXPECT_EQ(daraja.get("/sim/statement?shortcode=999999").status, 404);
    EXPECT_EQ(daraja.get("/sim/statement?from=2025-02-30").status, 400);
}

TEST(Control, TransactionsViewScenariosAndReset) {
    SimFixture sim;
    CallbackReceiver receiver;
    RawDaraja daraja(sim.base_url());
    const std::string token = daraja.token();
    ASSERT_EQ(
        daraja.stk_push(stk_body(kTestMsisdn, 250, receiver.url("/hooks/lnm/secret?t=1")), token)
            .status,
        200);
    ASSERT_TRUE(receiver.wait_for(1));
    const Reply view = daraja.get("/sim/transactions");
    ASSERT_EQ(view.json.size(), 1U);
    EXPECT_EQ(view.json[0]["callback_path"], "/hooks/lnm/secret");
    EXPECT_FALSE(view.json[0].contains("callback_url"));
    EXPECT_EQ(view.json[0]["status"], "completed");

    EXPECT_EQ(daraja.put("/sim/scenarios/0700000001", R"({"stk":"nope"})").status, 400);
    EXPECT_EQ(daraja.post("/sim/scenarios/0700000001", R"({"stk":"cancelled"})", "").status, 405);
    EXPECT_EQ(daraja.put("/sim/scenarios/12345", R"({"stk":"cancelled"})").status, 400);
    EXPECT_EQ(daraja.put("/sim/scenarios/0700000001", R"({"stk":"cancelled"})").status, 200);
    EXPECT_EQ(daraja.put("/sim/scenarios/default", R"({"b2c":"b2c_locked"})").status, 200);
    httplib::Client control(sim.base_url());
    const Reply scenarios = daraja.get("/sim/scenarios");
    EXPECT_EQ(scenarios.json["254700000001"]["stk"], "cancelled");
    EXPECT_EQ(scenarios.json["default"]["b2c"], "b2c_locked");
    EXPECT_EQ(control.Delete("/sim/scenarios/0700000001")->status, 200);
    EXPECT_FALSE(daraja.get("/sim/scenarios").json.contains("254700000001"));

    ASSERT_EQ(daraja.post("/sim/reset", "", "").status, 200);
    EXPECT_TRUE(daraja.get("/sim/transactions").json.empty());
    EXPECT_TRUE(daraja.get("/sim/callbacks").json.empty());
    EXPECT_EQ(daraja.stk_query("ws_CO_x", token).json["errorCode"],
              "404.001.03");  // tokens forgotten
}

TEST(StateFile, SurvivesARestart) {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("gw-sim-state-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const auto with_state = [&](sim::SimulatorConfig& config) {
        config.state_file = dir / "state.json";
    };
    CallbackReceiver receiver;
    std::vector<sim::Transaction> before;
    std::string csv_before;
    std::chrono::sys_days today{};
    {
        SimFixture first(with_state);
        today = sim::nairobi_day(first.simulator().now());
        pay_in_and_out(first, receiver);
        ASSERT_TRUE(first.wait_for_callbacks(2));
        before = first.simulator().transactions();
        csv_before = first.simulator().statement_csv("600980", today, today)->csv;
    }
    SimFixture second(with_state);
    const std::vector<sim::Transaction> after = second.simulator().transactions();
    ASSERT_EQ(after.size(), before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
        EXPECT_EQ(after[i].receipt, before[i].receipt);
        EXPECT_EQ(after[i].status, before[i].status);
        EXPECT_EQ(after[i].balance_after_kes, before[i].balance_after_kes);
    }
    EXPECT_EQ(second.simulator().statement_csv("600980", today, today)->csv, csv_before);
    // New receipts continue the saved sequence instead of repeating it.
    pay_in_and_out(second, receiver);
    const std::vector<sim::Transaction> later = second.simulator().transactions();
    ASSERT_EQ(later.size(), before.size() + 2);
    EXPECT_NE(later.back().receipt, before.back().receipt);
    EXPECT_NE(later[later.size() - 2].receipt, before[before.size() - 2].receipt);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gw::test
