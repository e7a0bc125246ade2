// GET /admin/dashboard: the console's front page. Its figures are checked against a known
// state built through the API — gold summed over the pools (a retired pool's gold included),
// buys waiting for M-Pesa, payouts in the queue, the newest reconciliation run — and its roles:
// admin and treasury read it; a KYC reviewer and a user get 403.

#include <string>

#include <gtest/gtest.h>

#include "support/trade_app_fixture.hpp"

namespace gw::test {
namespace {

class Dashboard : public ::testing::Test {
protected:
    nlohmann::json dashboard(const std::string& token) {
        const JsonResponse response =
            request_json(app_.app(), "GET", "/admin/dashboard", nullptr, token);
        EXPECT_EQ(response.status, 200) << response.raw;
        return response.body;
    }

    TradeApp app_;
};

TEST_F(Dashboard, StartsEmpty) {
    const nlohmann::json body = dashboard(app_.admin_token());
    EXPECT_EQ(body["gold"]["total_grams"], "0.000000");
    EXPECT_EQ(body["gold"]["held_by_users_grams"], "0.000000");
    EXPECT_EQ(body["pools"], (nlohmann::json{{"active", 0}, {"retired", 0}}));
    EXPECT_EQ(body["pending_stk_pushes"], 0);
    EXPECT_EQ(body["pending_payouts"], (nlohmann::json{{"count", 0}, {"manual", 0}, {"b2c", 0}}));
    EXPECT_TRUE(body["last_reconciliation"].is_null());
}

TEST_F(Dashboard, SumsPoolsAndCountsOpenWork) {
    app_.create_pool("Vault A", "10", 1);
    const std::string retired = app_.create_pool("Vault B", "2.5", 2);
    app_.set_prices("8000", "7500");
    const nlohmann::json alice = app_.user("alice");
    app_.credit(alice.at("user_id"), "1.25");  // from Vault A, first by priority
    const std::string token = alice.at("access_token");
    const std::string phone = registered_msisdn(alice);
    const JsonResponse buy =
        app_.buy(token, {{"amount_kes", "800"}, {"phone_for_stk", phone}}, "dash-buy");
    ASSERT_EQ(buy.status, 201) << buy.raw;  // 0.1 g reserved, the STK Push not yet answered
    const JsonResponse sell =
        app_.sell(token, {{"grams", "0.25"}, {"payout_phone", phone}}, "dash-sell");
    ASSERT_EQ(sell.status, 201) << sell.raw;  // manual payout waiting in the queue
    ASSERT_EQ(request_json(app_.app(),
                           "POST",
                           "/pools/" + retired + "/retire",
                           {{"reason", "assay"}},
                           app_.admin_token())
                  .status,
              200);

    const nlohmann::json body = dashboard(app_.admin_token());
    EXPECT_EQ(body["gold"]["total_grams"], "12.500000");
    EXPECT_EQ(body["gold"]["reserved_grams"], "0.100000");
    EXPECT_EQ(body["gold"]["held_by_users_grams"], "1.000000");
    EXPECT_EQ(body["gold"]["being_sold_grams"], "0.250000");
    EXPECT_EQ(body["gold"]["available_grams"], "11.150000");
    EXPECT_EQ(body["pools"], (nlohmann::json{{"active", 1}, {"retired", 1}}));
    EXPECT_EQ(body["pending_stk_pushes"], 1);
    EXPECT_EQ(body["pending_payouts"], (nlohmann::json{{"count", 1}, {"manual", 1}, {"b2c", 0}}));
}

TEST_F(Dashboard, ShowsTheNewestReconciliationRun) {
    const JsonResponse run = request_json(app_.app(),
                                          "POST",
                                          "/admin/reconciliation/run",
                                          {{"date", "2026-11-17"}},
                                          app_.admin_token());
    ASSERT_EQ(run.status, 201) << run.raw;
    const nlohmann::json last = dashboard(app_.admin_token())["last_reconciliation"];
    EXPECT_EQ(last["run_id"], run.body["run"]["run_id"]);
    EXPECT_EQ(last["day"], "2026-11-17");
    EXPECT_EQ(last["status"], "completed");
    EXPECT_EQ(last["unresolved_critical"], run.body["run"]["unresolved_critical"]);
}

TEST_F(Dashboard, IsForAdminAndTreasuryOnly) {
    const nlohmann::json treasury = staff_login(app_.app(), "tess", identity::Role::treasury);
    dashboard(treasury.at("access_token"));
    const nlohmann::json reviewer = staff_login(app_.app(), "kim", identity::Role::kyc_reviewer);
    EXPECT_EQ(
        request_json(app_.app(), "GET", "/admin/dashboard", nullptr, reviewer.at("access_token"))
            .status,
        403);
    const nlohmann::json user = app_.user("bob");
    const JsonResponse refused =
        request_json(app_.app(), "GET", "/admin/dashboard", nullptr, user.at("access_token"));
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(refused.body["code"], "forbidden");
    EXPECT_EQ(request_json(app_.app(), "GET", "/admin/dashboard").status, 401);
}

}  // namespace
}  // namespace gw::test
