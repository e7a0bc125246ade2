// GET /trade/{id} with "Prefer: wait=N": a client learns that its buy settled from one request
// instead of polling. The answer comes when the settlement commits (announced in-process, not
// found by looking again), or after N seconds with the trade still open; another user's trade
// is not found at once, whatever the wait.

#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "support/trade_app_fixture.hpp"
#include "trading/trade_history.hpp"

namespace gw::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kPayer = "254708374149";

struct TimedResponse {
    JsonResponse response;
    Clock::duration took;
};

class TradeWait : public ::testing::Test {
protected:
    void SetUp() override {
        app_.create_pool("Vault A", "10");
        app_.set_prices("8500", "8000");
        alice_ = app_.user("alice");
        token_ = alice_.at("access_token");
    }

    std::string place_buy(const std::string& key) {
        const auto placed = app_.buy(token_, {{"amount_kes", "850"}, {"phone_for_stk", kPayer}}, key);
        EXPECT_EQ(placed.status, 201) << placed.raw;
        return placed.body.value("trade_id", "");
    }

    TimedResponse get_waiting(const std::string& token, const std::string& trade_id, const std::string& prefer) {
        httplib::Client client = app_.app().client();
        client.set_read_timeout(60, 0);
        const httplib::Headers headers{{"Authorization", "Bearer " + token}, {"Prefer", prefer}};
        const auto started = Clock::now();
        JsonResponse response = to_json_response(client.Get("/trade/" + trade_id, headers), "GET /trade");
        return {std::move(response), Clock::now() - started};
    }

    TradeApp app_;
    nlohmann::json alice_;
    std::string token_;
};

TEST_F(TradeWait, TheAnswerComesWhenThePaymentSettles) {
    app_.simulator().set_callback_delay(1500ms);
    const std::string trade_id = place_buy("wait-settles");
    auto waiting = std::async(std::launch::async, [&] { return get_waiting(token_, trade_id, "wait=20"); });
    std::this_thread::sleep_for(200ms);
    ASSERT_EQ(app_.run_outbox(), 1u);  // the push; Daraja's callback follows 1.5 s later
    const TimedResponse answer = waiting.get();
    ASSERT_EQ(answer.response.status, 200) << answer.response.raw;
    EXPECT_EQ(answer.response.body.at("status"), "completed");
    EXPECT_EQ(answer.response.body.at("grams"), "0.100000");
    EXPECT_GE(answer.took, 1500ms) << "it waited for the callback";
    EXPECT_LT(answer.took, 10s) << "it did not wait out its 20 s";
}

TEST_F(TradeWait, AnOpenTradeIsAnsweredAsItIsWhenTheWaitRunsOut) {
    const std::string trade_id = place_buy("wait-runs-out");  // the push is never sent
    const TimedResponse answer = get_waiting(token_, trade_id, "respond-async, wait=1");
    ASSERT_EQ(answer.response.status, 200) << answer.response.raw;
    EXPECT_EQ(answer.response.body.at("status"), "reserved");
    EXPECT_GE(answer.took, 1s);
    EXPECT_LT(answer.took, 5s);
}

TEST_F(TradeWait, AnEndedTradeOrNoWaitIsAnsweredAtOnce) {
    const std::string trade_id = place_buy("wait-none");
    const TimedResponse unpreferred = get_waiting(token_, trade_id, "return=minimal");
    EXPECT_EQ(unpreferred.response.body.at("status"), "reserved");
    EXPECT_LT(unpreferred.took, 1s) << "no wait preference, no wait";
    app_.run_outbox();
    ASSERT_EQ(app_.wait_for_trade(token_, trade_id, "completed"), "completed");
    const TimedResponse ended = get_waiting(token_, trade_id, "wait=20");
    EXPECT_EQ(ended.response.body.at("status"), "completed");
    EXPECT_LT(ended.took, 1s);
}

TEST_F(TradeWait, AnotherUsersTradeIsNotFoundAtOnce) {
    const std::string trade_id = place_buy("wait-other");
    const std::string bob = app_.user("bob").at("access_token");
    const TimedResponse answer = get_waiting(bob, trade_id, "wait=20");
    EXPECT_EQ(answer.response.status, 404) << answer.response.raw;
    EXPECT_LT(answer.took, 1s);
    const TimedResponse nonsense = get_waiting(token_, "not-a-trade", "wait=20");
    EXPECT_EQ(nonsense.response.status, 404);
    EXPECT_LT(nonsense.took, 1s);
}

// The settlement's commit itself wakes the waiter: a history that would look again only after
// an hour still answers within seconds.
TEST_F(TradeWait, TheSettlementsCommitWakesTheWaiter) {
    trading::TradeWatch watch(4);
    trading::TradeHistory history(app_.app().application().pool(), watch, 1h);
    app_.app().application().pool().listen(std::string(trading::kTradeEndedChannel),
                                            [&watch](const std::string& id) { watch.announce_end(id); });
    app_.simulator().set_callback_delay(500ms);
    const std::string trade_id = place_buy("wait-woken");
    const identity::Principal alice{alice_.at("user_id"), identity::Role::user, ""};
    auto waiting = std::async(std::launch::async, [&] {
        const auto started = Clock::now();
        auto trade = history.await_end(alice, trade_id, 30s);
        return std::make_pair(std::move(trade), Clock::now() - started);
    });
    std::this_thread::sleep_for(200ms);
    app_.run_outbox();
    const auto [trade, took] = waiting.get();
    ASSERT_TRUE(trade) << trade.error().detail;
    EXPECT_EQ(trade->status, trading::TradeStatus::completed);
    EXPECT_LT(took, 10s);
}

}  // namespace
}  // namespace gw::test
