// Many buyers at once against one pool: the pool row's lock and the no-overdraft CHECK must
// let exactly as many buys through as there is gold, and no loser may be charged. A buy reads
// the pools unlocked and locks them last, so the tests also take a pool's gold from under a buy
// that has read it (a transaction holding the pool account's lock while the buy waits for it):
// the buy must allocate again from what the pools hold then, or be refused with nothing stored.

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "identity/uuid.hpp"
#include "ledger/batch_apply.hpp"
#include "support/trade_app_fixture.hpp"
#include "trading/trade_store.hpp"

namespace gw::test {
namespace {

TEST(BuyConcurrency, TwoHundredBuyersForFiftyBuysGetExactlyFifty) {
    constexpr int kBuyers = 200;
    constexpr int kWinners = 50;
    TradeApp app;
    const std::string pool = app.create_pool("Small bar", "5");  // 50 buys of 0.1 g
    app.set_prices("8500", "8000");
    std::vector<std::string> tokens;
    for (int i = 0; i < kBuyers; ++i) {
        tokens.push_back(app.user("buyer" + std::to_string(i)).at("access_token"));
    }

    std::atomic<int> placed{0};
    std::atomic<int> refused{0};
    std::atomic<int> other{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> buyers;
    for (int i = 0; i < kBuyers; ++i) {
        buyers.emplace_back([&, i] {
            while (!go.load()) {
                std::this_thread::yield();
            }
            // A phone of their own: Daraja refuses the same payer and amount twice in 2 minutes.
            const std::string phone = "25471" + std::to_string(1'000'000 + i);
            const auto answer = app.buy(tokens[static_cast<std::size_t>(i)],
                                        {{"grams", "0.1"}, {"phone_for_stk", phone}},
                                        "concurrent-buy");
            if (answer.status == 201) {
                ++placed;
            } else if (answer.status == 409 &&
                       answer.body.value("code", "") == "insufficient_gold") {
                ++refused;
            } else {
                ++other;
                ADD_FAILURE() << answer.status << " " << answer.raw;
            }
        });
    }
    go = true;
    for (auto& buyer : buyers) {
        buyer.join();
    }
    EXPECT_EQ(placed.load(), kWinners);
    EXPECT_EQ(refused.load(), kBuyers - kWinners);
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(app.query("SELECT available_grams FROM pools WHERE id = '" + pool + "'"), "0");
    EXPECT_EQ(app.query("SELECT count(*) FROM trades"), std::to_string(kWinners));
    EXPECT_EQ(app.query("SELECT count(*) FROM outbox"), std::to_string(kWinners));

    app.run_outbox();
    EXPECT_EQ(app.simulator().transactions().size(), static_cast<std::size_t>(kWinners))
        << "an STK Push for each winner and none for a loser";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    std::string completed;
    while (completed != std::to_string(kWinners) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        app.app().application().callbacks().retry_pending(std::chrono::seconds(0), 100);
        completed = app.query("SELECT count(*) FROM trade_status WHERE status = 'completed'");
    }
    EXPECT_EQ(completed, std::to_string(kWinners));
    EXPECT_EQ(app.query("SELECT held_grams FROM pools WHERE id = '" + pool + "'"), "5000000");
    EXPECT_EQ(app.query("SELECT total_grams FROM pools WHERE id = '" + pool + "'"), "5000000");
    EXPECT_EQ(app.query("SELECT count(*) FROM accounts WHERE flags & 1 = 1 AND "
                        "credits_posted - debits_posted - debits_pending < 0"),
              "0");
    EXPECT_EQ(app.invariant_violations(), "");
}

// Moves all the gold of `pool_id` to a new user's wallet in a transaction that stays open,
// holding the pool account's lock, until commit() (or destruction, which rolls back).
class PoolTaker {
public:
    PoolTaker(TradeApp& app, const std::string& pool_id)
        : connection_(app.app().database()), tx_(connection_) {
        const std::string user_id = app.user("taker" + pool_id.substr(0, 8)).at("user_id");
        const pqxx::row pool = tx_.exec_params1(
            "SELECT p.account_id, a.credits_posted - a.debits_posted - a.debits_pending "
            "FROM gold_pools p JOIN accounts a ON a.id = p.account_id WHERE p.id = $1::uuid",
            pool_id);
        const TimePoint now = app.app().clock().now();
        ledger::Submission take;
        take.transfers.push_back(ledger::TransferRequest{
            identity::random_uuid(), pool[0].as<ledger::AccountId>(),
            trading::ensure_user_gold_account(tx_, user_id, pool_id, now), pool[1].as<std::int64_t>(),
            ledger::TransferType::single_phase, {}, std::nullopt, {}, "adjustment.credit"});
        const auto results = ledger::apply_submissions(tx_, {&take}, now);
        EXPECT_EQ(results.front().front(), ledger::TransferResult::ok);
    }

    void commit() { tx_.commit(); }

private:
    pqxx::connection connection_;
    pqxx::work tx_;
};

// Waits until some transaction waits for a lock (the buy, for the taker's pool account).
void wait_for_lock_waiter(TradeApp& app) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (app.query("SELECT count(*) FROM pg_locks WHERE NOT granted") == "0") {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the buy never waited for the pool";
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

// A new user buys 0.5 g while a PoolTaker empties `pool_id`: the buy has read the pools and
// waits for the pool account's lock when the taker commits. Returns the buy's answer.
JsonResponse buy_while_pool_is_taken(TradeApp& app, const std::string& pool_id) {
    const std::string token = app.user("buyer").at("access_token");
    PoolTaker taker(app, pool_id);
    auto buy = std::async(std::launch::async, [&] {
        return app.buy(token, {{"grams", "0.5"}, {"phone_for_stk", "254712345678"}}, "raced-buy");
    });
    wait_for_lock_waiter(app);
    taker.commit();
    return buy.get();
}

TEST(BuyConcurrency, ABuyWhosePoolWasEmptiedAfterItReadItTakesTheNextPool) {
    TradeApp app;
    const std::string first = app.create_pool("First bar", "1", 1);
    const std::string second = app.create_pool("Second bar", "1", 2);
    app.set_prices("8500", "8000");

    const JsonResponse answer = buy_while_pool_is_taken(app, first);

    ASSERT_EQ(answer.status, 201) << answer.raw;
    ASSERT_EQ(answer.body.at("allocations").size(), 1U) << answer.raw;
    EXPECT_EQ(answer.body.at("allocations")[0].at("pool_id"), second);
    EXPECT_EQ(app.query("SELECT available_grams FROM pools WHERE id = '" + first + "'"), "0");
    EXPECT_EQ(app.query("SELECT available_grams FROM pools WHERE id = '" + second + "'"), "500000");
    EXPECT_EQ(app.query("SELECT count(*) FROM allocations"), "1");
    EXPECT_EQ(app.invariant_violations(), "");
}

TEST(BuyConcurrency, ABuyWhosePoolWasEmptiedAfterItReadItIsRefusedWithNothingStored) {
    TradeApp app;
    const std::string pool = app.create_pool("Only bar", "1");
    app.set_prices("8500", "8000");

    const JsonResponse answer = buy_while_pool_is_taken(app, pool);

    EXPECT_EQ(answer.status, 409) << answer.raw;
    EXPECT_EQ(answer.body.value("code", ""), "insufficient_gold");
    EXPECT_EQ(answer.body.value("available_grams", ""), "0.000000");
    EXPECT_EQ(app.query("SELECT count(*) FROM trades"), "0");
    EXPECT_EQ(app.query("SELECT count(*) FROM outbox"), "0");
    EXPECT_EQ(app.query("SELECT count(*) FROM transfers WHERE kind = 'buy.reserve'"), "0");
    EXPECT_EQ(app.invariant_violations(), "");
}

}  // namespace
}  // namespace gw::test
