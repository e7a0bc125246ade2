// Admin gold adjustments over HTTP (POST /admin/adjustments): a credit moves gold from the
// pools to the user, a debit moves the user's available gold back, each as ledger transfers in
// one transaction with the adjustments row and the audit entry, once per admin and
// Idempotency-Key. Every refusal is checked for its exact code and for leaving nothing behind;
// the ledger invariants are re-checked.

#include <cctype>
#include <future>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "db/transaction.hpp"
#include "identity/uuid.hpp"
#include "ledger/batch_apply.hpp"
#include "support/identity_helpers.hpp"
#include "support/trade_app_fixture.hpp"

namespace gw::test {
namespace {

class Adjustments : public ::testing::Test {
protected:
    void SetUp() override {
        pool_ = app_.create_pool("Vault A", "10");
        app_.set_prices("8500", "8000");
        alice_ = app_.user("alice");
        alice_id_ = alice_.at("user_id");
    }

    // POST /admin/adjustments with a new Idempotency-Key.
    JsonResponse adjust_as(const nlohmann::json& body, const std::string& token) {
        return adjust_keyed(body, token, "adjust-" + std::to_string(++keys_));
    }
    // POST /admin/adjustments with `key` as the Idempotency-Key (none when empty).
    JsonResponse adjust_keyed(const nlohmann::json& body, const std::string& token, const std::string& key) {
        return request_json(app_.app(), "POST", "/admin/adjustments", body, token,
                            key.empty() ? httplib::Headers{} : idempotency_key_header(key));
    }
    JsonResponse adjust(const std::string& direction,
                        const std::string& grams,
                        const std::string& reason = "ticket 42") {
        return adjust_as({{"user_id", alice_id_},
                          {"grams", grams},
                          {"direction", direction},
                          {"reason", reason}},
                         app_.admin_token());
    }

    nlohmann::json balance() {
        return request_json(app_.app(), "GET", "/user/balance", nullptr, alice_.at("access_token"))
            .body;
    }
    std::string available(const std::string& pool) {
        return app_.query("SELECT available_grams FROM pools WHERE id = '" + pool + "'");
    }
    // Rows an adjustment writes: adjustments, audit entries and adjustment transfers.
    std::string stored() {
        return app_.query("SELECT count(*) FROM adjustments") + "/" +
               app_.query("SELECT count(*) FROM audit_log WHERE action = 'adjustment.create'") +
               "/" + app_.query("SELECT count(*) FROM transfers WHERE kind LIKE 'adjustment.%'");
    }

    TradeApp app_;
    int keys_ = 0;  // Idempotency-Keys of adjust_as()
    std::string pool_;
    nlohmann::json alice_;
    std::string alice_id_;
};

TEST_F(Adjustments, ACreditMovesPoolGoldToTheUserWithItsRowAndAudit) {
    const auto made = adjust("credit", "0.25", "goodwill for ticket 42");
    ASSERT_EQ(made.status, 201) << made.raw;
    EXPECT_EQ(made.body.at("user_id"), alice_id_);
    EXPECT_EQ(made.body.at("direction"), "credit");
    EXPECT_EQ(made.body.at("grams"), "0.250000");
    EXPECT_EQ(made.body.at("reason"), "goodwill for ticket 42");
    ASSERT_EQ(made.body.at("transfers").size(), 1u);
    EXPECT_EQ(made.body.at("transfers")[0].at("pool_id"), pool_);
    EXPECT_EQ(made.body.at("transfers")[0].at("grams"), "0.250000");
    EXPECT_FALSE(made.body.at("created_at").get<std::string>().empty());
    const std::string id = made.body.at("adjustment_id");

    EXPECT_EQ(balance().at("grams"), "0.250000");
    EXPECT_EQ(balance().at("available_grams"), "0.250000");
    EXPECT_EQ(available(pool_), "9750000");
    EXPECT_EQ(stored(), "1/1/1");
    EXPECT_EQ(
        app_.query("SELECT user_id::text || ' ' || direction || ' ' || grams_ug || ' ' || reason "
                   "FROM adjustments WHERE id = '" +
                   id + "'"),
        alice_id_ + " credit 250000 goodwill for ticket 42");
    EXPECT_EQ(
        app_.query(
            "SELECT a.admin_id = u.id FROM adjustments a, users u WHERE u.username = 'admin'"),
        "t");
    EXPECT_EQ(
        app_.query(
            "SELECT target_type || ' ' || target_id || ' ' || reason || ' ' || (before->>'grams') "
            "|| ' ' || (after->>'grams') FROM audit_log WHERE action = 'adjustment.create'"),
        "user " + alice_id_ + " goodwill for ticket 42 0.000000 0.250000");
    EXPECT_EQ(
        app_.query(
            "SELECT (after->>'adjustment_id') FROM audit_log WHERE action = 'adjustment.create'"),
        id);
    EXPECT_EQ(
        app_.query("SELECT flags || ' ' || amount || ' ' || (trade_id IS NULL) FROM transfers "
                   "WHERE kind = 'adjustment.credit'"),
        "0 250000 true");
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(Adjustments, ADebitBeyondAvailableIsRefusedAndAFittingOneReturnsTheGold) {
    ASSERT_EQ(adjust("credit", "0.25").status, 201);
    const auto refused = adjust("debit", "0.250001");
    EXPECT_EQ(refused.status, 409) << refused.raw;
    EXPECT_EQ(refused.body.value("code", ""), "insufficient_grams");
    EXPECT_EQ(refused.body.value("available_grams", ""), "0.250000");
    EXPECT_EQ(stored(), "1/1/1") << "a refused debit stores nothing";
    EXPECT_EQ(balance().at("grams"), "0.250000");

    const auto debited = adjust("debit", "0.1");
    ASSERT_EQ(debited.status, 201) << debited.raw;
    EXPECT_EQ(debited.body.at("direction"), "debit");
    ASSERT_EQ(debited.body.at("transfers").size(), 1u);
    EXPECT_EQ(debited.body.at("transfers")[0].at("pool_id"), pool_);
    EXPECT_EQ(balance().at("grams"), "0.150000");
    EXPECT_EQ(available(pool_), "9850000");
    EXPECT_EQ(stored(), "2/2/2");
    EXPECT_EQ(app_.query("SELECT (before->>'grams') || ' ' || (after->>'grams') FROM audit_log "
                         "WHERE action = 'adjustment.create' ORDER BY id DESC LIMIT 1"),
              "0.250000 0.150000");
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(Adjustments, ADebitNeverTouchesGramsLockedInASell) {
    ASSERT_EQ(adjust("credit", "0.25").status, 201);
    // Lock 0.2 g as a sell does: a pending transfer from the user's account back to the pool.
    const auto account = [&](const std::string& code) {
        return std::stoll(app_.query("SELECT id FROM accounts WHERE code = '" + code + "'"));
    };
    ledger::Submission sell;
    sell.transfers.push_back(
        ledger::TransferRequest{identity::random_uuid(),
                                account("user:" + alice_id_ + ":pool:" + pool_),
                                account("pool:" + pool_),
                                200'000,
                                ledger::TransferType::pending,
                                {},
                                std::nullopt,
                                {},
                                "sell.lock"});
    db::with_transaction(app_.app().application().pool(), "test.sell_lock", [&](pqxx::work& tx) {
        ASSERT_TRUE(ledger::succeeded(
            ledger::apply_submissions(tx, {&sell}, app_.app().clock().now())[0][0]));
    });
    EXPECT_EQ(balance().at("available_grams"), "0.050000");

    const auto refused = adjust("debit", "0.1");
    EXPECT_EQ(refused.status, 409) << refused.raw;
    EXPECT_EQ(refused.body.value("code", ""), "insufficient_grams");
    EXPECT_EQ(refused.body.value("available_grams", ""), "0.050000");
    EXPECT_EQ(stored(), "1/1/1");
    ASSERT_EQ(adjust("debit", "0.05").status, 201);
    EXPECT_EQ(balance().at("grams"), "0.200000");
    EXPECT_EQ(balance().at("locked_grams"), "0.200000");
    EXPECT_EQ(balance().at("available_grams"), "0.000000");
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(Adjustments, ADebitOfAUserWithNoGoldIsInsufficientGrams) {
    const auto refused = adjust("debit", "0.000001");
    EXPECT_EQ(refused.status, 409) << refused.raw;
    EXPECT_EQ(refused.body.value("code", ""), "insufficient_grams");
    EXPECT_EQ(stored(), "0/0/0");
}

TEST_F(Adjustments, CreditAndDebitWalkThePoolsInPriorityOrder) {
    const std::string first =
        app_.create_pool("Vault B", "0.1", 10);  // lower priority number: first
    const auto credited = adjust("credit", "0.25");
    ASSERT_EQ(credited.status, 201) << credited.raw;
    ASSERT_EQ(credited.body.at("transfers").size(), 2u);
    EXPECT_EQ(credited.body.at("transfers")[0].at("pool_id"), first);
    EXPECT_EQ(credited.body.at("transfers")[0].at("grams"), "0.100000");
    EXPECT_EQ(credited.body.at("transfers")[1].at("pool_id"), pool_);
    EXPECT_EQ(credited.body.at("transfers")[1].at("grams"), "0.150000");
    EXPECT_EQ(available(first), "0");
    EXPECT_EQ(available(pool_), "9850000");

    const auto debited = adjust("debit", "0.2");
    ASSERT_EQ(debited.status, 201) << debited.raw;
    ASSERT_EQ(debited.body.at("transfers").size(), 2u);
    EXPECT_EQ(debited.body.at("transfers")[0].at("pool_id"), first);
    EXPECT_EQ(debited.body.at("transfers")[0].at("grams"), "0.100000");
    EXPECT_EQ(debited.body.at("transfers")[1].at("grams"), "0.100000");
    EXPECT_EQ(available(first), "100000");
    EXPECT_EQ(available(pool_), "9950000");
    EXPECT_EQ(balance().at("grams"), "0.050000");
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(Adjustments, ACreditBeyondThePoolsIsInsufficientGold) {
    const auto refused = adjust("credit", "10.000001");
    EXPECT_EQ(refused.status, 409) << refused.raw;
    EXPECT_EQ(refused.body.value("code", ""), "insufficient_gold");
    EXPECT_EQ(refused.body.value("available_grams", ""), "10.000000");
    EXPECT_EQ(stored(), "0/0/0");
    EXPECT_EQ(available(pool_), "10000000");
    EXPECT_EQ(app_.query("SELECT count(*) FROM accounts WHERE owner_user_id = '" + alice_id_ + "'"),
              "0")
        << "a refused credit creates no account";
    EXPECT_EQ(adjust("credit", "10").status, 201) << "exactly what the pools hold is fine";
    EXPECT_EQ(available(pool_), "0");
}

TEST_F(Adjustments, OnlyAdminsMayAdjust) {
    const nlohmann::json body = {
        {"user_id", alice_id_}, {"grams", "0.25"}, {"direction", "credit"}, {"reason", "x"}};
    const std::string reviewer =
        staff_login(app_.app(), "reviewer", identity::Role::kyc_reviewer).at("access_token");
    const std::string treasurer =
        staff_login(app_.app(), "treasurer", identity::Role::treasury).at("access_token");
    for (const std::string& token :
         {alice_.at("access_token").get<std::string>(), reviewer, treasurer}) {
        const auto refused = adjust_as(body, token);
        EXPECT_EQ(refused.status, 403) << refused.raw;
        EXPECT_EQ(refused.body.value("code", ""), "forbidden");
    }
    EXPECT_EQ(adjust_as(body, "").status, 401);
    EXPECT_EQ(stored(), "0/0/0");
    EXPECT_EQ(balance().at("grams"), "0.000000");
}

TEST_F(Adjustments, AnAdminMayNotAdjustTheirOwnWallet) {
    const auto admin_id = app_.query("SELECT id FROM users WHERE username = 'admin'");
    std::string shouted = admin_id;  // the same UUID, as a client may spell it
    for (char& c : shouted) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    for (const std::string& id : {admin_id, shouted}) {
        const auto refused = adjust_as(
            {{"user_id", id}, {"grams", "0.25"}, {"direction", "credit"}, {"reason", "bonus"}},
            app_.admin_token());
        EXPECT_EQ(refused.status, 403) << id << ": " << refused.raw;
        EXPECT_EQ(refused.body.value("code", ""), "forbidden") << id;
    }
    EXPECT_EQ(stored(), "0/0/0");
    EXPECT_EQ(available(pool_), "10000000");
}

TEST_F(Adjustments, BadFieldsAreValidationFailedAndStoreNothing) {
    const nlohmann::json good = {
        {"user_id", alice_id_}, {"grams", "0.25"}, {"direction", "credit"}, {"reason", "ok"}};
    struct Case {
        const char* field;
        nlohmann::json value;  // null: the field is left out
        const char* code;
    };
    const std::vector<Case> cases = {
        {"reason", nullptr, "validation_failed"},
        {"reason", "", "validation_failed"},
        {"reason", "   ", "validation_failed"},
        {"reason", std::string(501, 'x'), "validation_failed"},
        {"reason", 42, "validation_failed"},
        {"direction", nullptr, "validation_failed"},
        {"direction", "sideways", "validation_failed"},
        {"user_id", nullptr, "validation_failed"},
        {"grams", nullptr, "validation_failed"},
        {"grams", "0", "zero_amount"},
        {"grams", "-1", "negative_amount"},
        {"grams", "0.0000001", "too_many_decimals"},
    };
    for (const Case& c : cases) {
        nlohmann::json body = good;
        if (c.value.is_null()) {
            body.erase(c.field);
        } else {
            body[c.field] = c.value;
        }
        const auto refused = adjust_as(body, app_.admin_token());
        EXPECT_EQ(refused.status, 400) << c.field << "=" << c.value << ": " << refused.raw;
        EXPECT_EQ(refused.body.value("code", ""), c.code) << c.field << "=" << c.value;
    }
    EXPECT_EQ(stored(), "0/0/0");
    EXPECT_EQ(available(pool_), "10000000");
    // 500 characters (one of them two bytes) is the most a reason may hold.
    const auto longest = adjust("credit", "0.1", "\xC3\xA9" + std::string(499, 'x'));
    EXPECT_EQ(longest.status, 201) << longest.raw;
}

TEST_F(Adjustments, AnUnknownOrClosedUserIsNotFound) {
    for (const std::string& user :
         {std::string("3f0c2a52-8f0e-4d59-9a57-8d1f1a7b9e21"), std::string("nobody")}) {
        const auto refused = adjust_as(
            {{"user_id", user}, {"grams", "0.25"}, {"direction", "credit"}, {"reason", "x"}},
            app_.admin_token());
        EXPECT_EQ(refused.status, 404) << refused.raw;
        EXPECT_EQ(refused.body.value("code", ""), "not_found");
    }
    const nlohmann::json carol = app_.user("carol");
    ASSERT_EQ(
        request_json(app_.app(), "DELETE", "/user/me", nullptr, carol.at("access_token")).status,
        204);
    const auto closed = adjust_as({{"user_id", carol.at("user_id")},
                                   {"grams", "0.25"},
                                   {"direction", "credit"},
                                   {"reason", "x"}},
                                  app_.admin_token());
    EXPECT_EQ(closed.status, 404) << closed.raw;
    EXPECT_EQ(stored(), "0/0/0");
    EXPECT_EQ(available(pool_), "10000000");
}

TEST_F(Adjustments, ARetryWithTheSameKeyReturnsTheAdjustmentMadeAndMovesTheGoldOnce) {
    const nlohmann::json body = {
        {"user_id", alice_id_}, {"grams", "0.25"}, {"direction", "credit"}, {"reason", "ticket 7"}};
    const auto made = adjust_keyed(body, app_.admin_token(), "ticket-7");
    ASSERT_EQ(made.status, 201) << made.raw;
    EXPECT_EQ(header_of(made, "Idempotent-Replayed"), "");

    nlohmann::json shouted = body;  // the same user, the UUID in capitals
    for (char& c : shouted["user_id"].get_ref<std::string&>()) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    for (const nlohmann::json& again : {body, shouted}) {
        const auto retried = adjust_keyed(again, app_.admin_token(), "ticket-7");
        ASSERT_EQ(retried.status, 201) << retried.raw;
        EXPECT_EQ(header_of(retried, "Idempotent-Replayed"), "true");
        EXPECT_EQ(retried.body, made.body) << "the same adjustment, transfers and time included";
    }
    EXPECT_EQ(stored(), "1/1/1");
    EXPECT_EQ(balance().at("grams"), "0.250000");
    EXPECT_EQ(available(pool_), "9750000");
    EXPECT_EQ(app_.invariant_violations(), "");
}

TEST_F(Adjustments, AKeyReusedForAnotherAdjustmentIsRefusedButEachAdminHasTheirOwnKeys) {
    const nlohmann::json credit = {
        {"user_id", alice_id_}, {"grams", "0.25"}, {"direction", "credit"}, {"reason", "ticket 8"}};
    ASSERT_EQ(adjust_keyed(credit, app_.admin_token(), "ticket-8").status, 201);
    const std::string bob_id = app_.user("bob").at("user_id");
    for (const auto& [field, value] : std::vector<std::pair<std::string, std::string>>{
             {"user_id", bob_id}, {"grams", "0.5"}, {"direction", "debit"}, {"reason", "ticket 8, again"}}) {
        nlohmann::json other = credit;
        other[field] = value;
        const auto refused = adjust_keyed(other, app_.admin_token(), "ticket-8");
        EXPECT_EQ(refused.status, 409) << field << ": " << refused.raw;
        EXPECT_EQ(refused.body.value("code", ""), "idempotency_key_reused") << field;
    }
    EXPECT_EQ(stored(), "1/1/1");

    const std::string second_admin =
        staff_login(app_.app(), "second_admin", identity::Role::admin).at("access_token");
    const auto theirs = adjust_keyed(credit, second_admin, "ticket-8");
    EXPECT_EQ(theirs.status, 201) << theirs.raw;
    EXPECT_EQ(header_of(theirs, "Idempotent-Replayed"), "");
    EXPECT_EQ(stored(), "2/2/2");
    EXPECT_EQ(balance().at("grams"), "0.500000");
}

TEST_F(Adjustments, WithoutAUsableIdempotencyKeyNothingIsAdjusted) {
    const nlohmann::json body = {
        {"user_id", alice_id_}, {"grams", "0.25"}, {"direction", "credit"}, {"reason", "x"}};
    for (const std::string& key : {std::string(), std::string(256, 'k'), std::string("two words")}) {
        const auto refused = adjust_keyed(body, app_.admin_token(), key);
        EXPECT_EQ(refused.status, 400) << refused.raw;
        EXPECT_EQ(refused.body.value("code", ""), "idempotency_key_required");
    }
    EXPECT_EQ(stored(), "0/0/0");
    EXPECT_EQ(balance().at("grams"), "0.000000");
    const auto longest = adjust_keyed(body, app_.admin_token(), std::string(255, 'k'));
    EXPECT_EQ(longest.status, 201) << "255 characters is the most a key may have";
}

TEST_F(Adjustments, SimultaneousRetriesOfOneKeyMakeOneAdjustment) {
    const nlohmann::json body = {
        {"user_id", alice_id_}, {"grams", "0.1"}, {"direction", "credit"}, {"reason", "ticket 9"}};
    constexpr int kRetries = 8;
    std::vector<std::future<JsonResponse>> answers;
    for (int i = 0; i < kRetries; ++i) {
        answers.push_back(std::async(std::launch::async, [&] {
            return adjust_keyed(body, app_.admin_token(), "ticket-9");
        }));
    }
    std::set<std::string> ids;
    int replayed = 0;
    for (auto& answer : answers) {
        const JsonResponse response = answer.get();
        ASSERT_EQ(response.status, 201) << response.raw;
        ids.insert(response.body.value("adjustment_id", ""));
        replayed += header_of(response, "Idempotent-Replayed") == "true" ? 1 : 0;
    }
    EXPECT_EQ(ids.size(), 1u);
    EXPECT_EQ(replayed, kRetries - 1);
    EXPECT_EQ(stored(), "1/1/1");
    EXPECT_EQ(balance().at("grams"), "0.100000");
    EXPECT_EQ(app_.invariant_violations(), "");
}

}  // namespace
}  // namespace gw::test
