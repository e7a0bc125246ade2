// The refund path over HTTP: a buy fails because M-Pesa reported its prompt timed out (1037),
// its gold is sold to someone else, and then Daraja calls back again for the same
// CheckoutRequestID with a successful payment (the customer paid late). The node must not
// credit gold it no longer has: it records the late payment once, queues a refund payout of
// the amount paid, and (payout mode b2c) pays it back through the simulator. The same
// callback delivered again changes nothing. When the pools still hold the gold, the same late
// callback credits it instead.

#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "support/trade_app_fixture.hpp"

namespace gw::test {
namespace {

constexpr const char* kOtherBuyer = "254708374152";

// Daraja's success callback (DARAJA.md §4) for `checkout` of KES `amount` from kTestMsisdn.
std::string paid_callback(const std::string& checkout, const std::string& amount) {
    return R"({"Body":{"stkCallback":{"MerchantRequestID":"6a1f-4c2d-8e3b-90f7d2a1c5e81234",)"
           R"("CheckoutRequestID":")" +
           checkout +
           R"(","ResultCode":0,"ResultDesc":"The service request is processed successfully.",)"
           R"("CallbackMetadata":{"Item":[{"Name":"Amount","Value":)" +
           amount +
           R"(},)"
           R"({"Name":"MpesaReceiptNumber","Value":"TLATE0PAID"},{"Name":"Balance"},)"
           R"({"Name":"TransactionDate","Value":20261202143041},)"
           R"({"Name":"PhoneNumber","Value":254708374149}]}}}})";
}

class LatePaymentOverHttp : public ::testing::Test {
protected:
    LatePaymentOverHttp() : app_(TradeAppOptions{.payout_mode = trading::PayoutMode::b2c}) {}

    // A buy of `order` (0.1 g, KES 850, unless told), failed by a 1037 callback. Returns
    // the trade id; remembers the callback path and CheckoutRequestID Daraja was given.
    // `buyer` is a token, or empty for a new user "alice".
    std::string timed_out_buy(nlohmann::json order = {{"grams", "0.1"}},
                              const std::string& buyer = {}) {
        token_ = buyer.empty() ? app_.user("alice").at("access_token").get<std::string>() : buyer;
        EXPECT_TRUE(app_.simulator().set_stk_scenario(kTestMsisdn, sim::StkScenario::timeout));
        order["phone_for_stk"] = kTestMsisdn;
        const auto placed = app_.buy(token_, order, "late-1");
        EXPECT_EQ(placed.status, 201) << placed.raw;
        const std::string trade_id = placed.body.value("trade_id", "");
        EXPECT_EQ(app_.run_outbox(), 1u);
        EXPECT_EQ(app_.wait_for_trade(token_, trade_id, "failed"), "failed");
        EXPECT_EQ(app_.trade(token_, trade_id).body.at("reason"), "timeout");
        const auto transactions = app_.simulator().transactions();
        EXPECT_EQ(transactions.size(), 1u);
        if (!transactions.empty()) {
            checkout_ = transactions[0].id;
            path_ =
                transactions[0].callback_url.substr(transactions[0].callback_url.find("/hooks/"));
        }
        return trade_id;
    }

    void pay_late(const std::string& amount = "850.00") {
        httplib::Client client = app_.app().client();
        const auto answer =
            client.Post(path_.c_str(), paid_callback(checkout_, amount), "application/json");
        ASSERT_TRUE(answer);
        EXPECT_EQ(answer->status, 200);
    }

    // Polls the refund payout of `trade_id` (running the webhook retry job, as serve would)
    // until its status is `status` or 10 s pass; returns the last status seen.
    std::string refund_status(const std::string& trade_id, const std::string& status) {
        const std::string sql =
            "SELECT status FROM payouts WHERE kind = 'refund' AND trade_id = '" + trade_id + "'";
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        std::string seen = app_.query(sql);
        while (seen != status && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            app_.app().application().callbacks().retry_pending(std::chrono::seconds(0), 100);
            seen = app_.query(sql);
        }
        return seen;
    }

    // The trade's refund payouts, oldest first: "mode status amount_cents; …".
    std::string refunds(const std::string& trade_id) {
        return app_.query(
            "SELECT string_agg(mode || ' ' || status || ' ' || amount_cents, '; ' ORDER BY "
            "created_at, "
            "mode = 'manual') FROM payouts WHERE kind = 'refund' AND trade_id = '" +
            trade_id + "'");
    }

    // Empties the pool: Bob buys the only 0.1 g (the failed buy gave it back) and pays.
    void bob_buys_the_gold() {
        const std::string bob = app_.user("bob").at("access_token");
        const auto bobs =
            app_.buy(bob, {{"grams", "0.1"}, {"phone_for_stk", kOtherBuyer}}, "bob-1");
        ASSERT_EQ(bobs.status, 201) << bobs.raw;
        app_.run_outbox();
        ASSERT_EQ(app_.wait_for_trade(bob, bobs.body.at("trade_id"), "completed"), "completed");
        app_.run_outbox();  // the notifications
    }

    // Empties a 0.001 g pool: the gold goes to Bob, by an admin's credit.
    void give_the_last_milligram_to_bob() { app_.credit(app_.user("bob").at("user_id"), "0.001"); }

    std::string count(const std::string& from_where) {
        return app_.query("SELECT count(*) FROM " + from_where);
    }

    TradeApp app_;
    std::string token_;
    std::string checkout_;
    std::string path_;
};

TEST_F(LatePaymentOverHttp, WithTheGoldGoneTheMoneyIsRefundedByB2cOnce) {
    app_.create_pool("Small", "0.1");
    app_.set_prices("8500", "8000");
    const std::string trade_id = timed_out_buy();
    bob_buys_the_gold();

    pay_late();
    const auto trade = app_.trade(token_, trade_id);
    EXPECT_EQ(trade.body.at("status"), "failed")
        << "no gold is credited that the pools do not hold";
    // The API reads the status beside the trade row; the trade_status view auditors read agrees.
    EXPECT_EQ(app_.query("SELECT status FROM trade_status WHERE trade_id = '" + trade_id + "'"), "failed");
    EXPECT_EQ(app_.query(
                  "SELECT reason FROM trade_events WHERE status = 'late_payment' AND trade_id = '" +
                  trade_id + "'"),
              "refund_due");
    EXPECT_EQ(
        app_.query(
            "SELECT kind || ' ' || mode || ' ' || amount_cents FROM payouts WHERE trade_id = '" +
            trade_id + "'"),
        "refund b2c 85000");

    // The refund leaves by B2C to the number that paid, and M-Pesa's Result completes it.
    EXPECT_EQ(app_.run_outbox(), 1u) << "the refund's B2C payment";
    ASSERT_TRUE(app_.sim().wait_for_callbacks(3));  // the 1037, Bob's payment, the B2C Result
    const auto transactions = app_.simulator().transactions();
    ASSERT_EQ(transactions.size(), 3u);
    EXPECT_EQ(transactions[2].msisdn, kTestMsisdn);
    EXPECT_EQ(transactions[2].amount_kes, 850);
    EXPECT_EQ(refund_status(trade_id, "completed"), "completed");

    // Daraja delivering the late callback again changes nothing.
    pay_late();
    app_.run_outbox();
    EXPECT_EQ(count("payouts WHERE kind = 'refund'"), "1");
    EXPECT_EQ(count("trade_events WHERE status = 'late_payment'"), "1");
    EXPECT_EQ(app_.simulator().transactions().size(), 3u);
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(LatePaymentOverHttp, WithTheGoldStillInThePoolsItIsCreditedOnce) {
    app_.create_pool("Vault A", "10");
    app_.set_prices("8500", "8000");
    const std::string trade_id = timed_out_buy();
    pay_late();
    pay_late();
    const auto trade = app_.trade(token_, trade_id);
    EXPECT_EQ(trade.body.at("status"), "completed");
    EXPECT_EQ(trade.body.at("reason"), "late_payment");
    EXPECT_EQ(app_.query("SELECT status FROM trade_status WHERE trade_id = '" + trade_id + "'"), "completed");
    EXPECT_EQ(trade.body.at("receipt"), "TLATE0PAID");
    EXPECT_EQ(request_json(app_.app(), "GET", "/user/balance", nullptr, token_).body.at("grams"),
              "0.100000");
    EXPECT_EQ(count("transfers WHERE kind = 'buy.late_credit'"), "1");
    EXPECT_EQ(count("payouts"), "0");
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(LatePaymentOverHttp, ARefundB2cCannotPayWaitsInTheManualQueueUntilAnAdminPaysIt) {
    app_.create_pool("Small", "0.1");
    app_.set_prices("8500", "8000");
    const std::string trade_id = timed_out_buy();
    bob_buys_the_gold();
    ASSERT_TRUE(
        app_.simulator().set_b2c_scenario(kTestMsisdn, sim::B2cScenario::b2c_insufficient_funds));
    pay_late();
    EXPECT_EQ(app_.run_outbox(), 1u) << "the refund's B2C payment";
    ASSERT_TRUE(app_.sim().wait_for_callbacks(3));  // the 1037, Bob's payment, the failed Result
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (refunds(trade_id) != "b2c failed 85000; manual pending 85000" &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        app_.app().application().callbacks().retry_pending(std::chrono::seconds(0), 100);
    }
    ASSERT_EQ(refunds(trade_id), "b2c failed 85000; manual pending 85000")
        << "the money is still owed";

    const std::string manual_id = app_.query(
        "SELECT id FROM payouts WHERE kind = 'refund' AND status = 'pending' AND trade_id = '" +
        trade_id + "'");
    const auto paid = request_json(app_.app(),
                                   "POST",
                                   "/admin/payouts/" + manual_id + "/complete",
                                   {{"mpesa_transaction_id", "UREFUND001"}},
                                   app_.admin_token());
    ASSERT_EQ(paid.status, 200) << paid.raw;
    EXPECT_EQ(refunds(trade_id), "b2c failed 85000; manual completed 85000");
    EXPECT_EQ(app_.trade(token_, trade_id).body.at("status"), "failed")
        << "a refunded buy stays failed";
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(LatePaymentOverHttp, ARefundBelowB2csMinimumGoesStraightToTheManualQueue) {
    app_.create_pool("Small", "0.001");
    app_.set_prices("8500", "8000");
    // KES 9 buys what the pool holds, 0.001 g (charged KES 8.50, rounded up to 9).
    const std::string trade_id = timed_out_buy({{"amount_kes", "9"}, {"allow_partial", true}});
    give_the_last_milligram_to_bob();
    pay_late("9");
    EXPECT_EQ(refunds(trade_id), "manual pending 900") << "B2C pays KES 10 at least";
    app_.run_outbox();
    EXPECT_EQ(app_.simulator().transactions().size(), 1u)
        << "no B2C payment: only the buy's STK Push";
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(LatePaymentOverHttp, NobodyDecidesARefundToThemselves) {
    // A treasurer's own late payment is refunded by hand: another admin must record it.
    app_.create_pool("Small", "0.001");
    app_.set_prices("8500", "8000");
    const std::string treasurer =
        staff_login(app_.app(), "treasurer", identity::Role::treasury).at("access_token");
    const std::string trade_id =
        timed_out_buy({{"amount_kes", "9"}, {"allow_partial", true}}, treasurer);
    give_the_last_milligram_to_bob();
    pay_late("9");
    ASSERT_EQ(refunds(trade_id), "manual pending 900");
    const std::string refund_id = app_.query(
        "SELECT id FROM payouts WHERE kind = 'refund' AND trade_id = '" + trade_id + "'");
    for (const char* verb : {"complete", "fail"}) {
        const auto refused =
            request_json(app_.app(),
                         "POST",
                         "/admin/payouts/" + refund_id + "/" + verb,
                         {{"mpesa_transaction_id", "UREFUND002"}, {"reason", "mine"}},
                         treasurer);
        EXPECT_EQ(refused.status, 403) << refused.raw;
        EXPECT_EQ(refused.body.value("code", ""), "forbidden");
    }
    EXPECT_EQ(refunds(trade_id), "manual pending 900");
    const auto paid = request_json(app_.app(),
                                   "POST",
                                   "/admin/payouts/" + refund_id + "/complete",
                                   {{"mpesa_transaction_id", "UREFUND002"}},
                                   app_.admin_token());
    EXPECT_EQ(paid.status, 200) << paid.raw;
    EXPECT_EQ(refunds(trade_id), "manual completed 900");
}

}  // namespace
}  // namespace gw::test
