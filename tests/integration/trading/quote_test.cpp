// Proves quotes end to end over HTTP on the real database: POST /trade/quote prices each of the
// four cases (buy or sell, by KES or by grams) with the exact figures of docs/rounding.md at
// the price an admin set, stores exactly that row and locks it for the configured TTL; every
// refusal answers its exact code and stores no quote; and QuoteService::find_usable, which the
// buy and sell flows will call, serves a quote only to its owner, for its side, until it
// expires. The quotes table refuses UPDATE, DELETE, TRUNCATE and rows that break its CHECKs.

#include <chrono>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "core/time_text.hpp"
#include "core/uuid_text.hpp"
#include "identity/role.hpp"
#include "support/app_fixture.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test {
namespace {

using identity::TradeSide;
using nlohmann::json;

constexpr const char* kUnknownQuoteId = "00000000-0000-4000-8000-000000000000";

std::string quote_count(const RunningApp& app) {
    return app.query("SELECT count(*) FROM quotes");
}

// The stored row of quote `id` as JSON (null when there is none).
json stored_quote(const RunningApp& app, const std::string& id) {
    const std::string text = app.query(
        "SELECT json_build_object('user_id', user_id, 'side', side, 'basis', basis, "
        "'price_id', price_id, 'price_per_gram_cents', price_per_gram_cents, "
        "'grams_ug', grams_ug, 'amount_cents', amount_cents, "
        "'ttl_seconds', extract(epoch FROM expires_at - created_at)::int)::text "
        "FROM quotes WHERE id = '" +
        id + "'");
    return text.empty() ? json() : json::parse(text);
}

class Quotes : public ::testing::Test {
protected:
    // Sets the buy and sell prices as the admin; returns the price id.
    std::int64_t set_prices(const std::string& buy, const std::string& sell) {
        const auto set = request_json(app_,
                                      "POST",
                                      "/prices",
                                      {{"buy_price_per_gram", buy}, {"sell_price_per_gram", sell}},
                                      admin_);
        EXPECT_EQ(set.status, 201) << set.raw;
        return set.body.value("id", std::int64_t{0});
    }

    JsonResponse quote(const json& body, const std::string& bearer) {
        return request_json(app_, "POST", "/trade/quote", body, bearer);
    }

    // Asks for a quote as alice and expects 201 with exactly these figures; returns the body.
    json expect_quote(const json& body,
                      const std::string& side,
                      const std::string& price,
                      const std::string& grams,
                      const std::string& amount_kes) {
        const auto response = quote(body, alice_);
        EXPECT_EQ(response.status, 201) << body.dump() << ": " << response.raw;
        const json expected = {{"quote_id", response.body.value("quote_id", "")},
                               {"side", side},
                               {"price_per_gram", price},
                               {"grams", grams},
                               {"amount_kes", amount_kes},
                               {"created_at", format_rfc3339(app_.clock().now())},
                               {"expires_at", format_rfc3339(app_.clock().now() + kTtl)}};
        EXPECT_EQ(response.body, expected) << body.dump();
        EXPECT_TRUE(is_uuid(response.body.value("quote_id", ""))) << response.raw;
        return response.body;
    }

    void expect_error(const JsonResponse& response,
                      int status,
                      const std::string& code,
                      const std::string& what) {
        EXPECT_EQ(response.status, status) << what << ": " << response.raw;
        EXPECT_EQ(response.body.value("code", ""), code) << what << ": " << response.raw;
        EXPECT_EQ(header_of(response, "Content-Type"), "application/problem+json") << what;
    }

    static constexpr std::chrono::seconds kTtl{60};

    RunningApp app_;
    const std::string admin_ = staff_login(app_, "admin", identity::Role::admin).at("access_token");
    const json alice_login_ = register_and_login(app_, "alice");
    const std::string alice_ = alice_login_.at("access_token");
    const std::string alice_id_ = alice_login_.at("user_id");
};

TEST_F(Quotes, BuyByKesAmountCreditsTheGramsRoundedDownAndStoresTheQuote) {
    const std::int64_t price_id = set_prices("8500.00", "8200.00");
    const json body = expect_quote(
        {{"side", "buy"}, {"amount_kes", "1500"}}, "buy", "8500.00", "0.176470", "1500.00");
    EXPECT_EQ(stored_quote(app_, body.at("quote_id")),
              json({{"user_id", alice_id_},
                    {"side", "buy"},
                    {"basis", "amount"},
                    {"price_id", price_id},
                    {"price_per_gram_cents", 850'000},
                    {"grams_ug", 176'470},
                    {"amount_cents", 150'000},
                    {"ttl_seconds", 60}}));
    expect_quote({{"side", "buy"}, {"amount_kes", 8500}}, "buy", "8500.00", "1.000000", "8500.00");
    EXPECT_EQ(quote_count(app_), "2");
}

TEST_F(Quotes, BuyByGramsChargesRoundedUpToAWholeShilling) {
    set_prices("8500.00", "8200.00");
    const json body = expect_quote(
        {{"side", "buy"}, {"grams", "1.000001"}}, "buy", "8500.00", "1.000001", "8501.00");
    EXPECT_EQ(stored_quote(app_, body.at("quote_id")).at("basis"), "grams");
    EXPECT_EQ(stored_quote(app_, body.at("quote_id")).at("amount_cents"), 850'100);
    expect_quote({{"side", "buy"}, {"grams", "0.000001"}}, "buy", "8500.00", "0.000001", "1.00");
    expect_quote({{"side", "buy"}, {"grams", 0.5}}, "buy", "8500.00", "0.500000", "4250.00");
}

TEST_F(Quotes, SellByGramsPaysRoundedDownToAWholeShilling) {
    set_prices("8500.00", "8200.00");
    const json body = expect_quote({{"side", "sell"}, {"grams", "0.117647"}},
                                   "sell",
                                   "8200.00",
                                   "0.117647",
                                   "964.00");  // KES 964.7054 down to 964
    EXPECT_EQ(stored_quote(app_, body.at("quote_id")).at("price_per_gram_cents"), 820'000)
        << "a sell is priced at the sell price";
    expect_quote({{"side", "sell"}, {"grams", "1"}}, "sell", "8200.00", "1.000000", "8200.00");
}

TEST_F(Quotes, SellByKesAmountSellsTheFewestGramsThatPayAtLeastTheAmount) {
    set_prices("8500.00", "8200.00");
    const json body = expect_quote(
        {{"side", "sell"}, {"amount_kes", "1000.00"}}, "sell", "8200.00", "0.121952", "1000.00");
    EXPECT_EQ(stored_quote(app_, body.at("quote_id")).at("basis"), "amount");
    EXPECT_EQ(stored_quote(app_, body.at("quote_id")).at("grams_ug"), 121'952);

    set_prices("3000000.00", "3000000.00");  // one microgram is worth KES 3
    expect_quote({{"side", "sell"}, {"amount_kes", "1"}}, "sell", "3000000.00", "0.000001", "3.00");
}

TEST_F(Quotes, OneShillingAtAMillionPerGramIsOneMicrogramEitherWay) {
    set_prices("1000000.00", "1000000.00");
    expect_quote({{"side", "buy"}, {"amount_kes", "1"}}, "buy", "1000000.00", "0.000001", "1.00");
    expect_quote({{"side", "sell"}, {"amount_kes", "1"}}, "sell", "1000000.00", "0.000001", "1.00");
}

TEST_F(Quotes, WithoutAPriceNoQuoteIsGiven) {
    for (const json& body :
         {json{{"side", "buy"}, {"amount_kes", "1500"}}, json{{"side", "sell"}, {"grams", "1"}}}) {
        expect_error(quote(body, alice_), 503, "price_not_set", body.dump());
    }
    EXPECT_EQ(quote_count(app_), "0");
}

TEST_F(Quotes, EachBadRequestAnswersItsExactCodeAndStoresNothing) {
    set_prices("8500.00", "8200.00");
    struct Case {
        std::string what;
        json body;
        std::string code;
    };
    const std::vector<Case> cases = {
        {"both amounts",
         {{"side", "buy"}, {"amount_kes", "1500"}, {"grams", "1"}},
         "validation_failed"},
        {"neither amount", {{"side", "buy"}}, "validation_failed"},
        {"both null",
         {{"side", "buy"}, {"amount_kes", nullptr}, {"grams", nullptr}},
         "validation_failed"},
        {"unknown side", {{"side", "hold"}, {"amount_kes", "1500"}}, "validation_failed"},
        {"side in capitals", {{"side", "BUY"}, {"amount_kes", "1500"}}, "validation_failed"},
        {"no side", {{"amount_kes", "1500"}}, "validation_failed"},
        {"side not a string", {{"side", 1}, {"amount_kes", "1500"}}, "validation_failed"},
        {"negative KES", {{"side", "buy"}, {"amount_kes", "-1500"}}, "negative_amount"},
        {"negative grams", {{"side", "sell"}, {"grams", "-0.5"}}, "negative_amount"},
        {"3 decimals on KES", {{"side", "buy"}, {"amount_kes", "1500.001"}}, "too_many_decimals"},
        {"7 decimals on grams", {{"side", "buy"}, {"grams", "0.0000001"}}, "too_many_decimals"},
        {"exponent in a string",
         {{"side", "buy"}, {"amount_kes", "1.5e3"}},
         "invalid_number_format"},
        {"zero KES", {{"side", "buy"}, {"amount_kes", "0"}}, "zero_amount"},
        {"zero grams", {{"side", "sell"}, {"grams", "0.000000"}}, "zero_amount"},
        {"cents", {{"side", "buy"}, {"amount_kes", "1500.50"}}, "not_whole_shillings"},
        {"cents as a JSON number",
         {{"side", "sell"}, {"amount_kes", 1500.5}},
         "not_whole_shillings"},
        {"KES above the ceiling",
         {{"side", "buy"}, {"amount_kes", "1000000000.01"}},
         "amount_too_large"},
        {"KES far above the ceiling",
         {{"side", "buy"}, {"amount_kes", "1000000001"}},
         "amount_too_large"},
        {"grams above 100 t", {{"side", "buy"}, {"grams", "100000000.000001"}}, "amount_too_large"},
        {"a microgram sells for nothing", {{"side", "sell"}, {"grams", "0.000001"}}, "zero_amount"},
        {"amount not a string or number",
         {{"side", "buy"}, {"amount_kes", true}},
         "validation_failed"},
    };
    for (const Case& c : cases) {
        expect_error(quote(c.body, alice_), 400, c.code, c.what);
    }
    expect_error(post_raw(app_,
                          "/trade/quote",
                          R"({"side": "buy", "amount_kes": 1.5e3})",
                          "application/json",
                          alice_),
                 400,
                 "invalid_number_format",
                 "exponent in a JSON number");
    expect_error(post_raw(app_,
                          "/trade/quote",
                          R"({"side": "buy", "amount_kes": "1500")",
                          "application/json",
                          alice_),
                 400,
                 "malformed_json",
                 "truncated JSON");
    EXPECT_EQ(quote_count(app_), "0");

    const auto too_small = quote({{"side", "buy"}, {"amount_kes", "1"}}, alice_);
    EXPECT_EQ(too_small.status, 201) << "KES 1 buys 0.000117 g at KES 8,500/g: " << too_small.raw;
    set_prices("1000000.01", "1000000.00");
    const auto nothing = quote({{"side", "buy"}, {"amount_kes", "1"}}, alice_);
    expect_error(nothing, 400, "zero_amount", "KES 1 buys nothing at KES 1,000,000.01/g");
    EXPECT_EQ(nothing.body.value("detail", ""), "amount too small to buy any gold");
    EXPECT_EQ(quote_count(app_), "1");
}

// The route's ceilings (KES 1,000,000,000 and 100 t) are inclusive; one unit more is refused.
TEST_F(Quotes, TheCeilingsAreInclusive) {
    set_prices("8500.00", "8200.00");
    expect_quote({{"side", "buy"}, {"amount_kes", "1000000000"}},
                 "buy",
                 "8500.00",
                 "117647.058823",
                 "1000000000.00");
    expect_quote({{"side", "buy"}, {"grams", "100000000"}},
                 "buy",
                 "8500.00",
                 "100000000.000000",
                 "850000000000.00");
    expect_error(quote({{"side", "buy"}, {"amount_kes", "1000000001"}}, alice_),
                 400,
                 "amount_too_large",
                 "KES max + 1");
    expect_error(quote({{"side", "sell"}, {"grams", "100000000.000001"}}, alice_),
                 400,
                 "amount_too_large",
                 "grams max + 1 µg");
    EXPECT_EQ(quote_count(app_), "2");
}

TEST_F(Quotes, OnlyASignedInCallerGetsAQuoteAndAnyRoleMay) {
    set_prices("8500.00", "8200.00");
    const json body = {{"side", "buy"}, {"amount_kes", "1500"}};
    expect_error(quote(body, ""), 401, "unauthorized", "no token");
    expect_error(quote(body, "not-a-token"), 401, "unauthorized", "garbage token");
    EXPECT_EQ(quote_count(app_), "0");
    EXPECT_EQ(quote(body, admin_).status, 201) << "staff are signed in too";
    EXPECT_EQ(quote_count(app_), "1");
}

TEST_F(Quotes, AQuoteKeepsItsPriceWhenTheAdminChangesIt) {
    const std::int64_t first_price = set_prices("8500.00", "8200.00");
    const json first = expect_quote(
        {{"side", "buy"}, {"amount_kes", "1500"}}, "buy", "8500.00", "0.176470", "1500.00");
    const std::int64_t second_price = set_prices("9000.00", "8700.00");
    const auto kept = app_.application().quotes().find_usable(
        alice_id_, first.at("quote_id"), TradeSide::buy, app_.clock().now());
    ASSERT_TRUE(kept.has_value()) << kept.error().detail;
    EXPECT_EQ(kept->price_id, first_price);
    EXPECT_EQ(kept->price_per_gram, PricePerGram{850'000});
    EXPECT_EQ(kept->grams, Micrograms{176'470});
    const json second = expect_quote(
        {{"side", "buy"}, {"amount_kes", "1500"}}, "buy", "9000.00", "0.166666", "1500.00");
    EXPECT_EQ(stored_quote(app_, second.at("quote_id")).at("price_id"), second_price);
}

TEST_F(Quotes, FindUsableServesTheOwnerOnTheQuotesSideUntilItExpires) {
    set_prices("8500.00", "8200.00");
    const TimePoint created = app_.clock().now();
    const json body =
        expect_quote({{"side", "sell"}, {"grams", "1"}}, "sell", "8200.00", "1.000000", "8200.00");
    const std::string id = body.at("quote_id");
    trading::QuoteService& quotes = app_.application().quotes();

    const auto found = quotes.find_usable(alice_id_, id, TradeSide::sell, app_.clock().now());
    ASSERT_TRUE(found.has_value()) << found.error().detail;
    EXPECT_EQ(found->id, id);
    EXPECT_EQ(found->side, TradeSide::sell);
    EXPECT_EQ(found->basis, trading::QuoteBasisKind::grams);
    EXPECT_EQ(found->price_per_gram, PricePerGram{820'000});
    EXPECT_EQ(found->grams, Micrograms{1'000'000});
    EXPECT_EQ(found->amount, Cents{820'000});
    EXPECT_EQ(found->created_at, created);
    EXPECT_EQ(found->expires_at, created + kTtl);
    EXPECT_EQ(format_rfc3339(found->expires_at), body.at("expires_at"));

    const auto wrong_side = quotes.find_usable(alice_id_, id, TradeSide::buy, app_.clock().now());
    ASSERT_FALSE(wrong_side.has_value());
    EXPECT_EQ(wrong_side.error().code, ErrorCode::validation_failed);

    const auto last_moment = quotes.find_usable(
        alice_id_, id, TradeSide::sell, created + kTtl - std::chrono::microseconds(1));
    EXPECT_TRUE(last_moment.has_value()) << "usable until one microsecond before expires_at";

    app_.clock().advance(kTtl);
    const auto expired = quotes.find_usable(alice_id_, id, TradeSide::sell, app_.clock().now());
    ASSERT_FALSE(expired.has_value());
    EXPECT_EQ(expired.error().code, ErrorCode::price_expired);
    const auto expired_wrong_side =
        quotes.find_usable(alice_id_, id, TradeSide::buy, app_.clock().now());
    ASSERT_FALSE(expired_wrong_side.has_value());
    EXPECT_EQ(expired_wrong_side.error().code, ErrorCode::validation_failed)
        << "a field error comes before a domain rule (docs/errors.md precedence)";
}

TEST_F(Quotes, FindUsableNeverRevealsAnotherUsersQuote) {
    set_prices("8500.00", "8200.00");
    const std::string id =
        expect_quote(
            {{"side", "buy"}, {"amount_kes", "1500"}}, "buy", "8500.00", "0.176470", "1500.00")
            .at("quote_id");
    const std::string bob_id = register_and_login(app_, "bob").at("user_id");
    trading::QuoteService& quotes = app_.application().quotes();
    const TimePoint now = app_.clock().now();
    for (const auto& [what, user, quote_id] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"another user's quote", bob_id, id},
             {"an unknown id", alice_id_, kUnknownQuoteId},
             {"a malformed id", alice_id_, "not-a-uuid"},
             {"an id with SQL", alice_id_, id + "' OR true --"},
             {"an empty id", alice_id_, ""}}) {
        const auto found = quotes.find_usable(user, quote_id, TradeSide::buy, now);
        ASSERT_FALSE(found.has_value()) << what;
        EXPECT_EQ(found.error().code, ErrorCode::not_found) << what;
        EXPECT_EQ(found.error().detail, "no such quote") << what << ": the same answer for all";
    }
    const auto other_side_for_bob = quotes.find_usable(bob_id, id, TradeSide::sell, now);
    EXPECT_EQ(other_side_for_bob.error().code, ErrorCode::not_found)
        << "a wrong side must not reveal that the quote exists";
    app_.clock().advance(kTtl);
    EXPECT_EQ(quotes.find_usable(bob_id, id, TradeSide::buy, app_.clock().now()).error().code,
              ErrorCode::not_found)
        << "nor may expiry";
}

TEST(QuoteTtl, TheConfiguredTtlLocksThePrice) {
    RunningApp app([](app::Config& config) { config.quotes.quote_ttl = std::chrono::seconds(5); });
    const std::string admin = staff_login(app, "admin", identity::Role::admin).at("access_token");
    ASSERT_EQ(request_json(app,
                           "POST",
                           "/prices",
                           {{"buy_price_per_gram", "8500"}, {"sell_price_per_gram", "8200"}},
                           admin)
                  .status,
              201);
    const json carol = register_and_login(app, "carol");
    const std::string carol_id = carol.at("user_id");
    const TimePoint now = app.clock().now();
    const auto response = request_json(
        app, "POST", "/trade/quote", {{"side", "buy"}, {"grams", "1"}}, carol.at("access_token"));
    ASSERT_EQ(response.status, 201) << response.raw;
    EXPECT_EQ(response.body.at("expires_at"), format_rfc3339(now + std::chrono::seconds(5)));
    const std::string id = response.body.at("quote_id");
    trading::QuoteService& quotes = app.application().quotes();

    app.clock().advance(std::chrono::seconds(5) - std::chrono::microseconds(1));
    EXPECT_TRUE(quotes.find_usable(carol_id, id, TradeSide::buy, app.clock().now()).has_value());
    app.clock().advance(std::chrono::microseconds(1));
    const auto expired = quotes.find_usable(carol_id, id, TradeSide::buy, app.clock().now());
    ASSERT_FALSE(expired.has_value());
    EXPECT_EQ(expired.error().code, ErrorCode::price_expired);
}

TEST(QuoteTtl, ConfigAcceptsFiveToSixHundredSeconds) {
    EXPECT_EQ(app::load_config({})->quotes.quote_ttl, std::chrono::seconds(60)) << "default";
    for (const char* good : {"5", "60", "600"}) {
        const auto config = app::load_config({{"GOLDWALLET_QUOTE_TTL_SECONDS", good}});
        ASSERT_TRUE(config.has_value()) << good << ": " << config.error().detail;
        EXPECT_EQ(config->quotes.quote_ttl.count(), std::stoll(good));
    }
    for (const char* bad : {"4", "601", "0", "-60", "60s", "1e2"}) {
        const auto config = app::load_config({{"GOLDWALLET_QUOTE_TTL_SECONDS", bad}});
        ASSERT_FALSE(config.has_value()) << bad;
        EXPECT_EQ(config.error().code, ErrorCode::invalid_configuration) << bad;
        EXPECT_NE(config.error().detail.find("GOLDWALLET_QUOTE_TTL_SECONDS"), std::string::npos)
            << config.error().detail;
    }
}

TEST_F(Quotes, QuoteRowsAreAppendOnlyAndTheSchemaRefusesImpossibleQuotes) {
    const std::int64_t price_id = set_prices("8500.00", "8200.00");
    expect_quote(
        {{"side", "buy"}, {"amount_kes", "1500"}}, "buy", "8500.00", "0.176470", "1500.00");
    const std::string before = app_.query("SELECT row_to_json(q)::text FROM quotes q");
    pqxx::connection connection(app_.database());
    for (const char* sql : {"UPDATE quotes SET expires_at = expires_at + interval '1 hour'",
                            "UPDATE quotes SET amount_cents = 100",
                            "DELETE FROM quotes"}) {
        pqxx::work tx(connection);
        EXPECT_THROW(tx.exec(sql), pqxx::restrict_violation) << sql;
    }
    {
        pqxx::work tx(connection);
        EXPECT_THROW(tx.exec("TRUNCATE quotes"), pqxx::sql_error);
    }
    EXPECT_EQ(app_.query("SELECT row_to_json(q)::text FROM quotes q"), before);

    const std::string insert =
        "INSERT INTO quotes (user_id, side, basis, price_id, price_per_gram_cents, grams_ug, "
        "amount_cents, created_at, expires_at) VALUES ('" +
        alice_id_ + "', ";
    const std::string price = std::to_string(price_id);
    struct Bad {
        std::string what;
        std::string values;
    };
    const std::vector<Bad> bad = {
        {"cents",
         "'buy', 'amount', " + price +
             ", 850000, 176470, 150050, now(), now() + interval '1 minute'"},
        {"zero grams",
         "'buy', 'amount', " + price + ", 850000, 0, 100, now(), now() + interval '1 minute'"},
        {"zero amount",
         "'buy', 'amount', " + price + ", 850000, 1, 0, now(), now() + interval '1 minute'"},
        {"zero price",
         "'buy', 'amount', " + price + ", 0, 1, 100, now(), now() + interval '1 minute'"},
        {"unknown side",
         "'hold', 'amount', " + price + ", 850000, 1, 100, now(), now() + interval '1 minute'"},
        {"unknown basis",
         "'buy', 'kes', " + price + ", 850000, 1, 100, now(), now() + interval '1 minute'"},
        {"expires when created", "'buy', 'amount', " + price + ", 850000, 1, 100, now(), now()"},
    };
    for (const Bad& b : bad) {
        pqxx::work tx(connection);
        EXPECT_THROW(tx.exec(insert + b.values + ")"), pqxx::check_violation) << b.what;
    }
    {
        pqxx::work tx(connection);
        EXPECT_THROW(tx.exec(insert + "'buy', 'amount', " + std::to_string(price_id + 1) +
                             ", 850000, 1, 100, now(), now() + interval '1 minute')"),
                     pqxx::foreign_key_violation)
            << "a quote names a real price";
    }
    EXPECT_EQ(quote_count(app_), "1");
}

}  // namespace
}  // namespace gw::test
