// What stands between a sell and the user's gold: a sell quote fixes the price and is used
// once, a buy quote cannot sell, the KYC limits apply to sells too, and concurrency never sells
// a gram twice — many sells of one wallet at once lock at most what it holds, and one
// Idempotency-Key sent many times at once makes one sell. Refusals are checked for their exact
// code and for storing nothing; the ledger invariants are re-checked.

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/trade_app_fixture.hpp"

namespace gw::test {
namespace {

class SellGuards : public ::testing::Test {
protected:
    void SetUp() override {
        app_.create_pool("Vault A", "10");
        app_.set_prices("8500", "8000");
        alice_ = app_.user("alice");
        token_ = alice_.at("access_token");
        payee_ = registered_msisdn(alice_);
        app_.credit(alice_.at("user_id"), "1");
    }

    JsonResponse quote(const nlohmann::json& body) {
        return request_json(app_.app(), "POST", "/trade/quote", body, token_);
    }

    std::string stored() {
        return app_.query("SELECT count(*) FROM trades") + "/" +
               app_.query("SELECT count(*) FROM payouts") + "/" +
               app_.query("SELECT count(*) FROM transfers WHERE kind = 'sell.lock'");
    }

    nlohmann::json balance() {
        return request_json(app_.app(), "GET", "/user/balance", nullptr, token_).body;
    }

    TradeApp app_;
    nlohmann::json alice_;
    std::string token_;
    std::string payee_;  // Alice's registered M-Pesa number
};

TEST_F(SellGuards, ASellQuoteFixesThePriceAndIsUsedOnce) {
    const auto quoted = quote({{"side", "sell"}, {"grams", "0.25"}});
    ASSERT_EQ(quoted.status, 201) << quoted.raw;
    const std::string quote_id = quoted.body.at("quote_id");
    app_.set_prices("9000", "7000");  // the price falls after the quote

    const auto sold =
        app_.sell(token_, {{"quote_id", quote_id}, {"payout_phone", payee_}}, "quoted-1");
    ASSERT_EQ(sold.status, 201) << sold.raw;
    EXPECT_EQ(sold.body.at("price_per_gram"), "8000.00");
    EXPECT_EQ(sold.body.at("grams"), "0.250000");
    EXPECT_EQ(sold.body.at("amount_kes"), "2000.00");
    EXPECT_EQ(sold.body.at("quote_id"), quote_id);

    const std::string before = stored();
    const auto again =
        app_.sell(token_, {{"quote_id", quote_id}, {"payout_phone", payee_}}, "quoted-2");
    EXPECT_EQ(again.status, 409) << again.raw;
    EXPECT_EQ(again.body.value("code", ""), "quote_used");
    const auto other_grams = app_.sell(
        token_, {{"quote_id", quote_id}, {"grams", "0.3"}, {"payout_phone", payee_}}, "quoted-3");
    EXPECT_EQ(other_grams.body.value("code", ""), "validation_failed");
    EXPECT_EQ(stored(), before);
}

TEST_F(SellGuards, ABuyQuoteOrAnExpiredOneCannotSell) {
    const auto buy_quote = quote({{"side", "buy"}, {"grams", "0.1"}});
    ASSERT_EQ(buy_quote.status, 201) << buy_quote.raw;
    const auto refused = app_.sell(
        token_, {{"quote_id", buy_quote.body.at("quote_id")}, {"payout_phone", payee_}}, "bq");
    EXPECT_EQ(refused.status, 400) << refused.raw;
    EXPECT_EQ(refused.body.value("code", ""), "validation_failed");

    const auto sell_quote = quote({{"side", "sell"}, {"grams", "0.1"}});
    ASSERT_EQ(sell_quote.status, 201) << sell_quote.raw;
    app_.app().clock().advance(std::chrono::seconds(60));
    const auto expired = app_.sell(
        token_, {{"quote_id", sell_quote.body.at("quote_id")}, {"payout_phone", payee_}}, "old");
    EXPECT_EQ(expired.status, 409) << expired.raw;
    EXPECT_EQ(expired.body.value("code", ""), "price_expired");
    EXPECT_EQ(stored(), "0/0/0");
}

TEST_F(SellGuards, AnUnverifiedUserMaySellAtMostKes5000ATrade) {
    // 0.625 g at KES 8,000 pays exactly 5,000; a microgram more pays 5,000.008, still 5,000
    // after rounding down, so the next step up is 0.625125 g (KES 5,001).
    const auto over = app_.sell(token_, {{"grams", "0.625125"}, {"payout_phone", payee_}}, "over");
    EXPECT_EQ(over.status, 422) << over.raw;
    EXPECT_EQ(over.body.value("code", ""), "trade_limit_exceeded");
    EXPECT_EQ(stored(), "0/0/0");
    const auto at = app_.sell(token_, {{"grams", "0.625"}, {"payout_phone", payee_}}, "at");
    EXPECT_EQ(at.status, 201) << at.raw;
    EXPECT_EQ(at.body.value("amount_kes", ""), "5000.00");
}

TEST_F(SellGuards, ManySellsOfOneWalletAtOnceNeverLockMoreThanItHolds) {
    constexpr int kSellers = 20;  // 20 sells of 0.1 g against 1 g held
    std::atomic<int> placed{0};
    std::atomic<int> short_of_grams{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> sellers;
    for (int i = 0; i < kSellers; ++i) {
        sellers.emplace_back([&, i] {
            while (!go.load()) {
                std::this_thread::yield();
            }
            const auto answer = app_.sell(
                token_, {{"grams", "0.1"}, {"payout_phone", payee_}}, "many-" + std::to_string(i));
            if (answer.status == 201) {
                ++placed;
            } else if (answer.body.is_object() &&
                       answer.body.value("code", "") == "insufficient_grams") {
                ++short_of_grams;
            }
        });
    }
    go = true;
    for (auto& seller : sellers) {
        seller.join();
    }
    EXPECT_EQ(placed.load(), 10);
    EXPECT_EQ(short_of_grams.load(), 10);
    EXPECT_EQ(balance().at("locked_grams"), "1.000000");
    EXPECT_EQ(balance().at("available_grams"), "0.000000");
    EXPECT_EQ(stored(), "10/10/10");
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(SellGuards, OneKeySentManyTimesAtOnceMakesOneSell) {
    constexpr int kRetries = 8;
    std::vector<std::string> trade_ids(kRetries);
    std::atomic<bool> go{false};
    std::vector<std::thread> clients;
    for (int i = 0; i < kRetries; ++i) {
        clients.emplace_back([&, i] {
            while (!go.load()) {
                std::this_thread::yield();
            }
            const auto answer =
                app_.sell(token_, {{"grams", "0.2"}, {"payout_phone", payee_}}, "same-key");
            if (answer.status == 201) {
                trade_ids[static_cast<std::size_t>(i)] = answer.body.value("trade_id", "");
            }
        });
    }
    go = true;
    for (auto& client : clients) {
        client.join();
    }
    const std::set<std::string> distinct(trade_ids.begin(), trade_ids.end());
    ASSERT_EQ(distinct.size(), 1u) << "every attempt answered with the one sell";
    EXPECT_FALSE(distinct.begin()->empty());
    EXPECT_EQ(stored(), "1/1/1");
    EXPECT_EQ(balance().at("locked_grams"), "0.200000");
}

}  // namespace
}  // namespace gw::test
