// The shared world of the security suite (security_support.hpp): built once, on first use,
// through the public API the way customers and staff would build it.

#include <memory>

#include <gtest/gtest.h>

#include "security_support.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test::security {
namespace {

std::unique_ptr<SecurityWorld>& world_slot() {
    static std::unique_ptr<SecurityWorld> world;
    return world;
}

// Tears the world down after the last test, while the test cluster is still running.
class WorldEnvironment : public ::testing::Environment {
public:
    void TearDown() override { world_slot().reset(); }
};

[[maybe_unused]] const ::testing::Environment* const world_environment =
    ::testing::AddGlobalTestEnvironment(new WorldEnvironment);  // gtest owns it

std::string quote(SecurityWorld& world,
                  const std::string& token,
                  const nlohmann::json& body,
                  const std::string& what) {
    const auto answer = request_json(world.app(), "POST", "/trade/quote", body, token);
    EXPECT_EQ(answer.status, 201) << what << ": " << answer.raw;
    world.write_answers[what] = answer;
    return answer.body.value("quote_id", "");
}

}  // namespace

SecurityWorld::SecurityWorld() {
    admin = trade.admin_token();
    reviewer = staff_login(app(), "reviewer", identity::Role::kyc_reviewer).at("access_token");
    treasury = staff_login(app(), "treasurer", identity::Role::treasury).at("access_token");
    pool = trade.create_pool("Vault S", "10");
    trade.set_prices("8500", "8000");
    alice = customer("alice", true);
    bob = customer("bob", false);
    // Today's run finds the trades M-Pesa has no statement for yet: a run with items.
    const auto started =
        request_json(app(), "POST", "/admin/reconciliation/run", {{"date", "2026-11-18"}}, admin);
    EXPECT_EQ(started.status, 201) << started.raw;
    write_answers["reconciliation run"] = started;
    run = started.body.is_object() ? started.body.at("run").value("run_id", "") : "";
    item = started.body.is_object() && !started.body.at("items").empty()
               ? std::to_string(started.body.at("items").at(0).value("item_id", 0))
               : "";
    const auto yesterday =
        request_json(app(), "POST", "/admin/reconciliation/run", nlohmann::json::object(), admin);
    EXPECT_EQ(yesterday.status, 201) << yesterday.raw;
    other_run = yesterday.body.is_object() ? yesterday.body.at("run").value("run_id", "") : "";
}

Customer SecurityWorld::customer(const std::string& username, bool with_sell) {
    Customer c;
    const nlohmann::json logged_in = user_with_documents(app(), username);
    c.token = logged_in.at("access_token");
    c.id = logged_in.at("user_id");
    c.username = username;
    c.msisdn = registered_msisdn(logged_in);
    for (const auto& [doc_type, id] : logged_in.at("documents").items()) {
        c.documents[doc_type] = id.get<std::string>();
    }
    nlohmann::json answered;  // what POST /auth/login answered (the helper adds the rest)
    for (const char* key : {"access_token", "refresh_token", "token_type", "expires_in"}) {
        answered[key] = logged_in.at(key);
    }
    write_answers[username + " login"] = {200, answered, {}, answered.dump()};

    c.used_quote =
        quote(*this, c.token, {{"side", "buy"}, {"amount_kes", "850"}}, username + " quote");
    c.buy_key = username + "-buy-1";
    const nlohmann::json buy_body = {{"quote_id", c.used_quote}, {"phone_for_stk", c.msisdn}};
    c.buy_body = buy_body.dump();
    const auto bought = trade.buy(c.token, buy_body, c.buy_key);
    EXPECT_EQ(bought.status, 201) << bought.raw;
    write_answers[username + " buy"] = bought;
    c.buy_trade = bought.body.value("trade_id", "");
    trade.run_outbox();
    EXPECT_EQ(trade.wait_for_trade(c.token, c.buy_trade, "completed"), "completed");
    trade.run_outbox();
    const auto notifications = request_json(app(), "GET", "/user/notifications", nullptr, c.token);
    EXPECT_EQ(notifications.body.at("items").size(), 1u) << notifications.raw;
    c.notification = notifications.body.at("items").at(0).value("id", "");

    c.fresh_quote =
        quote(*this, c.token, {{"side", "buy"}, {"amount_kes", "850"}}, username + " fresh quote");
    c.sell_quote =
        quote(*this, c.token, {{"side", "sell"}, {"grams", "0.01"}}, username + " sell quote");
    if (with_sell) {
        trade.credit(c.id, "1");
        const auto sold = trade.sell(
            c.token, {{"grams", "0.1"}, {"payout_phone", c.msisdn}}, username + "-sell-1");
        EXPECT_EQ(sold.status, 201) << sold.raw;
        write_answers[username + " sell"] = sold;
        c.sell_trade = sold.body.value("trade_id", "");
        c.payout = sold.body.value("payout_id", "");
        trade.run_outbox();
    }
    return c;
}

SecurityWorld& shared_world() {
    auto& world = world_slot();
    if (!world) {
        world = std::make_unique<SecurityWorld>();
    }
    return *world;
}

std::string alice_path(const std::string& pattern, const SecurityWorld& world) {
    std::string id = world.alice.buy_trade;
    if (pattern.starts_with("/user/notifications/")) {
        id = world.alice.notification;
    } else if (pattern.starts_with("/pools/")) {
        id = world.pool;
    } else if (pattern.starts_with("/admin/payouts/")) {
        id = world.alice.payout;
    }
    return fill(pattern,
                {{"id", id},
                 {"user_id", world.alice.id},
                 {"doc_id", world.alice.documents.at("id_front")},
                 {"run_id", world.run},
                 {"item_id", world.item.empty() ? "1" : world.item},
                 {"token", "0123456789abcdef0123456789abcdef"}});
}

}  // namespace gw::test::security
