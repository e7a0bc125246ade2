// In-app notifications end to end: a buy settles (the simulator pays or cancels), settlement
// queues a notify.trade outbox message in the same transaction, the outbox worker's notify
// handler stores one notification, and the user reads it over HTTP. Proves the wording and
// figures, exactly-once delivery under repeated runs and repeated handler calls, that nobody
// reads or marks another user's notifications, that marking read is idempotent, and paging.

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "db/outbox_store.hpp"
#include "support/trade_app_fixture.hpp"
#include "trading/trade_settlement.hpp"

namespace gw::test {
namespace {

constexpr const char* kCanceller = "254708374152";

class Notifications : public ::testing::Test {
protected:
    void SetUp() override {
        app_.create_pool("Vault A", "10");
        app_.set_prices("8500", "8000");
        alice_ = app_.user("alice").at("access_token");
        bob_ = app_.user("bob").at("access_token");
    }

    // Places a KES 850 buy from `phone`, lets the payment settle to `status`, and runs the
    // outbox again so its notification is delivered. Returns the trade id.
    std::string settled_buy(const std::string& phone,
                            const std::string& key,
                            const std::string& status) {
        const auto placed =
            app_.buy(alice_, {{"amount_kes", "850"}, {"phone_for_stk", phone}}, key);
        EXPECT_EQ(placed.status, 201) << placed.raw;
        std::string trade_id = placed.body.value("trade_id", "");
        EXPECT_EQ(app_.run_outbox(), 1u) << "the STK Push";
        EXPECT_EQ(app_.wait_for_trade(alice_, trade_id, status), status);
        EXPECT_EQ(app_.run_outbox(), 1u) << "the notification";
        return trade_id;
    }

    JsonResponse list(const std::string& token, const std::string& query = "") {
        return request_json(app_.app(), "GET", "/user/notifications" + query, nullptr, token);
    }

    JsonResponse mark_read(const std::string& token, const std::string& id) {
        return request_json(
            app_.app(), "POST", "/user/notifications/" + id + "/read", nullptr, token);
    }

    std::string stored_count() { return app_.query("SELECT count(*) FROM notifications"); }

    TradeApp app_;
    std::string alice_;
    std::string bob_;
};

TEST_F(Notifications, ACompletedBuyIsNotifiedOnceWithItsFiguresAndReceipt) {
    const std::string trade_id = settled_buy(kTestMsisdn, "buy-1", "completed");
    const std::string receipt = app_.trade(alice_, trade_id).body.value("receipt", "");
    ASSERT_FALSE(receipt.empty());

    const auto page = list(alice_);
    ASSERT_EQ(page.status, 200) << page.raw;
    ASSERT_EQ(page.body.at("items").size(), 1u) << page.raw;
    const auto& item = page.body.at("items").at(0);
    EXPECT_EQ(item.at("kind"), "buy_completed");
    EXPECT_EQ(item.at("trade_id"), trade_id);
    EXPECT_EQ(item.at("title"), "Gold purchase complete");
    const std::string body = item.at("body");
    EXPECT_NE(body.find("0.100000 g"), std::string::npos) << body;
    EXPECT_NE(body.find("KES 850.00"), std::string::npos) << body;
    EXPECT_NE(body.find("M-Pesa receipt " + receipt), std::string::npos) << body;
    EXPECT_EQ(body.find("708374149"), std::string::npos) << "never a phone number: " << body;
    EXPECT_TRUE(item.at("read_at").is_null());
    EXPECT_TRUE(item.at("created_at").is_string());
    EXPECT_TRUE(page.body.at("next_before").is_null());

    EXPECT_EQ(app_.run_outbox(), 0u) << "nothing is left to deliver";
    const db::OutboxMessage again{
        std::string(trading::kNotifyTopic),
        "trade:" + trade_id + ":completed",
        nlohmann::json::parse(app_.query(
            "SELECT payload::text FROM outbox WHERE key = 'trade:" + trade_id + ":completed'"))};
    app_.app().application().notifications().deliver(again);
    EXPECT_EQ(stored_count(), "1") << "a repeated delivery is a no-op";
    EXPECT_EQ(list(alice_).body.at("items").size(), 1u);
}

TEST_F(Notifications, ACancelledBuyIsNotifiedWithTheCancelWording) {
    ASSERT_TRUE(app_.simulator().set_stk_scenario(kCanceller, sim::StkScenario::cancelled));
    const std::string trade_id = settled_buy(kCanceller, "buy-cancel", "failed");

    const auto page = list(alice_);
    ASSERT_EQ(page.body.at("items").size(), 1u) << page.raw;
    const auto& item = page.body.at("items").at(0);
    EXPECT_EQ(item.at("kind"), "buy_failed");
    EXPECT_EQ(item.at("trade_id"), trade_id);
    EXPECT_EQ(item.at("title"), "Gold purchase failed");
    const std::string body = item.at("body");
    EXPECT_NE(body.find("You cancelled the M-Pesa prompt."), std::string::npos) << body;
    EXPECT_NE(body.find("No money was taken"), std::string::npos) << body;
    EXPECT_EQ(body.find("708374152"), std::string::npos) << "never a phone number: " << body;
    EXPECT_EQ(app_.run_outbox(), 0u);
    EXPECT_EQ(stored_count(), "1");
}

TEST_F(Notifications, NobodyReadsOrMarksAnotherUsersNotifications) {
    settled_buy(kTestMsisdn, "buy-1", "completed");
    const std::string alice_id = list(alice_).body.at("items").at(0).at("id");

    const auto bobs = list(bob_);
    ASSERT_EQ(bobs.status, 200) << bobs.raw;
    EXPECT_EQ(bobs.body.at("items").size(), 0u) << bobs.raw;

    const auto refused = mark_read(bob_, alice_id);
    EXPECT_EQ(refused.status, 404) << refused.raw;
    EXPECT_EQ(refused.body.value("code", ""), "not_found");
    EXPECT_EQ(mark_read(bob_, "not-a-uuid").status, 404);
    EXPECT_EQ(mark_read(bob_, "00000000-0000-4000-8000-000000000000").body.value("code", ""),
              "not_found")
        << "an unknown id answers like another user's";

    EXPECT_TRUE(list(alice_).body.at("items").at(0).at("read_at").is_null());
    EXPECT_EQ(app_.query("SELECT count(*) FROM notifications WHERE read_at IS NOT NULL"), "0");
}

TEST_F(Notifications, MarkingReadKeepsTheFirstTime) {
    settled_buy(kTestMsisdn, "buy-1", "completed");
    const std::string id = list(alice_).body.at("items").at(0).at("id");

    const auto first = mark_read(alice_, id);
    ASSERT_EQ(first.status, 200) << first.raw;
    EXPECT_EQ(first.body.at("id"), id);
    EXPECT_EQ(first.body.at("kind"), "buy_completed");
    ASSERT_TRUE(first.body.at("read_at").is_string()) << first.raw;

    app_.app().clock().advance(std::chrono::seconds(30));
    const auto second = mark_read(alice_, id);
    ASSERT_EQ(second.status, 200) << second.raw;
    EXPECT_EQ(second.body.at("read_at"), first.body.at("read_at"));
    EXPECT_EQ(list(alice_).body.at("items").at(0).at("read_at"), first.body.at("read_at"));
}

TEST_F(Notifications, PagesNewestFirstWithACursor) {
    const std::string older = settled_buy(kTestMsisdn, "buy-1", "completed");
    app_.app().clock().advance(std::chrono::seconds(1));
    ASSERT_TRUE(app_.simulator().set_stk_scenario(kCanceller, sim::StkScenario::cancelled));
    const std::string newer = settled_buy(kCanceller, "buy-2", "failed");

    const auto first = list(alice_, "?limit=1");
    ASSERT_EQ(first.status, 200) << first.raw;
    ASSERT_EQ(first.body.at("items").size(), 1u);
    EXPECT_EQ(first.body.at("items").at(0).at("trade_id"), newer);
    ASSERT_TRUE(first.body.at("next_before").is_string()) << first.raw;

    const auto second =
        list(alice_, "?limit=1&before=" + first.body.at("next_before").get<std::string>());
    ASSERT_EQ(second.status, 200) << second.raw;
    ASSERT_EQ(second.body.at("items").size(), 1u);
    EXPECT_EQ(second.body.at("items").at(0).at("trade_id"), older);
    ASSERT_TRUE(second.body.at("next_before").is_string());

    const auto third =
        list(alice_, "?limit=1&before=" + second.body.at("next_before").get<std::string>());
    EXPECT_EQ(third.body.at("items").size(), 0u) << third.raw;
    EXPECT_TRUE(third.body.at("next_before").is_null());
    EXPECT_EQ(list(alice_).body.at("items").size(), 2u);
}

TEST_F(Notifications, ABadLimitOrCursorIsAValidationError) {
    for (const char* query :
         {"?limit=0", "?limit=101", "?limit=x", "?before=nope", "?before=12_not-a-uuid"}) {
        const auto refused = list(alice_, query);
        EXPECT_EQ(refused.status, 400) << query << ": " << refused.raw;
        EXPECT_EQ(refused.body.value("code", ""), "validation_failed") << query;
    }
    EXPECT_EQ(list(alice_, "?limit=100").status, 200);
    EXPECT_EQ(request_json(app_.app(), "GET", "/user/notifications").status, 401)
        << "signed in only";
}

}  // namespace
}  // namespace gw::test
