// Proves DELETE /user/me refuses while the user holds gold or has gold in flight
// (account_not_empty, nothing changed), and succeeds once the balance is back to zero.

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "db/transaction.hpp"
#include "identity/uuid.hpp"
#include "ledger/ledger_store.hpp"
#include "support/app_fixture.hpp"

namespace gw::test {
namespace {

using ledger::TransferRequest;
using ledger::TransferType;

struct Accounts {
    ledger::AccountId pool = 0;
    ledger::AccountId user = 0;
};

Accounts pool_and_user_accounts(RunningApp& app, const std::string& user_id) {
    auto pool = app.application().pools().create(identity::Actor::system("test"),
                                                  {"Closure pool", Micrograms{10'000'000}, {9999}, 100, ""});
    EXPECT_TRUE(pool.has_value());
    return db::with_transaction(app.application().pool(), "test.accounts", [&](pqxx::work& tx) {
        Accounts accounts;
        accounts.pool = *ledger::find_account(tx, "pool:" + pool->id);
        accounts.user = ledger::ensure_account(
            tx, {"user:" + user_id + ":pool:" + pool->id, ledger::Asset::xau_ug,
                 ledger::kDebitsMustNotExceedCredits, user_id, pool->id},
            app.clock().now());
        return accounts;
    });
}

ledger::TransferResult move(RunningApp& app, TransferRequest request) {
    return app.application().ledger_writer().submit({{std::move(request)}, true}).front();
}

TEST(AccountClosureWithGold, IsRefusedWhileGoldIsHeldOrInFlight) {
    RunningApp app;
    const auto jane = register_and_login(app, "jane");
    const Accounts accounts = pool_and_user_accounts(app, jane["user_id"]);
    const std::string reserve_id = identity::random_uuid();
    ASSERT_EQ(move(app, {reserve_id, accounts.pool, accounts.user, 1'000'000, TransferType::pending, {},
                         std::nullopt, {}, "buy.reserve"}),
              ledger::TransferResult::ok);

    auto refused = request_json(app, "DELETE", "/user/me", nullptr, jane["access_token"]);
    EXPECT_EQ(refused.status, 409);
    EXPECT_EQ(refused.body["code"], "account_not_empty");

    ASSERT_EQ(move(app, {identity::random_uuid(), 0, 0, 0, TransferType::post_pending, reserve_id,
                         std::nullopt, {}, "buy.settle"}),
              ledger::TransferResult::ok);
    refused = request_json(app, "DELETE", "/user/me", nullptr, jane["access_token"]);
    EXPECT_EQ(refused.body["code"], "account_not_empty") << "1 g is held";
    EXPECT_EQ(app.query("SELECT closed_at IS NULL FROM users WHERE username = 'jane'"), "t");

    ASSERT_EQ(move(app, {identity::random_uuid(), accounts.user, accounts.pool, 1'000'000,
                         TransferType::single_phase, {}, std::nullopt, {}, "sell.settle"}),
              ledger::TransferResult::ok);
    const auto closed = request_json(app, "DELETE", "/user/me", nullptr, jane["access_token"]);
    EXPECT_EQ(closed.status, 204) << closed.raw;
    EXPECT_EQ(app.query("SELECT closed_at IS NOT NULL FROM users WHERE username = 'jane'"), "t");
}

}  // namespace
}  // namespace gw::test
