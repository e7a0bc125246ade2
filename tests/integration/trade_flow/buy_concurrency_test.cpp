// Many buyers at once against one pool: the pool row's lock and the no-overdraft CHECK must
// let exactly as many buys through as there is gold, and no loser may be charged.

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/trade_app_fixture.hpp"

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

}  // namespace
}  // namespace gw::test
