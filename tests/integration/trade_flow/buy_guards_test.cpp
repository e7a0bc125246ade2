// What POST /trade/buy refuses and what it repeats: the Idempotency-Key (replay, conflict,
// missing), quotes (locked price, used, expired, wrong side, someone else's), malformed input,
// the KYC limits, and who may see a trade. Every refusal is checked for its status, its stable
// problem+json `code` and that nothing was stored (no trade, no transfer, no outbox message).

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/trade_app_fixture.hpp"

namespace gw::test {
namespace {


// The rows a buy writes; equal before and after a refusal.
struct Stored {
    std::string trades;
    std::string transfers;
    std::string outbox;
    std::string quotes_used;
    bool operator==(const Stored&) const = default;
};

void PrintTo(const Stored& s, std::ostream* out) {
    *out << "{trades " << s.trades << ", transfers " << s.transfers << ", outbox " << s.outbox
         << ", quoted trades " << s.quotes_used << "}";
}

class BuyGuards : public ::testing::Test {
protected:
    void SetUp() override {
        app_.create_pool("Vault A", "10");
        app_.set_prices("8500", "8000");
        alice_ = app_.user("alice");
        token_ = alice_.at("access_token");
    }

    Stored stored() {
        return {app_.query("SELECT count(*) FROM trades"),
                app_.query("SELECT count(*) FROM transfers"),
                app_.query("SELECT count(*) FROM outbox"),
                app_.query("SELECT count(*) FROM trades WHERE quote_id IS NOT NULL")};
    }

    static nlohmann::json by_amount(const std::string& kes) {
        return {{"amount_kes", kes}, {"phone_for_stk", kTestMsisdn}};
    }

    // POST /trade/buy with exactly `headers` (besides the bearer token).
    JsonResponse post_buy(const httplib::Headers& extra, const nlohmann::json& body) {
        httplib::Client client = app_.app().client();
        httplib::Headers headers{{"Authorization", "Bearer " + token_}};
        headers.insert(extra.begin(), extra.end());
        const auto result = client.Post("/trade/buy", headers, body.dump(), "application/json");
        JsonResponse response;
        if (!result) {
            ADD_FAILURE() << "POST /trade/buy: " << httplib::to_string(result.error());
            return response;
        }
        response.status = result->status;
        response.headers = result->headers;
        response.raw = result->body;
        response.body = nlohmann::json::parse(result->body, nullptr, false);
        return response;
    }

    // Expects a problem+json refusal with `status` and `code`, and nothing new stored.
    void expect_refused(const JsonResponse& response,
                        int status,
                        const std::string& code,
                        const Stored& before) {
        EXPECT_EQ(response.status, status) << response.raw;
        EXPECT_EQ(response.body.value("code", ""), code) << response.raw;
        const auto type = response.headers.find("Content-Type");
        ASSERT_NE(type, response.headers.end());
        EXPECT_EQ(type->second.rfind("application/problem+json", 0), 0u) << type->second;
        EXPECT_EQ(stored(), before) << code;
    }

    JsonResponse quote(const std::string& token, const nlohmann::json& body) {
        return request_json(app_.app(), "POST", "/trade/quote", body, token);
    }

    TradeApp app_;
    nlohmann::json alice_;
    std::string token_;
};

TEST_F(BuyGuards, ARetryWithTheSameKeyAndBodyAnswersTheSameTrade) {
    const auto first = app_.buy(token_, by_amount("850"), "retry-1");
    ASSERT_EQ(first.status, 201) << first.raw;
    EXPECT_EQ(first.headers.count("Idempotent-Replayed"), 0u);
    const auto again = app_.buy(token_, by_amount("850"), "retry-1");
    ASSERT_EQ(again.status, 201) << again.raw;
    EXPECT_EQ(again.body.at("trade_id"), first.body.at("trade_id"));
    const auto replayed = again.headers.find("Idempotent-Replayed");
    ASSERT_NE(replayed, again.headers.end());
    EXPECT_EQ(replayed->second, "true");
    EXPECT_EQ(app_.query("SELECT count(*) FROM trades"), "1");
    EXPECT_EQ(app_.query("SELECT count(*) FROM outbox"), "1");
    EXPECT_EQ(app_.run_outbox(), 1u);
    ASSERT_EQ(app_.wait_for_trade(token_, first.body.at("trade_id"), "completed"), "completed");
    // Paid since, and still the retry repeats the first answer, word for word.
    EXPECT_EQ(app_.buy(token_, by_amount("850"), "retry-1").body, first.body);
    EXPECT_EQ(app_.run_outbox(), 1u) << "only the receipt's notification";
    EXPECT_EQ(app_.simulator().transactions().size(), 1u);
}

TEST_F(BuyGuards, TheSameKeyWithAnotherBodyIsAConflict) {
    ASSERT_EQ(app_.buy(token_, by_amount("850"), "conflict-1").status, 201);
    const Stored before = stored();
    expect_refused(
        app_.buy(token_, by_amount("900"), "conflict-1"), 409, "idempotency_key_reused", before);
    nlohmann::json partial = by_amount("850");
    partial["allow_partial"] = true;
    expect_refused(app_.buy(token_, partial, "conflict-1"), 409, "idempotency_key_reused", before);
}

TEST_F(BuyGuards, AMissingEmptyOrOverlongKeyIsRefused) {
    const Stored before = stored();
    expect_refused(post_buy({}, by_amount("850")), 400, "idempotency_key_required", before);
    expect_refused(post_buy({{"Idempotency-Key", ""}}, by_amount("850")),
                   400,
                   "idempotency_key_required",
                   before);
    expect_refused(post_buy({{"Idempotency-Key", std::string(256, 'k')}}, by_amount("850")),
                   400,
                   "idempotency_key_required",
                   before);
    expect_refused(post_buy({{"Idempotency-Key", "has space"}}, by_amount("850")),
                   400,
                   "idempotency_key_required",
                   before);
    // 255 characters is the most, and allowed.
    EXPECT_EQ(post_buy({{"Idempotency-Key", std::string(255, 'k')}}, by_amount("850")).status, 201);
}

TEST_F(BuyGuards, AQuoteFixesThePriceAndIsUsedOnce) {
    const auto quoted = quote(token_, {{"side", "buy"}, {"amount_kes", "850"}});
    ASSERT_EQ(quoted.status, 201) << quoted.raw;
    const std::string quote_id = quoted.body.at("quote_id");
    app_.set_prices("9000", "8400");
    const auto placed =
        app_.buy(token_, {{"quote_id", quote_id}, {"phone_for_stk", kTestMsisdn}}, "quoted-1");
    ASSERT_EQ(placed.status, 201) << placed.raw;
    EXPECT_EQ(placed.body.at("price_per_gram"), "8500.00");
    EXPECT_EQ(placed.body.at("grams"), "0.100000");
    EXPECT_EQ(placed.body.at("amount_kes"), "850.00");
    EXPECT_EQ(placed.body.at("quote_id"), quote_id);
    EXPECT_EQ(
        app_.query("SELECT price_per_gram_cents FROM trades WHERE quote_id = '" + quote_id + "'"),
        "850000");

    const Stored before = stored();
    expect_refused(
        app_.buy(token_, {{"quote_id", quote_id}, {"phone_for_stk", kTestMsisdn}}, "quoted-2"),
        409,
        "quote_used",
        before);
}

TEST_F(BuyGuards, AnExpiredQuoteIsRefused) {
    const auto quoted = quote(token_, {{"side", "buy"}, {"grams", "0.1"}});
    ASSERT_EQ(quoted.status, 201) << quoted.raw;
    app_.app().clock().advance(std::chrono::seconds(60));  // GOLDWALLET_QUOTE_TTL_SECONDS default
    const Stored before = stored();
    expect_refused(
        app_.buy(
            token_, {{"quote_id", quoted.body.at("quote_id")}, {"phone_for_stk", kTestMsisdn}}, "old-1"),
        409,
        "price_expired",
        before);
}

TEST_F(BuyGuards, AQuoteForAnotherSideUserOrAmountIsRefused) {
    const auto sell = quote(token_, {{"side", "sell"}, {"grams", "0.1"}});
    ASSERT_EQ(sell.status, 201) << sell.raw;
    const auto bob = app_.user("bob");
    const auto bobs = quote(bob.at("access_token"), {{"side", "buy"}, {"amount_kes", "850"}});
    ASSERT_EQ(bobs.status, 201) << bobs.raw;
    const auto mine = quote(token_, {{"side", "buy"}, {"amount_kes", "850"}});
    ASSERT_EQ(mine.status, 201) << mine.raw;
    const Stored before = stored();

    expect_refused(
        app_.buy(
            token_, {{"quote_id", sell.body.at("quote_id")}, {"phone_for_stk", kTestMsisdn}}, "q-1"),
        400,
        "validation_failed",
        before);
    expect_refused(
        app_.buy(
            token_, {{"quote_id", bobs.body.at("quote_id")}, {"phone_for_stk", kTestMsisdn}}, "q-2"),
        404,
        "not_found",
        before);
    expect_refused(app_.buy(token_, {{"quote_id", "not-a-uuid"}, {"phone_for_stk", kTestMsisdn}}, "q-3"),
                   404,
                   "not_found",
                   before);
    expect_refused(app_.buy(token_,
                            {{"quote_id", mine.body.at("quote_id")},
                             {"amount_kes", "900"},
                             {"phone_for_stk", kTestMsisdn}},
                            "q-4"),
                   400,
                   "validation_failed",
                   before);
    expect_refused(
        app_.buy(
            token_,
            {{"quote_id", mine.body.at("quote_id")}, {"grams", "0.1"}, {"phone_for_stk", kTestMsisdn}},
            "q-5"),
        400,
        "validation_failed",
        before);
    // The same amount as the quote is allowed.
    EXPECT_EQ(app_.buy(token_,
                       {{"quote_id", mine.body.at("quote_id")},
                        {"amount_kes", "850"},
                        {"phone_for_stk", kTestMsisdn}},
                       "q-6")
                  .status,
              201);
}

struct BadBuy {
    const char* what;
    nlohmann::json body;
    int status;
    const char* code;
};

TEST_F(BuyGuards, MalformedOrdersAreRefusedWithAStableCode) {
    const std::vector<BadBuy> cases = {
        {"both amounts",
         {{"amount_kes", "850"}, {"grams", "0.1"}, {"phone_for_stk", kTestMsisdn}},
         400,
         "validation_failed"},
        {"neither amount nor quote", {{"phone_for_stk", kTestMsisdn}}, 400, "validation_failed"},
        {"cents",
         {{"amount_kes", "850.50"}, {"phone_for_stk", kTestMsisdn}},
         400,
         "not_whole_shillings"},
        {"negative", {{"amount_kes", "-850"}, {"phone_for_stk", kTestMsisdn}}, 400, "negative_amount"},
        {"zero", {{"amount_kes", "0"}, {"phone_for_stk", kTestMsisdn}}, 400, "zero_amount"},
        {"zero grams", {{"grams", "0"}, {"phone_for_stk", kTestMsisdn}}, 400, "zero_amount"},
        {"not a Kenyan mobile",
         {{"amount_kes", "850"}, {"phone_for_stk", "0812345678"}},
         400,
         "invalid_phone"},
        {"no phone", {{"amount_kes", "850"}}, 400, "validation_failed"},
        {"allow_partial not a boolean",
         {{"amount_kes", "850"}, {"phone_for_stk", kTestMsisdn}, {"allow_partial", "yes"}},
         400,
         "validation_failed"},
    };
    const Stored before = stored();
    int n = 0;
    for (const BadBuy& bad : cases) {
        SCOPED_TRACE(bad.what);
        expect_refused(
            app_.buy(token_, bad.body, "bad-" + std::to_string(++n)), bad.status, bad.code, before);
    }
}

TEST(BuyGuardsWithoutPrice, ABuyBeforeAnyPriceIsSetIsRefused) {
    TradeApp app;
    app.create_pool("Vault A", "10");
    const auto alice = app.user("alice");
    const auto refused =
        app.buy(alice.at("access_token"), {{"amount_kes", "850"}, {"phone_for_stk", kTestMsisdn}}, "k");
    EXPECT_EQ(refused.status, 503) << refused.raw;
    EXPECT_EQ(refused.body.value("code", ""), "price_not_set");
    EXPECT_EQ(app.query("SELECT count(*) FROM trades"), "0");
    EXPECT_EQ(app.query("SELECT count(*) FROM outbox"), "0");
}

TEST_F(BuyGuards, AnUnverifiedUserMayBuyAtMostKes5000ATrade) {
    const Stored before = stored();
    expect_refused(
        app_.buy(token_, by_amount("5001"), "big-1"), 422, "trade_limit_exceeded", before);
    EXPECT_EQ(app_.buy(token_, by_amount("5000"), "big-2").status, 201);
}

TEST_F(BuyGuards, AnUnverifiedUserMayBuyAtMostKes10000InADay) {
    ASSERT_EQ(app_.buy(token_, by_amount("4000"), "day-1").status, 201);
    ASSERT_EQ(app_.buy(token_, by_amount("4000"), "day-2").status, 201);
    const Stored before = stored();
    expect_refused(
        app_.buy(token_, by_amount("4000"), "day-3"), 422, "trade_limit_exceeded", before);
    expect_refused(
        app_.buy(token_, by_amount("2001"), "day-4"), 422, "trade_limit_exceeded", before);
    EXPECT_EQ(app_.buy(token_, by_amount("2000"), "day-5").status, 201)
        << "exactly KES 10,000 is allowed";
}

TEST_F(BuyGuards, AFailedBuyDoesNotCountTowardsTheDay) {
    ASSERT_TRUE(app_.simulator().set_stk_scenario(kTestMsisdn, sim::StkScenario::cancelled));
    const auto cancelled = app_.buy(token_, by_amount("5000"), "cancel-1");
    ASSERT_EQ(cancelled.status, 201) << cancelled.raw;
    app_.run_outbox();
    ASSERT_EQ(app_.wait_for_trade(token_, cancelled.body.at("trade_id"), "failed"), "failed");
    EXPECT_EQ(app_.buy(token_, by_amount("5000"), "after-1").status, 201);
    EXPECT_EQ(app_.buy(token_, by_amount("5000"), "after-2").status, 201);
    const Stored before = stored();
    expect_refused(
        app_.buy(token_, by_amount("1"), "after-3"), 422, "trade_limit_exceeded", before);
}

TEST_F(BuyGuards, AUserWhoseKycWasRejectedMayNotBuy) {
    const std::string user_id = alice_.at("user_id");
    ASSERT_EQ(app_.query("UPDATE users SET kyc_status = 'rejected' WHERE id = '" + user_id +
                         "' RETURNING id"),
              user_id);
    const Stored before = stored();
    expect_refused(app_.buy(token_, by_amount("850"), "kyc-1"), 403, "kyc_required", before);
}

TEST_F(BuyGuards, AnotherUsersTradeIsNotFound) {
    const auto placed = app_.buy(token_, by_amount("850"), "mine-1");
    ASSERT_EQ(placed.status, 201) << placed.raw;
    const std::string trade_id = placed.body.at("trade_id");
    const std::string bob = app_.user("bob").at("access_token");

    auto without_request_id = [](nlohmann::json body) {
        body.erase("request_id");
        return body;
    };
    const auto theirs = app_.trade(bob, trade_id);
    const auto nobodys = app_.trade(bob, "7d0e6c1e-7b7a-4c1e-9a55-2f5c9d8e1a11");
    EXPECT_EQ(theirs.status, 404);
    EXPECT_EQ(nobodys.status, 404);
    EXPECT_EQ(without_request_id(theirs.body), without_request_id(nobodys.body));
    EXPECT_EQ(theirs.body.value("code", ""), "not_found");
    EXPECT_EQ(theirs.raw.find(trade_id), std::string::npos);

    const auto bobs_list = request_json(app_.app(), "GET", "/user/trades", nullptr, bob);
    ASSERT_EQ(bobs_list.status, 200);
    EXPECT_TRUE(bobs_list.body.at("items").empty());
    const auto by_admin = app_.trade(app_.admin_token(), trade_id);
    EXPECT_EQ(by_admin.status, 200);
    EXPECT_EQ(by_admin.body.value("trade_id", ""), trade_id);
    EXPECT_EQ(app_.trade(token_, "not-a-uuid").status, 404);
}

TEST_F(BuyGuards, TradesArePagedNewestFirst) {
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        const auto placed = app_.buy(token_, by_amount("850"), "page-" + std::to_string(i));
        ASSERT_EQ(placed.status, 201) << placed.raw;
        ids.push_back(placed.body.at("trade_id"));
        app_.app().clock().advance(std::chrono::seconds(1));
    }
    const auto first = request_json(app_.app(), "GET", "/user/trades?limit=2", nullptr, token_);
    ASSERT_EQ(first.status, 200) << first.raw;
    ASSERT_EQ(first.body.at("items").size(), 2u);
    EXPECT_EQ(first.body.at("items")[0].at("trade_id"), ids[2]);
    EXPECT_EQ(first.body.at("items")[1].at("trade_id"), ids[1]);
    ASSERT_TRUE(first.body.at("next_before").is_string());

    const std::string before = first.body.at("next_before");
    const auto second =
        request_json(app_.app(), "GET", "/user/trades?limit=2&before=" + before, nullptr, token_);
    ASSERT_EQ(second.status, 200) << second.raw;
    ASSERT_EQ(second.body.at("items").size(), 1u);
    EXPECT_EQ(second.body.at("items")[0].at("trade_id"), ids[0]);
    EXPECT_TRUE(second.body.at("next_before").is_null());
}

}  // namespace
}  // namespace gw::test
