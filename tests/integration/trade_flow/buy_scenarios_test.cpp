// What becomes of a buy for each way its payment can go: refused by the customer, never
// answered (the sweeper asks STK Query), never sent (the sweeper voids it as `expired`),
// answered twice or late, and how a buy is filled from the pools (partial fills, FIFO by
// priority). Each test drives the real node over HTTP with the simulator playing M-Pesa, then
// checks both the API's answer and what the database holds: the trade's events, the ledger
// transfers, the pools and the ledger invariants.

#include <chrono>
#include <map>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "db/transaction.hpp"
#include "identity/uuid.hpp"
#include "mpesa/mpesa_request.hpp"
#include "support/trade_app_fixture.hpp"
#include "trading/trade_settlement.hpp"

namespace gw::test {
namespace {

// Past the fixture's 120 s payment deadline.
constexpr auto kPastDeadline = std::chrono::seconds(121);

class BuyScenarios : public ::testing::Test {
protected:
    void SetUp() override {
        alice_ = app_.user("alice");
        token_ = alice_.at("access_token");
    }

    // One 10 g pool at KES 8,500 a gram, as most scenarios need.
    void stock_vault() {
        pool_ = app_.create_pool("Vault A", "10");
        app_.set_prices("8500", "8000");
    }

    std::string pool_column(const std::string& pool_id, const std::string& column) {
        return app_.query("SELECT " + column + " FROM pools WHERE id = '" + pool_id + "'");
    }

    std::string user_grams() {
        return request_json(app_.app(), "GET", "/user/balance", nullptr, token_)
            .body.value("grams", "");
    }

    std::string count(const std::string& sql) { return app_.query("SELECT count(*) FROM " + sql); }

    std::string count_for_trade(const std::string& table_and_filter, const std::string& trade_id) {
        return count(table_and_filter + " AND trade_id = '" + trade_id + "'");
    }

    // Places a 0.1 g buy (KES 850) for `phone` and returns its id.
    std::string place(const std::string& phone, const std::string& key) {
        const auto placed =
            app_.buy(token_, {{"amount_kes", "850"}, {"phone_for_stk", phone}}, key);
        EXPECT_EQ(placed.status, 201) << placed.raw;
        return placed.body.value("trade_id", "");
    }

    // Waits until the simulator has answered the only STK prompt (its delivery thread settles
    // it after the callback delay), so STK Query gives a final answer.
    bool wait_for_final_prompt() {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (std::chrono::steady_clock::now() < deadline) {
            const auto transactions = app_.simulator().transactions();
            if (transactions.size() == 1 &&
                transactions[0].status != sim::TransactionStatus::pending) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }

    // The gold went back: the pool holds all 10 g again, nothing reserved, the user owns none.
    void expect_gold_returned() {
        EXPECT_EQ(pool_column(pool_, "available_grams"), "10000000");
        EXPECT_EQ(pool_column(pool_, "reserved_grams"), "0");
        EXPECT_EQ(user_grams(), "0.000000");
        EXPECT_EQ(app_.invariant_violations(), "");
    }

    // A buy of `phone` under a refusing scenario fails with `reason` and returns the gold.
    void expect_refused_with(sim::StkScenario scenario,
                             const std::string& phone,
                             const std::string& reason) {
        stock_vault();
        ASSERT_TRUE(app_.simulator().set_stk_scenario(phone, scenario));
        const std::string trade_id = place(phone, "refused-1");
        EXPECT_EQ(pool_column(pool_, "reserved_grams"), "100000");
        EXPECT_EQ(app_.run_outbox(), 1u);
        EXPECT_EQ(app_.wait_for_trade(token_, trade_id, "failed"), "failed");
        const auto trade = app_.trade(token_, trade_id);
        EXPECT_EQ(trade.body.at("reason"), reason);
        EXPECT_TRUE(trade.body.at("receipt").is_null());
        EXPECT_EQ(count_for_trade("transfers WHERE kind = 'buy.void'", trade_id), "1");
        EXPECT_EQ(count_for_trade("transfers WHERE kind = 'buy.settle'", trade_id), "0");
        expect_gold_returned();
    }

    TradeApp app_;
    std::string pool_;
    nlohmann::json alice_;
    std::string token_;
};

TEST_F(BuyScenarios, AWrongPinFailsTheTradeAndReturnsTheGold) {
    expect_refused_with(sim::StkScenario::wrong_pin, "254708374150", "wrong_pin");
}

TEST_F(BuyScenarios, InsufficientFundsFailsTheTradeWithThatReason) {
    expect_refused_with(sim::StkScenario::insufficient_funds, "254708374151", "insufficient_funds");
}

TEST_F(BuyScenarios, APromptThatNeverCallsBackIsSettledByStkQueryAfterTheDeadline) {
    stock_vault();
    ASSERT_TRUE(app_.simulator().set_stk_scenario(kTestMsisdn, sim::StkScenario::no_callback));
    const std::string trade_id = place(kTestMsisdn, "silent-1");
    EXPECT_EQ(app_.run_outbox(), 1u);
    // The simulator times the prompt out (1037) without ever calling back.
    ASSERT_TRUE(wait_for_final_prompt());
    EXPECT_EQ(app_.trade(token_, trade_id).body.at("status"), "awaiting_payment");

    app_.app().clock().advance(std::chrono::seconds(119));
    app_.sweep();
    EXPECT_EQ(app_.trade(token_, trade_id).body.at("status"), "awaiting_payment")
        << "before the deadline the sweeper leaves the trade alone";
    EXPECT_EQ(count("mpesa_exchanges WHERE operation = 'stk_query'"), "0");

    app_.app().clock().advance(std::chrono::seconds(2));
    app_.sweep();
    const auto trade = app_.trade(token_, trade_id);
    EXPECT_EQ(trade.body.at("status"), "failed")
        << "STK Query answers 1037: the customer never paid";
    EXPECT_EQ(trade.body.at("reason"), "timeout");
    EXPECT_EQ(app_.simulator().callback_count(), 0u);
    expect_gold_returned();
}

TEST_F(BuyScenarios, APushNeverSentBeforeTheDeadlineIsExpiredByTheSweeper) {
    stock_vault();
    const std::string trade_id = place(kTestMsisdn, "unsent-1");
    app_.app().clock().advance(kPastDeadline);
    // The outbox handler leaves a buy past its deadline to the sweeper and sends nothing.
    app_.run_outbox();
    EXPECT_EQ(app_.query("SELECT status FROM outbox WHERE key = '" + trade_id + "'"), "done");
    EXPECT_EQ(app_.simulator().transactions().size(), 0u);
    app_.sweep();
    const auto trade = app_.trade(token_, trade_id);
    EXPECT_EQ(trade.body.at("status"), "failed");
    EXPECT_EQ(trade.body.at("reason"), "expired");
    EXPECT_EQ(count("mpesa_requests"), "0");
    expect_gold_returned();
}

TEST_F(BuyScenarios, APushDarajaNeverReceivedIsRetriedThenExpired) {
    stock_vault();
    const std::string trade_id = place(kTestMsisdn, "down-1");
    app_.simulator().stop();
    app_.run_outbox();
    EXPECT_EQ(
        app_.query("SELECT error_code FROM mpesa_requests WHERE reference = '" + trade_id + "'"),
        "not_sent");
    EXPECT_EQ(app_.query("SELECT status FROM outbox WHERE key = '" + trade_id + "'"), "pending")
        << "a push that never left is tried again";

    app_.app().clock().advance(kPastDeadline);
    app_.sweep();
    EXPECT_EQ(app_.trade(token_, trade_id).body.at("status"), "reserved")
        << "the sweeper waits while the outbox may still send the push";
    app_.run_outbox();  // past the deadline: the handler gives the buy up to the sweeper
    EXPECT_EQ(app_.query("SELECT status FROM outbox WHERE key = '" + trade_id + "'"), "done");
    app_.sweep();
    EXPECT_EQ(app_.trade(token_, trade_id).body.at("status"), "reserved")
        << "a buy the sweeper found waiting is looked at again only after 10 s";
    app_.app().clock().advance(std::chrono::seconds(10));
    app_.sweep();
    const auto trade = app_.trade(token_, trade_id);
    EXPECT_EQ(trade.body.at("status"), "failed");
    EXPECT_EQ(trade.body.at("reason"), "expired");
    EXPECT_EQ(app_.simulator().transactions().size(), 0u);
    expect_gold_returned();
}

TEST_F(BuyScenarios, ADuplicateCallbackCreditsTheGramsOnce) {
    stock_vault();
    ASSERT_TRUE(app_.simulator().set_stk_scenario(kTestMsisdn, sim::StkScenario::duplicate_callback));
    const std::string trade_id = place(kTestMsisdn, "twice-1");
    app_.run_outbox();
    EXPECT_EQ(app_.wait_for_trade(token_, trade_id, "completed"), "completed");
    // Both deliveries were answered, so both were processed by the node.
    ASSERT_TRUE(app_.sim().wait_for_callbacks(2));
    EXPECT_EQ(count("webhook_events"), "2");
    EXPECT_EQ(count("webhook_outcomes WHERE outcome = 'duplicate'"), "1");
    EXPECT_EQ(count_for_trade("transfers WHERE kind = 'buy.settle'", trade_id), "1");
    EXPECT_EQ(count_for_trade("trade_events WHERE status = 'completed'", trade_id), "1");
    EXPECT_EQ(user_grams(), "0.100000");
    EXPECT_EQ(pool_column(pool_, "available_grams"), "9900000");
    EXPECT_EQ(pool_column(pool_, "reserved_grams"), "0");
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(BuyScenarios, ACallbackAfterStkQuerySettledTheBuyChangesNothing) {
    stock_vault();
    // The payment is final at once for STK Query; its callback comes only ~500 ms later.
    ASSERT_TRUE(app_.simulator().set_stk_scenario(kTestMsisdn, sim::StkScenario::late_callback));
    const std::string trade_id = place(kTestMsisdn, "late-cb-1");
    app_.run_outbox();
    app_.app().clock().advance(kPastDeadline);
    app_.sweep();
    ASSERT_EQ(app_.simulator().callback_count(), 0u)
        << "the callback came before the sweep: retune";
    const auto settled = app_.trade(token_, trade_id);
    EXPECT_EQ(settled.body.at("status"), "completed");
    const std::string receipt = settled.body.at("receipt");
    EXPECT_EQ(receipt.rfind("stk:", 0), 0u) << "settled by STK Query, which carries no receipt";

    ASSERT_TRUE(app_.sim().wait_for_callbacks(1));
    EXPECT_EQ(count("webhook_outcomes WHERE outcome = 'duplicate'"), "1");
    EXPECT_EQ(app_.trade(token_, trade_id).body.at("receipt"), receipt);
    EXPECT_EQ(count_for_trade("transfers WHERE kind = 'buy.settle'", trade_id), "1");
    EXPECT_EQ(user_grams(), "0.100000");
    EXPECT_EQ(app_.invariant_violations(), "");
}

// No simulator sequence fails a buy while its payment request is still live (the sweeper
// voids only when none is, and a final request is never settled again), so a late payment is
// told to the settlement listener directly, as CallbackIntake would tell it.
class LatePayment : public BuyScenarios {
protected:
    // An expired buy of 0.1 g, then a successful payment result for it.
    std::string expire_then_pay() {
        const std::string trade_id = place(kTestMsisdn, "late-pay-1");
        app_.app().clock().advance(kPastDeadline);
        app_.run_outbox();
        app_.sweep();
        EXPECT_EQ(app_.trade(token_, trade_id).body.at("status"), "failed");
        pay_late(trade_id);
        return trade_id;
    }

    // Tells the settlement a successful payment for `trade_id`, in its own transaction.
    void pay_late(const std::string& trade_id) {
        const trading::PaymentOutcome paid{.paid = true,
                                           .result_code = "0",
                                           .receipt = "LATE000001",
                                           .mpesa_request_id = identity::random_uuid(),
                                           .amount = Cents{85'000},
                                           .source = "callback"};
        db::with_transaction(
            app_.app().application().pool(), "test.late_payment", [&](pqxx::work& tx) {
                app_.app().application().settlement().settle_buy(tx, trade_id, paid);
            });
    }
};

TEST_F(LatePayment, IsCreditedWhenThePoolsStillHoldTheGold) {
    stock_vault();
    const std::string trade_id = expire_then_pay();
    const auto trade = app_.trade(token_, trade_id);
    EXPECT_EQ(trade.body.at("status"), "completed");
    EXPECT_EQ(trade.body.at("reason"), "late_payment");
    EXPECT_EQ(app_.query(
                  "SELECT reason FROM trade_events WHERE status = 'late_payment' AND trade_id = '" +
                  trade_id + "'"),
              "credited");
    EXPECT_EQ(count_for_trade("transfers WHERE kind = 'buy.late_credit'", trade_id), "1");
    EXPECT_EQ(count_for_trade("transfers WHERE kind = 'buy.settle'", trade_id), "0");
    EXPECT_EQ(user_grams(), "0.100000");
    EXPECT_EQ(pool_column(pool_, "available_grams"), "9900000");
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(LatePayment, IsMarkedForRefundWhenThePoolsWereEmptiedMeanwhile) {
    pool_ = app_.create_pool("Small", "0.1");
    app_.set_prices("8500", "8000");
    const std::string trade_id = place(kTestMsisdn, "late-pay-0");
    app_.app().clock().advance(kPastDeadline);
    app_.run_outbox();
    app_.sweep();
    ASSERT_EQ(app_.trade(token_, trade_id).body.at("status"), "failed");
    // Bob buys the 0.1 g the failed trade gave back.
    const auto bob = app_.user("bob");
    const auto bobs = app_.buy(
        bob.at("access_token"), {{"grams", "0.1"}, {"phone_for_stk", "254708374152"}}, "b1");
    ASSERT_EQ(bobs.status, 201) << bobs.raw;

    pay_late(trade_id);
    const auto trade = app_.trade(token_, trade_id);
    EXPECT_EQ(trade.body.at("status"), "failed");
    EXPECT_EQ(app_.query(
                  "SELECT reason FROM trade_events WHERE status = 'late_payment' AND trade_id = '" +
                  trade_id + "'"),
              "refund_due");
    EXPECT_EQ(count_for_trade("transfers WHERE kind = 'buy.late_credit'", trade_id), "0");
    EXPECT_EQ(user_grams(), "0.000000");
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(BuyScenarios, AllowPartialBuysWhatThePoolsHoldRoundedUpToAShilling) {
    pool_ = app_.create_pool("Small", "0.3");
    // 0.3 g at 8,333.33 is KES 2,499.999: charged KES 2,500.
    app_.set_prices("8333.33", "8000");
    const auto placed =
        app_.buy(token_,
                 {{"grams", "0.5"}, {"phone_for_stk", kTestMsisdn}, {"allow_partial", true}},
                 "partial-1");
    ASSERT_EQ(placed.status, 201) << placed.raw;
    EXPECT_EQ(placed.body.at("partial"), true);
    EXPECT_EQ(placed.body.at("grams"), "0.300000");
    EXPECT_EQ(placed.body.at("amount_kes"), "2500.00");
    const std::string trade_id = placed.body.at("trade_id");
    EXPECT_EQ(app_.query("SELECT partial FROM trades WHERE id = '" + trade_id + "'"), "t");
    EXPECT_EQ(app_.query("SELECT amount_cents FROM trades WHERE id = '" + trade_id + "'"),
              "250000");
    EXPECT_EQ(pool_column(pool_, "reserved_grams"), "300000");
    EXPECT_EQ(pool_column(pool_, "available_grams"), "0");
    app_.run_outbox();
    ASSERT_EQ(app_.simulator().transactions().size(), 1u);
    EXPECT_EQ(app_.simulator().transactions()[0].amount_kes, 2500);
    EXPECT_EQ(app_.wait_for_trade(token_, trade_id, "completed"), "completed");
    EXPECT_EQ(user_grams(), "0.300000");
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(BuyScenarios, WithoutAllowPartialAShortPoolIsRefusedAndNothingIsStored) {
    pool_ = app_.create_pool("Small", "0.3");
    app_.set_prices("8333.33", "8000");
    const std::string transfers_before = count("transfers");
    const auto refused = app_.buy(token_, {{"grams", "0.5"}, {"phone_for_stk", kTestMsisdn}}, "whole-1");
    EXPECT_EQ(refused.status, 409) << refused.raw;
    EXPECT_EQ(refused.body.value("code", ""), "insufficient_gold");
    EXPECT_EQ(refused.body.value("available_grams", ""), "0.300000");
    EXPECT_EQ(refused.body.value("available_amount_kes", ""), "2500.00");
    EXPECT_NE(app_.metrics().find("goldwallet_pool_shortages_total 1\n"), std::string::npos);
    EXPECT_EQ(count("trades"), "0");
    EXPECT_EQ(count("outbox"), "0");
    EXPECT_EQ(count("transfers"), transfers_before);
    EXPECT_EQ(pool_column(pool_, "available_grams"), "300000");
    EXPECT_EQ(pool_column(pool_, "reserved_grams"), "0");
}

TEST_F(BuyScenarios, AllocationTakesThePoolsInPriorityOrder) {
    // Made in the opposite order, so creation order cannot pass for priority.
    const std::string second = app_.create_pool("Second", "1", 20);
    const std::string first = app_.create_pool("First", "0.2", 10);
    app_.set_prices("8500", "8000");
    const auto placed = app_.buy(token_, {{"grams", "0.5"}, {"phone_for_stk", kTestMsisdn}}, "fifo-1");
    ASSERT_EQ(placed.status, 201) << placed.raw;
    const std::string trade_id = placed.body.at("trade_id");

    std::map<std::string, std::string> grams_by_pool;
    const auto trade = app_.trade(token_, trade_id);
    for (const auto& allocation : trade.body.at("allocations")) {
        grams_by_pool[allocation.at("pool_id")] = allocation.at("grams");
    }
    EXPECT_EQ(grams_by_pool,
              (std::map<std::string, std::string>{{first, "0.200000"}, {second, "0.300000"}}));
    EXPECT_EQ(count_for_trade("allocations WHERE true", trade_id), "2");

    app_.run_outbox();
    EXPECT_EQ(app_.wait_for_trade(token_, trade_id, "completed"), "completed");
    EXPECT_EQ(count_for_trade("transfers WHERE kind = 'buy.settle'", trade_id), "2");
    EXPECT_EQ(pool_column(first, "available_grams"), "0");
    EXPECT_EQ(pool_column(second, "available_grams"), "700000");
    EXPECT_EQ(pool_column(first, "held_grams"), "200000");
    EXPECT_EQ(pool_column(second, "held_grams"), "300000");
    EXPECT_EQ(user_grams(), "0.500000");
    EXPECT_EQ(app_.invariant_violations(), "");
}

}  // namespace
}  // namespace gw::test
