// Buying gold end to end: HTTP -> one reservation transaction -> outbox -> STK Push to the
// simulator -> callback over HTTP -> the trade settles and the ledger posts or voids.

#include <gtest/gtest.h>

#include "support/trade_app_fixture.hpp"

namespace gw::test {
namespace {


class BuyFlow : public ::testing::Test {
protected:
    void SetUp() override {
        pool_ = app_.create_pool("Vault A", "10");
        app_.set_prices("8500", "8000");
        alice_ = app_.user("alice");
        token_ = alice_.at("access_token");
    }

    nlohmann::json balance() {
        return request_json(app_.app(), "GET", "/user/balance", nullptr, token_).body;
    }

    TradeApp app_;
    std::string pool_;
    nlohmann::json alice_;
    std::string token_;
};

TEST_F(BuyFlow, ASuccessfulPaymentCreditsTheGramsOnce) {
    const auto placed =
        app_.buy(token_, {{"amount_kes", "850"}, {"phone_for_stk", kTestMsisdn}}, "buy-1");
    ASSERT_EQ(placed.status, 201) << placed.raw;
    const std::string trade_id = placed.body.at("trade_id");
    EXPECT_EQ(placed.body.at("status"), "reserved");
    EXPECT_EQ(placed.body.at("grams"), "0.100000");
    EXPECT_EQ(placed.body.at("amount_kes"), "850.00");
    EXPECT_EQ(placed.body.at("price_per_gram"), "8500.00");
    EXPECT_EQ(placed.body.at("stk_push_initiated"), true);
    EXPECT_EQ(app_.simulator().transactions().size(), 0u)
        << "nothing is sent before the outbox runs";
    EXPECT_EQ(balance().at("grams"), "0.000000") << "reserved gold is not the user's yet";

    EXPECT_EQ(app_.run_outbox(), 1u);
    ASSERT_EQ(app_.simulator().transactions().size(), 1u);
    EXPECT_EQ(app_.wait_for_trade(token_, trade_id, "completed"), "completed");
    const auto trade = app_.trade(token_, trade_id);
    EXPECT_FALSE(trade.body.at("receipt").is_null());
    EXPECT_EQ(trade.body.at("allocations").size(), 1u);
    EXPECT_EQ(balance().at("grams"), "0.100000");
    EXPECT_EQ(app_.query("SELECT available_grams FROM pools WHERE id = '" + pool_ + "'"),
              "9900000");
    EXPECT_EQ(app_.run_outbox(), 1u) << "only the receipt's notification: the push is sent once";
    EXPECT_EQ(app_.simulator().transactions().size(), 1u);
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(BuyFlow, ACancelledPromptFailsTheTradeAndReturnsTheGold) {
    ASSERT_TRUE(app_.simulator().set_stk_scenario(kTestMsisdn, sim::StkScenario::cancelled));
    const auto placed =
        app_.buy(token_, {{"grams", "0.5"}, {"phone_for_stk", kTestMsisdn}}, "buy-cancel");
    ASSERT_EQ(placed.status, 201) << placed.raw;
    EXPECT_EQ(placed.body.at("amount_kes"), "4250.00");
    const std::string trade_id = placed.body.at("trade_id");
    EXPECT_EQ(app_.query("SELECT reserved_grams FROM pools WHERE id = '" + pool_ + "'"), "500000");
    app_.run_outbox();
    EXPECT_EQ(app_.wait_for_trade(token_, trade_id, "failed"), "failed");
    EXPECT_EQ(app_.trade(token_, trade_id).body.at("reason"), "cancelled");
    EXPECT_EQ(app_.query("SELECT available_grams FROM pools WHERE id = '" + pool_ + "'"),
              "10000000");
    EXPECT_EQ(balance().at("grams"), "0.000000");
    EXPECT_EQ(app_.invariant_violations(), "");
}

}  // namespace
}  // namespace gw::test
