// Daraja misbehaving while a buy's STK Push is sent — answering after 5 s, answering garbage
// (HTTP 200 that is not JSON), answering HTTP 500, or closing every connection — and then
// recovering. Whatever it does, gold is credited only with Daraja's confirmation: a buy the
// user owns grams for is completed with the receipt of a payment the simulator really
// completed, never a second prompt is sent, and the books balance. (Daraja wholly down is
// BuyScenarios.APushDarajaNeverReceivedIsRetriedThenExpired.)

#include <chrono>
#include <gtest/gtest.h>
#include <string>

#include "support/trade_app_fixture.hpp"

namespace gw::test {
namespace {


class DarajaOutage : public ::testing::TestWithParam<sim::OutageMode> {
protected:
    void SetUp() override {
        token_ = app_.user("alice").at("access_token");
        app_.create_pool("Vault A", "10");
        app_.set_prices("8500", "8000");
    }

    std::string user_grams() {
        return request_json(app_.app(), "GET", "/user/balance", nullptr, token_).body.value("grams", "");
    }

    // The only STK transaction the simulator holds, completed, with this receipt.
    bool simulator_completed(const std::string& receipt) {
        const auto transactions = app_.simulator().transactions();
        return transactions.size() == 1 && transactions[0].status == sim::TransactionStatus::completed &&
               !receipt.empty() && transactions[0].receipt == receipt;
    }

    // Grams are owned only for a completed trade that Daraja confirmed; otherwise none.
    void expect_credited_only_when_confirmed(const std::string& trade_id, const std::string& when) {
        const auto trade = app_.trade(token_, trade_id).body;
        if (trade.value("status", "") == "completed") {
            EXPECT_TRUE(simulator_completed(trade.value("receipt", "")))
                << when << ": completed without a payment the simulator made: " << trade.dump();
            EXPECT_EQ(user_grams(), "0.100000") << when;
        } else {
            EXPECT_EQ(user_grams(), "0.000000") << when << ": credited while " << trade.value("status", "");
        }
        EXPECT_LE(app_.simulator().transactions().size(), 1u) << when << ": never a second prompt";
        EXPECT_EQ(app_.invariant_violations(), "") << when;
    }

    TradeApp app_;
    std::string token_;
};

TEST_P(DarajaOutage, NothingIsCreditedWithoutDarajasConfirmation) {
    const auto placed = app_.buy(token_, {{"amount_kes", "850"}, {"phone_for_stk", kTestMsisdn}}, "outage-1");
    ASSERT_EQ(placed.status, 201) << placed.raw;
    const std::string trade_id = placed.body.value("trade_id", "");

    app_.simulator().set_outage({.mode = GetParam(), .slow = std::chrono::milliseconds(5000)});
    app_.run_outbox();
    app_.wait_for_trade(token_, trade_id, "completed", std::chrono::seconds(2));
    expect_credited_only_when_confirmed(trade_id, "during the outage");

    // Past the payment deadline, Daraja still misbehaving: the sweeper may ask, never guess.
    app_.app().clock().advance(std::chrono::seconds(121));
    app_.sweep();
    app_.run_outbox();
    expect_credited_only_when_confirmed(trade_id, "swept during the outage");

    // Daraja recovers: whatever it says now settles the buy, still only by its word.
    app_.simulator().set_outage({});
    app_.app().clock().advance(std::chrono::seconds(60));
    app_.sweep();
    app_.wait_for_trade(token_, trade_id, "completed", std::chrono::seconds(2));
    expect_credited_only_when_confirmed(trade_id, "after recovery");
}

INSTANTIATE_TEST_SUITE_P(EachFault,
                         DarajaOutage,
                         ::testing::Values(sim::OutageMode::slow, sim::OutageMode::garbage, sim::OutageMode::http_500,
                                           sim::OutageMode::refuse_all),
                         [](const ::testing::TestParamInfo<sim::OutageMode>& mode) {
                             return std::string(sim::to_string(mode.param));
                         });

}  // namespace
}  // namespace gw::test
