// GET /trade/{id} with "Prefer: wait=N": a client learns that its buy settled from one request
// instead of polling. The answer comes when the settlement commits, or after N seconds with
// the trade still open; another user's trade is not found at once, whatever the wait. The last
// test proves that the settlement's commit itself wakes the waiter (the others would also pass
// on the once-a-second look that covers trades other nodes settle).

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <future>

#include "support/trade_app_fixture.hpp"
#include "trading/trade_history.hpp"

namespace gw::test {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;


struct TimedResponse {
    JsonResponse response;
    SteadyClock::duration took;
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
        const auto placed = app_.buy(token_, {{"amount_kes", "850"}, {"phone_for_stk", kTestMsisdn}}, key);
        EXPECT_EQ(placed.status, 201) << placed.raw;
        return placed.body.value("trade_id", "");
    }

    TimedResponse get_waiting(const std::string& token, const std::string& trade_id, const std::string& prefer) {
        httplib::Client client = app_.app().client();
        client.set_read_timeout(60, 0);
        const httplib::Headers headers{{"Authorization", "Bearer " + token}, {"Prefer", prefer}};
        const auto started = SteadyClock::now();
        JsonResponse response = to_json_response(client.Get("/trade/" + trade_id, headers), "GET /trade");
        return {std::move(response), SteadyClock::now() - started};
    }

    // Blocks until `count` requests wait on the node (up to 10 s), so what follows happens while
    // they wait.
    void until_waiting(const trading::TradeWatch& watch, std::size_t count) {
        const auto until = SteadyClock::now() + 10s;
        while (watch.waiting() < count && SteadyClock::now() < until) {
            std::this_thread::sleep_for(5ms);
        }
        ASSERT_EQ(watch.waiting(), count);
    }

    TradeApp app_;
    nlohmann::json alice_;
    std::string token_;
};

TEST_F(TradeWait, TheAnswerComesWhenThePaymentSettles) {
    app_.simulator().set_callback_delay(500ms);
    std::string trade_id = place_buy("wait-settles");
    // Upper case, as a client may send it: the same trade.
    std::transform(trade_id.begin(), trade_id.end(), trade_id.begin(), [](unsigned char c) { return std::toupper(c); });
    auto waiting = std::async(std::launch::async, [&] { return get_waiting(token_, trade_id, "wait=20"); });
    until_waiting(app_.app().application().trade_watch(), 1);
    ASSERT_EQ(app_.run_outbox(), 1u);  // the push; Daraja's callback follows 0.5 s later
    const TimedResponse answer = waiting.get();
    ASSERT_EQ(answer.response.status, 200) << answer.response.raw;
    EXPECT_EQ(answer.response.body.at("status"), "completed");
    EXPECT_EQ(answer.response.body.at("grams"), "0.100000");
    EXPECT_LT(answer.took, 10s) << "it did not wait out its 20 s";
}

TEST_F(TradeWait, AnOpenTradeIsAnsweredAsItIsWhenTheWaitRunsOut) {
    const std::string trade_id = place_buy("wait-runs-out");  // the push is never sent
    const TimedResponse answer = get_waiting(token_, trade_id, "respond-async, wait=1");
    ASSERT_EQ(answer.response.status, 200) << answer.response.raw;
    EXPECT_EQ(answer.response.body.at("status"), "reserved");
    EXPECT_GE(answer.took, 1s);
    EXPECT_LT(answer.took, 10s);
}

TEST_F(TradeWait, AnEndedTradeOrNoWaitIsAnsweredAtOnce) {
    const std::string trade_id = place_buy("wait-none");
    const TimedResponse unpreferred = get_waiting(token_, trade_id, "return=minimal");
    EXPECT_EQ(unpreferred.response.body.at("status"), "reserved");
    EXPECT_LT(unpreferred.took, 10s) << "no wait preference, no wait";
    app_.run_outbox();
    ASSERT_EQ(app_.wait_for_trade(token_, trade_id, "completed"), "completed");
    const TimedResponse ended = get_waiting(token_, trade_id, "wait=20");
    EXPECT_EQ(ended.response.body.at("status"), "completed");
    EXPECT_LT(ended.took, 10s);
}

TEST_F(TradeWait, AnotherUsersTradeIsNotFoundAtOnce) {
    const std::string trade_id = place_buy("wait-other");
    const std::string bob = app_.user("bob").at("access_token");
    const TimedResponse answer = get_waiting(bob, trade_id, "wait=20");
    EXPECT_EQ(answer.response.status, 404) << answer.response.raw;
    EXPECT_LT(answer.took, 10s);
    const TimedResponse nonsense = get_waiting(token_, "not-a-trade", "wait=20");
    EXPECT_EQ(nonsense.response.status, 404);
    EXPECT_LT(nonsense.took, 10s);
}

// The settlement's commit itself wakes the waiter: a history that would look again only after
// an hour still answers within seconds.
TEST_F(TradeWait, TheSettlementsCommitWakesTheWaiter) {
    trading::TradeWatch watch(4);
    trading::TradeHistory history(app_.app().application().pool(), watch, 1h);
    db::ConnectionPool& pool = app_.app().application().pool();
    pool.listen(std::string(trading::kTradeEndedChannel), [&watch](const std::string& id) { watch.announce_end(id); });
    // The listener names `watch`, which dies with this test: nothing may call it after.
    const std::unique_ptr<db::ConnectionPool, void (*)(db::ConnectionPool*)> unlisten(
        &pool, [](db::ConnectionPool* p) { p->listen(std::string(trading::kTradeEndedChannel), {}); });
    app_.simulator().set_callback_delay(500ms);
    const std::string trade_id = place_buy("wait-woken");
    const identity::Principal alice{alice_.at("user_id"), identity::Role::user, ""};
    auto waiting = std::async(std::launch::async, [&] {
        const auto started = SteadyClock::now();
        auto trade = history.await_end(alice, trade_id, 30s);
        return std::make_pair(std::move(trade), SteadyClock::now() - started);
    });
    until_waiting(watch, 1);
    app_.run_outbox();
    const auto [trade, took] = waiting.get();
    ASSERT_TRUE(trade) << trade.error().detail;
    EXPECT_EQ(trade->status, trading::TradeStatus::completed);
    EXPECT_LT(took, 10s);
}

}  // namespace
}  // namespace gw::test
