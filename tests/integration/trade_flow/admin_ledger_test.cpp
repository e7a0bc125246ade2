// The staff view of the whole gold ledger (GET /admin/ledger): after a completed buy, a buy
// still pending and adjustments, the filters return exactly the transfers the database holds
// for them (compared with SQL over the transfers table), pagination walks every transfer once,
// and only admin and treasury may look.

#include <set>

#include <gtest/gtest.h>

#include "core/time_text.hpp"
#include "support/trade_app_fixture.hpp"

namespace gw::test {
namespace {


class AdminLedger : public ::testing::Test {
protected:
    void SetUp() override {
        pool_ = app_.create_pool("Vault A", "10");
        app_.set_prices("8500", "8000");
        alice_ = app_.user("alice");
        bob_ = app_.user("bob");
        alice_id_ = alice_.at("user_id");
        bob_id_ = bob_.at("user_id");
        step();
        // Alice: a buy that completes (reserve, then its post) and a credit adjustment.
        const auto placed = app_.buy(alice_.at("access_token"),
                                     {{"amount_kes", "850"}, {"phone_for_stk", kTestMsisdn}},
                                     "alice-buy");
        ASSERT_EQ(placed.status, 201) << placed.raw;
        alice_trade_ = placed.body.at("trade_id");
        step();  // the post comes a second after the reservation
        app_.run_outbox();
        ASSERT_EQ(app_.wait_for_trade(alice_.at("access_token"), alice_trade_, "completed"),
                  "completed");
        step();
        after_buy_ = now_text();
        ASSERT_EQ(adjust(alice_id_, "credit", "0.25").status, 201);
        step();
        // Bob: a credit, and a buy left pending (the outbox is not run again).
        ASSERT_EQ(adjust(bob_id_, "credit", "0.5").status, 201);
        step();
        const auto pending = app_.buy(
            bob_.at("access_token"), {{"grams", "0.05"}, {"phone_for_stk", kTestMsisdn}}, "bob-buy");
        ASSERT_EQ(pending.status, 201) << pending.raw;
    }

    void step() { app_.app().clock().advance(std::chrono::seconds(1)); }
    std::string now_text() { return format_rfc3339(app_.app().clock().now()); }

    JsonResponse adjust(const std::string& user,
                        const std::string& direction,
                        const std::string& grams) {
        return request_json(
            app_.app(),
            "POST",
            "/admin/adjustments",
            {{"user_id", user}, {"grams", grams}, {"direction", direction}, {"reason", "test"}},
            app_.admin_token(),
            idempotency_key_header("adjust-" + std::to_string(++adjustments_)));
    }
    JsonResponse ledger(const std::string& query, const std::string& token = {}) {
        return request_json(app_.app(),
                            "GET",
                            "/admin/ledger" + query,
                            nullptr,
                            token.empty() ? app_.admin_token() : token);
    }
    // Transfer ids (newest first) the database holds for a WHERE clause over transfers t.
    std::string expected_ids(const std::string& where) {
        return app_.query(
            "SELECT coalesce(string_agg(id::text, ',' ORDER BY created_at DESC, id DESC), '') "
            "FROM transfers t WHERE " +
            where);
    }
    static std::string ids_of(const nlohmann::json& items) {
        std::string ids;
        for (const auto& item : items) {
            ids += (ids.empty() ? "" : ",") + item.at("id").get<std::string>();
        }
        return ids;
    }
    std::string touches(const std::string& user) {
        return "EXISTS (SELECT 1 FROM accounts a WHERE a.id IN (t.debit_account_id, "
               "t.credit_account_id) "
               "AND a.owner_user_id = '" +
               user + "')";
    }

    TradeApp app_;
    int adjustments_ = 0;  // Idempotency-Keys of adjust()
    std::string pool_;
    nlohmann::json alice_;
    nlohmann::json bob_;
    std::string alice_id_;
    std::string bob_id_;
    std::string alice_trade_;
    std::string after_buy_;
};

TEST_F(AdminLedger, AUserFilterListsOnlyTheirTransfersWithTheirStatuses) {
    const auto page = ledger("?user_id=" + alice_id_);
    ASSERT_EQ(page.status, 200) << page.raw;
    const nlohmann::json& items = page.body.at("items");
    ASSERT_EQ(items.size(), 3u) << page.raw;
    EXPECT_EQ(ids_of(items), expected_ids(touches(alice_id_)));
    EXPECT_TRUE(page.body.at("next_before").is_null());
    // Newest first: the adjustment, then the buy's post, then its reservation.
    EXPECT_EQ(items[0].at("kind"), "adjustment.credit");
    EXPECT_EQ(items[0].at("status"), "posted");
    EXPECT_EQ(items[0].at("amount_grams"), "0.250000");
    EXPECT_EQ(items[0].at("debit_account"), "pool:" + pool_);
    EXPECT_EQ(items[0].at("credit_account"), "user:" + alice_id_ + ":pool:" + pool_);
    EXPECT_TRUE(items[0].at("trade_id").is_null());
    EXPECT_TRUE(items[0].at("pending_id").is_null());
    EXPECT_EQ(items[1].at("kind"), "buy.settle");
    EXPECT_EQ(items[1].at("status"), "resolution");
    EXPECT_EQ(items[1].at("pending_id"), items[2].at("id"));
    EXPECT_EQ(items[2].at("kind"), "buy.reserve");
    EXPECT_EQ(items[2].at("status"), "posted") << "a posted reservation shows as posted";
    EXPECT_EQ(items[2].at("trade_id"), alice_trade_);
    EXPECT_EQ(items[2].at("amount_grams"), "0.100000");
    for (const auto& item : items) {
        EXPECT_EQ(item.at("user_id"), alice_id_);
        EXPECT_EQ(item.at("pool_id"), pool_);
    }

    const auto bobs = ledger("?user_id=" + bob_id_);
    ASSERT_EQ(bobs.status, 200) << bobs.raw;
    ASSERT_EQ(bobs.body.at("items").size(), 2u);
    EXPECT_EQ(bobs.body.at("items")[0].at("kind"), "buy.reserve");
    EXPECT_EQ(bobs.body.at("items")[0].at("status"), "pending");
    EXPECT_EQ(ledger("?user_id=3f0c2a52-8f0e-4d59-9a57-8d1f1a7b9e21").body.at("items").size(), 0u);
}

TEST_F(AdminLedger, KindStatusAndTimeFiltersCombine) {
    const auto credits = ledger("?kind=adjustment.credit");
    ASSERT_EQ(credits.status, 200) << credits.raw;
    EXPECT_EQ(ids_of(credits.body.at("items")), expected_ids("kind = 'adjustment.credit'"));
    EXPECT_EQ(credits.body.at("items").size(), 2u);
    const auto alices = ledger("?kind=adjustment.credit&user_id=" + alice_id_);
    ASSERT_EQ(alices.body.at("items").size(), 1u);
    EXPECT_EQ(alices.body.at("items")[0].at("user_id"), alice_id_);

    const auto pending = ledger("?status=pending");
    ASSERT_EQ(pending.body.at("items").size(), 1u) << pending.raw;
    EXPECT_EQ(pending.body.at("items")[0].at("user_id"), bob_id_);
    EXPECT_EQ(ids_of(ledger("?status=resolution").body.at("items")),
              expected_ids("flags IN (2, 4)"));
    EXPECT_EQ(ids_of(ledger("?status=posted").body.at("items")),
              expected_ids("flags = 0 OR (flags = 1 AND EXISTS (SELECT 1 FROM transfers r "
                           "WHERE r.pending_id = t.id AND r.flags = 2))"));
    EXPECT_EQ(ledger("?status=voided").body.at("items").size(), 0u);

    const auto later = ledger("?from=" + after_buy_);
    ASSERT_EQ(later.status, 200) << later.raw;
    EXPECT_EQ(ids_of(later.body.at("items")), expected_ids("created_at >= '" + after_buy_ + "'"));
    EXPECT_EQ(later.body.at("items").size(), 3u) << "two credits and bob's reservation";
    const auto earlier = ledger("?to=" + after_buy_ + "&kind=buy.reserve");
    ASSERT_EQ(earlier.body.at("items").size(), 1u) << earlier.raw;
    EXPECT_EQ(earlier.body.at("items")[0].at("trade_id"), alice_trade_);
}

TEST_F(AdminLedger, LimitOnePaginationWalksEveryTransferOnce) {
    const std::string all =
        expected_ids("(SELECT asset FROM accounts WHERE id = t.debit_account_id) = 'XAU_UG'");
    std::string walked;
    std::set<std::string> seen;
    std::string before;
    for (int pages = 0; pages < 50; ++pages) {
        const auto page = ledger("?limit=1" + (before.empty() ? "" : "&before=" + before));
        ASSERT_EQ(page.status, 200) << page.raw;
        ASSERT_LE(page.body.at("items").size(), 1u);
        for (const auto& item : page.body.at("items")) {
            EXPECT_TRUE(seen.insert(item.at("id").get<std::string>()).second)
                << "repeated " << item;
        }
        const std::string ids = ids_of(page.body.at("items"));
        walked += (walked.empty() || ids.empty() ? "" : ",") + ids;
        if (page.body.at("next_before").is_null()) {
            break;
        }
        before = page.body.at("next_before");
    }
    EXPECT_EQ(walked, all);
    EXPECT_EQ(seen.size(), 6u)
        << "pool.create, Alice's reserve and settle, two credits, Bob's reserve";
}

TEST_F(AdminLedger, TreasuryMayReadOthersMayNot) {
    const std::string treasurer =
        staff_login(app_.app(), "treasurer", identity::Role::treasury).at("access_token");
    EXPECT_EQ(ledger("", treasurer).status, 200);
    const std::string reviewer =
        staff_login(app_.app(), "reviewer", identity::Role::kyc_reviewer).at("access_token");
    EXPECT_EQ(ledger("", reviewer).status, 403);
    const auto user = ledger("", alice_.at("access_token"));
    EXPECT_EQ(user.status, 403);
    EXPECT_EQ(user.body.value("code", ""), "forbidden");
}

TEST_F(AdminLedger, BadFiltersAreValidationFailed) {
    for (const std::string query : {"?from=yesterday",
                                    "?to=2026-13-01T00:00:00Z",
                                    "?status=settled",
                                    "?user_id=alice",
                                    "?limit=0",
                                    "?limit=501",
                                    "?before=nonsense",
                                    "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z"}) {
        const auto refused = ledger(query);
        EXPECT_EQ(refused.status, 400) << query << ": " << refused.raw;
        EXPECT_EQ(refused.body.value("code", ""), "validation_failed") << query;
    }
    EXPECT_EQ(ledger("?limit=500").status, 200);
}

}  // namespace
}  // namespace gw::test
