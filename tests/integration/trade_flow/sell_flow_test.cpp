// Sells end to end over HTTP: POST /trade/sell locks the user's grams (pending transfers from
// the user's accounts back to their pools) and creates the payout; in b2c mode the outbox
// worker pays it through the simulator and M-Pesa's Result posts or voids the lock, in manual
// mode an admin completes or fails it from the payout queue. Each test checks the answer, the
// trade and payout rows, the wallet, the pools, the audit trail and the ledger invariants, and
// every refusal its exact code with nothing stored.

#include <string>

#include <gtest/gtest.h>

#include "support/trade_app_fixture.hpp"

namespace gw::test {
namespace {

class SellFlow : public ::testing::Test {
protected:
    explicit SellFlow(trading::PayoutMode mode = trading::PayoutMode::manual)
        : app_(TradeAppOptions{.payout_mode = mode}) {}

    void SetUp() override {
        pool_ = app_.create_pool("Vault A", "10");
        app_.set_prices("8500", "8000");
        alice_ = app_.user("alice");
        token_ = alice_.at("access_token");
        payee_ = registered_msisdn(alice_);
        // Alice owns 1 g, credited by an admin (the sells below need gold, not a buy).
        app_.credit(alice_.at("user_id"), "1");
    }

    JsonResponse sell(const std::string& grams,
                      const std::string& key,
                      const std::string& phone = {}) {
        return app_.sell(
            token_, {{"grams", grams}, {"payout_phone", phone.empty() ? payee_ : phone}}, key);
    }

    nlohmann::json balance(const std::string& token) {
        return request_json(app_.app(), "GET", "/user/balance", nullptr, token).body;
    }

    std::string pool_available() {
        return app_.query("SELECT available_grams FROM pools WHERE id = '" + pool_ + "'");
    }

    std::string payout_row(const std::string& trade_id) {
        return app_.query(
            "SELECT kind || ' ' || mode || ' ' || status || ' ' || amount_cents || ' ' || "
            "coalesce(mpesa_transaction_id, '-') || ' ' || coalesce(failure_reason, '-') "
            "FROM payouts WHERE trade_id = '" +
            trade_id + "'");
    }

    std::string count(const std::string& from_where) {
        return app_.query("SELECT count(*) FROM " + from_where);
    }

    // Rows a placed sell writes: trades, payouts, sell lock transfers.
    std::string stored() {
        return count("trades WHERE side = 'sell'") + "/" + count("payouts") + "/" +
               count("transfers WHERE kind = 'sell.lock'");
    }

    JsonResponse decide(const std::string& payout_id,
                        const std::string& verb,
                        const nlohmann::json& body,
                        const std::string& token) {
        return request_json(
            app_.app(), "POST", "/admin/payouts/" + payout_id + "/" + verb, body, token);
    }

    TradeApp app_;
    std::string pool_;
    nlohmann::json alice_;
    std::string token_;
    std::string payee_;  // Alice's registered M-Pesa number
};

class B2cSellFlow : public SellFlow {
protected:
    B2cSellFlow() : SellFlow(trading::PayoutMode::b2c) {}
};

TEST_F(B2cSellFlow, APaidB2cPayoutCompletesTheSellAndReturnsTheGoldToThePool) {
    const auto placed = sell("0.5", "sell-1");
    ASSERT_EQ(placed.status, 201) << placed.raw;
    EXPECT_EQ(placed.body.at("side"), "sell");
    EXPECT_EQ(placed.body.at("status"), "reserved");
    EXPECT_EQ(placed.body.at("grams"), "0.500000");
    EXPECT_EQ(placed.body.at("amount_kes"), "4000.00");
    EXPECT_EQ(placed.body.at("price_per_gram"), "8000.00");
    EXPECT_EQ(placed.body.at("payout_mode"), "b2c");
    EXPECT_EQ(placed.body.at("payout_initiated"), true);
    const std::string trade_id = placed.body.at("trade_id");

    // Locked while the payout is on its way: owned, not available, not yet back in the pool.
    EXPECT_EQ(balance(token_).at("grams"), "1.000000");
    EXPECT_EQ(balance(token_).at("locked_grams"), "0.500000");
    EXPECT_EQ(balance(token_).at("available_grams"), "0.500000");
    EXPECT_EQ(pool_available(), "9000000");

    EXPECT_EQ(app_.run_outbox(), 1u) << "the B2C payment";
    EXPECT_EQ(app_.wait_for_trade(token_, trade_id, "completed"), "completed");
    const auto trade = app_.trade(token_, trade_id);
    EXPECT_FALSE(trade.body.at("receipt").is_null());
    const std::string receipt = trade.body.at("receipt");
    EXPECT_EQ(payout_row(trade_id), "sell b2c completed 400000 " + receipt + " -");
    EXPECT_EQ(balance(token_).at("grams"), "0.500000");
    EXPECT_EQ(balance(token_).at("locked_grams"), "0.000000");
    EXPECT_EQ(pool_available(), "9500000");
    EXPECT_EQ(count("transfers WHERE kind = 'sell.settle' AND trade_id = '" + trade_id + "'"), "1");
    ASSERT_EQ(app_.simulator().transactions().size(), 1u) << "paid exactly once";

    // Running the outbox again pays nothing more.
    app_.run_outbox();
    EXPECT_EQ(app_.simulator().transactions().size(), 1u);
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(B2cSellFlow, AFailedB2cPayoutFailsTheSellAndTheGramsAreTheUsersAgain) {
    ASSERT_TRUE(
        app_.simulator().set_b2c_scenario(payee_, sim::B2cScenario::b2c_insufficient_funds));
    const auto placed = sell("0.5", "sell-fail");
    ASSERT_EQ(placed.status, 201) << placed.raw;
    const std::string trade_id = placed.body.at("trade_id");
    EXPECT_EQ(app_.run_outbox(), 1u);
    EXPECT_EQ(app_.wait_for_trade(token_, trade_id, "failed"), "failed");
    EXPECT_EQ(app_.trade(token_, trade_id).body.at("reason"), "payout_failed");
    EXPECT_EQ(payout_row(trade_id), "sell b2c failed 400000 - payout_failed");
    EXPECT_EQ(balance(token_).at("grams"), "1.000000");
    EXPECT_EQ(balance(token_).at("available_grams"), "1.000000");
    EXPECT_EQ(pool_available(), "9000000");
    EXPECT_EQ(count("transfers WHERE kind = 'sell.void' AND trade_id = '" + trade_id + "'"), "1");
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(B2cSellFlow, AnAdminCannotDecideAB2cPayout) {
    const auto placed = sell("0.5", "sell-b2c-admin");
    ASSERT_EQ(placed.status, 201) << placed.raw;
    const auto refused = decide(placed.body.at("payout_id"),
                                "complete",
                                {{"mpesa_transaction_id", "UKQCZEW5ZO"}},
                                app_.admin_token());
    EXPECT_EQ(refused.status, 409) << refused.raw;
    EXPECT_EQ(refused.body.value("code", ""), "payout_not_manual");
    EXPECT_EQ(payout_row(placed.body.at("trade_id")), "sell b2c pending 400000 - -");
}

TEST_F(SellFlow, AManualPayoutWaitsInTheQueueAndAnAdminCompletesItOnce) {
    const auto placed = sell("0.25", "manual-1");
    ASSERT_EQ(placed.status, 201) << placed.raw;
    EXPECT_EQ(placed.body.at("status"), "awaiting_payout");
    EXPECT_EQ(placed.body.at("amount_kes"), "2000.00");
    EXPECT_EQ(placed.body.at("payout_initiated"), false);
    const std::string trade_id = placed.body.at("trade_id");
    const std::string payout_id = placed.body.at("payout_id");
    EXPECT_EQ(app_.run_outbox(), 0u) << "a manual payout sends nothing to M-Pesa";
    EXPECT_NE(
        app_.metrics().find("goldwallet_payouts_open{mode=\"manual\",status=\"pending\"} 1\n"),
        std::string::npos);
    EXPECT_NE(
        app_.metrics().find("goldwallet_trades_open{side=\"sell\",status=\"awaiting_payout\"} 1\n"),
        std::string::npos);

    const auto queue = request_json(
        app_.app(), "GET", "/admin/payouts?status=pending", nullptr, app_.admin_token());
    ASSERT_EQ(queue.status, 200) << queue.raw;
    ASSERT_EQ(queue.body.at("items").size(), 1u);
    EXPECT_EQ(queue.body.at("items")[0].at("payout_id"), payout_id);
    EXPECT_EQ(queue.body.at("items")[0].at("amount_kes"), "2000.00");
    EXPECT_EQ(queue.body.at("items")[0].at("phone"),
              payee_.substr(0, 4) + "******" + payee_.substr(10));

    const auto done =
        decide(payout_id, "complete", {{"mpesa_transaction_id", "UKQCZEW5ZO"}}, app_.admin_token());
    ASSERT_EQ(done.status, 200) << done.raw;
    EXPECT_EQ(done.body.at("status"), "completed");
    EXPECT_EQ(app_.trade(token_, trade_id).body.at("status"), "completed");
    EXPECT_EQ(app_.trade(token_, trade_id).body.at("receipt"), "UKQCZEW5ZO");
    EXPECT_EQ(balance(token_).at("grams"), "0.750000");
    EXPECT_EQ(pool_available(), "9250000");

    // The same decision again answers the same; another id is refused; nothing moves twice.
    const auto again =
        decide(payout_id, "complete", {{"mpesa_transaction_id", "UKQCZEW5ZO"}}, app_.admin_token());
    EXPECT_EQ(again.status, 200) << again.raw;
    const auto other =
        decide(payout_id, "complete", {{"mpesa_transaction_id", "OTHER12345"}}, app_.admin_token());
    EXPECT_EQ(other.status, 400) << other.raw;
    EXPECT_EQ(other.body.value("code", ""), "validation_failed");
    const auto late_fail =
        decide(payout_id, "fail", {{"reason", "changed my mind"}}, app_.admin_token());
    EXPECT_EQ(late_fail.body.value("code", ""), "validation_failed");
    EXPECT_EQ(count("transfers WHERE kind = 'sell.settle'"), "1");
    EXPECT_EQ(
        count("audit_log WHERE action = 'payout.complete' AND target_id = '" + payout_id + "'"),
        "1");
    EXPECT_EQ(payout_row(trade_id), "sell manual completed 200000 UKQCZEW5ZO -");
    EXPECT_EQ(app_.metrics().find("goldwallet_payouts_open{"), std::string::npos)
        << "no payout is open";
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(SellFlow, AFailedManualPayoutReturnsTheGramsAndIsAudited) {
    const auto placed = sell("0.25", "manual-fail");
    ASSERT_EQ(placed.status, 201) << placed.raw;
    const std::string payout_id = placed.body.at("payout_id");
    const auto no_reason = decide(payout_id, "fail", {{"reason", ""}}, app_.admin_token());
    EXPECT_EQ(no_reason.body.value("code", ""), "validation_failed");

    const auto failed =
        decide(payout_id, "fail", {{"reason", "number not registered"}}, app_.admin_token());
    ASSERT_EQ(failed.status, 200) << failed.raw;
    EXPECT_EQ(failed.body.at("status"), "failed");
    const auto trade = app_.trade(token_, placed.body.at("trade_id"));
    EXPECT_EQ(trade.body.at("status"), "failed");
    EXPECT_EQ(trade.body.at("reason"), "payout_failed");
    EXPECT_EQ(balance(token_).at("grams"), "1.000000");
    EXPECT_EQ(balance(token_).at("available_grams"), "1.000000");
    EXPECT_EQ(pool_available(), "9000000");
    EXPECT_EQ(app_.query("SELECT reason FROM audit_log WHERE action = 'payout.fail'"),
              "number not registered");
    const auto queue = request_json(
        app_.app(), "GET", "/admin/payouts?status=pending", nullptr, app_.admin_token());
    EXPECT_EQ(queue.body.at("items").size(), 0u);
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(SellFlow, OneMpesaTransactionPaysOnePayout) {
    const auto first = sell("0.25", "one");
    const auto second = sell("0.25", "two");
    ASSERT_EQ(first.status, 201) << first.raw;
    ASSERT_EQ(second.status, 201) << second.raw;
    ASSERT_EQ(decide(first.body.at("payout_id"),
                     "complete",
                     {{"mpesa_transaction_id", "UKQCZEW5ZO"}},
                     app_.admin_token())
                  .status,
              200);
    const auto reused = decide(second.body.at("payout_id"),
                               "complete",
                               {{"mpesa_transaction_id", "UKQCZEW5ZO"}},
                               app_.admin_token());
    EXPECT_EQ(reused.status, 400) << reused.raw;
    EXPECT_EQ(reused.body.value("code", ""), "validation_failed");
    EXPECT_EQ(payout_row(second.body.at("trade_id")), "sell manual pending 200000 - -");
    EXPECT_EQ(balance(token_).at("locked_grams"), "0.250000");
}

TEST_F(SellFlow, APayoutGoesOnlyToTheAccountsOwnNumber) {
    // Another valid Kenyan number, e.g. one a thief with Alice's session would give.
    const std::string other = payee_ == "254708374149" ? "254708374150" : "254708374149";
    const auto refused = sell("0.25", "elsewhere", other);
    EXPECT_EQ(refused.status, 422) << refused.raw;
    EXPECT_EQ(refused.body.value("code", ""), "payout_phone_not_registered");
    EXPECT_EQ(stored(), "0/0/0");
    // The same number written the local way is the account's own.
    const auto local = sell("0.25", "local", "0" + payee_.substr(3));
    EXPECT_EQ(local.status, 201) << local.raw;
}

TEST_F(SellFlow, SellingMoreThanTheWalletHoldsIsRefusedAndStoresNothing) {
    // (Amounts stay within an unverified user's KES 5,000 a trade and 10,000 a day.)
    ASSERT_EQ(sell("0.6", "first").status, 201);
    // The 0.6 g locked in that sell cannot be sold again: 0.4 g is left to sell.
    const auto refused = sell("0.400001", "too-much");
    EXPECT_EQ(refused.status, 409) << refused.raw;
    EXPECT_EQ(refused.body.value("code", ""), "insufficient_grams");
    EXPECT_EQ(refused.body.value("available_grams", ""), "0.400000");
    EXPECT_EQ(stored(), "1/1/1") << "the refused sell stored nothing";
    EXPECT_EQ(balance(token_).at("available_grams"), "0.400000");
    EXPECT_EQ(sell("0.4", "all-the-rest").status, 201) << "exactly what is left is fine";
    EXPECT_EQ(balance(token_).at("available_grams"), "0.000000");
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(SellFlow, APayoutOutsideMpesasRangeIsRefusedAndStoresNothing) {
    // 0.001 g at KES 8,000 is KES 8: below M-Pesa's KES 10 minimum for a B2C payment.
    const auto refused = sell("0.001", "tiny");
    EXPECT_EQ(refused.status, 422) << refused.raw;
    EXPECT_EQ(refused.body.value("code", ""), "payout_out_of_range");
    EXPECT_EQ(stored(), "0/0/0");
    // 0.00125 g pays exactly KES 10: the smallest payout is allowed.
    const auto smallest = sell("0.00125", "smallest");
    EXPECT_EQ(smallest.status, 201) << smallest.raw;
    EXPECT_EQ(smallest.body.value("amount_kes", ""), "10.00");
}

TEST_F(SellFlow, ARetryWithTheSameKeyAnswersTheSameSellAndAnotherBodyIsAConflict) {
    const auto first = sell("0.25", "retry-key");
    ASSERT_EQ(first.status, 201) << first.raw;
    const auto again = sell("0.25", "retry-key");
    EXPECT_EQ(again.status, 201) << again.raw;
    EXPECT_EQ(again.body.at("trade_id"), first.body.at("trade_id"));
    EXPECT_EQ(again.body.at("payout_id"), first.body.at("payout_id"));
    const auto replayed = again.headers.find("Idempotent-Replayed");
    ASSERT_NE(replayed, again.headers.end());
    EXPECT_EQ(replayed->second, "true");
    // Paid out since, and still the retry repeats the first answer, word for word.
    ASSERT_EQ(decide(first.body.at("payout_id"),
                     "complete",
                     {{"mpesa_transaction_id", "UKQCZEW5ZO"}},
                     app_.admin_token())
                  .status,
              200);
    EXPECT_EQ(sell("0.25", "retry-key").body, first.body);
    const auto conflict = sell("0.3", "retry-key");
    EXPECT_EQ(conflict.status, 409) << conflict.raw;
    EXPECT_EQ(conflict.body.value("code", ""), "idempotency_key_reused");
    const auto no_key = app_.sell(token_, {{"grams", "0.25"}, {"payout_phone", payee_}}, "");
    EXPECT_EQ(no_key.body.value("code", ""), "idempotency_key_required");
    EXPECT_EQ(stored(), "1/1/1");
}

TEST_F(SellFlow, MalformedSellsAreRefusedWithAStableCode) {
    struct Case {
        nlohmann::json body;
        std::string code;
    };
    const Case cases[] = {
        {{{"grams", "0.5"}}, "validation_failed"},
        {{{"grams", "-0.5"}, {"payout_phone", payee_}}, "negative_amount"},
        {{{"grams", "0.5000001"}, {"payout_phone", payee_}}, "too_many_decimals"},
        {{{"grams", "1e-1"}, {"payout_phone", payee_}}, "invalid_number_format"},
        {{{"grams", true}, {"payout_phone", payee_}}, "validation_failed"},
        {{{"grams", "0"}, {"payout_phone", payee_}}, "zero_amount"},
        {{{"grams", "0.5"}, {"payout_phone", "0800123456"}}, "invalid_phone"},
        {{{"payout_phone", payee_}}, "validation_failed"},
    };
    int n = 0;
    for (const Case& c : cases) {
        const auto refused = app_.sell(token_, c.body, "bad-" + std::to_string(n++));
        EXPECT_EQ(refused.body.value("code", ""), c.code) << c.body.dump() << " -> " << refused.raw;
    }
    EXPECT_EQ(stored(), "0/0/0");
}

TEST_F(SellFlow, AnotherUserCanNeitherSeeNorSellNorDecideAlicesGold) {
    const auto placed = sell("0.25", "alice-sell");
    ASSERT_EQ(placed.status, 201) << placed.raw;
    const auto bob_user = app_.user("bob");
    const std::string bob = bob_user.at("access_token");

    EXPECT_EQ(app_.trade(bob, placed.body.at("trade_id")).status, 404);
    const auto bobs_sell = app_.sell(
        bob, {{"grams", "0.25"}, {"payout_phone", registered_msisdn(bob_user)}}, "alice-sell");
    EXPECT_EQ(bobs_sell.body.value("code", ""), "insufficient_grams")
        << "Bob holds nothing of his own";
    EXPECT_EQ(bobs_sell.body.value("available_grams", ""), "0.000000");
    const auto bobs_trades = request_json(app_.app(), "GET", "/user/trades", nullptr, bob);
    EXPECT_EQ(bobs_trades.body.at("items").size(), 0u);
    const auto queue = request_json(app_.app(), "GET", "/admin/payouts", nullptr, bob);
    EXPECT_EQ(queue.status, 403);
    const auto forced = decide(
        placed.body.at("payout_id"), "complete", {{"mpesa_transaction_id", "UKQCZEW5ZO"}}, bob);
    EXPECT_EQ(forced.status, 403);
    EXPECT_EQ(payout_row(placed.body.at("trade_id")), "sell manual pending 200000 - -");
    EXPECT_EQ(balance(token_).at("locked_grams"), "0.250000");
}

}  // namespace
}  // namespace gw::test
