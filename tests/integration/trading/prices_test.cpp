// Proves the price routes end to end: only an admin sets prices (buy never below sell, exact
// codes for bad amounts, nothing stored on a refusal), the current price and the paged history
// are public, every set is audited as price.set with the prices it replaced, the prices table is
// append-only in the database itself, and concurrent admins are serialised so each audit row's
// "before" is exactly the row it replaced.

#include <array>
#include <latch>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "core/time_text.hpp"
#include "identity/role.hpp"
#include "ledger/invariants.hpp"
#include "support/app_fixture.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test {
namespace {

using nlohmann::json;

json price_body(const json& buy, const json& sell) {
    return {{"buy_price_per_gram", buy}, {"sell_price_per_gram", sell}};
}

// Row counts of everything a price route may write, as one comparable line.
std::string stored_prices(const RunningApp& app) {
    return app.query(
        "SELECT format('prices=%s audit_log=%s', (SELECT count(*) FROM prices), "
        "(SELECT count(*) FROM audit_log))");
}

// Runs a query with several rows on the node's database.
pqxx::result rows_of(const RunningApp& app, const std::string& sql) {
    pqxx::connection connection(app.database());
    pqxx::nontransaction tx(connection);
    return tx.exec(sql);
}

json parsed_or_null(const pqxx::field& field) {
    return field.is_null() ? json() : json::parse(field.c_str());
}

class Prices : public ::testing::Test {
protected:
    void TearDown() override {
        pqxx::connection connection(app_.database());
        pqxx::work tx(connection);
        for (const auto& violation : ledger::check_invariants(tx)) {
            ADD_FAILURE() << violation.invariant << ": " << violation.detail;
        }
    }

    // Sets a price (201 expected) and returns the body.
    json set_price(const std::string& buy, const std::string& sell) {
        const auto set = request_json(app_, "POST", "/prices", price_body(buy, sell), admin_);
        EXPECT_EQ(set.status, 201) << set.raw;
        return set.body;
    }

    void expect_error(const JsonResponse& response, int status, const std::string& code,
                      const std::string& what) {
        EXPECT_EQ(response.status, status) << what << ": " << response.raw;
        EXPECT_EQ(response.body.value("code", ""), code) << what << ": " << response.raw;
    }

    RunningApp app_;
    const json admin_login_ = staff_login(app_, "admin", identity::Role::admin);
    const std::string admin_ = admin_login_.at("access_token");
};

TEST_F(Prices, TheCurrentPriceIsUnavailableBeforeTheFirstOneIsSet) {
    expect_error(request_json(app_, "GET", "/prices/current"), 503, "price_not_set", "current");
    const auto history = request_json(app_, "GET", "/prices/history");
    ASSERT_EQ(history.status, 200) << history.raw;
    EXPECT_EQ(history.body, json({{"items", json::array()}, {"next_before", nullptr}}));
}

TEST_F(Prices, AnAdminSetsPricesThatTakeEffectImmediatelyAndPublicly) {
    const auto set =
        request_json(app_, "POST", "/prices", price_body("8500.00", "8200.00"), admin_);
    ASSERT_EQ(set.status, 201) << set.raw;
    EXPECT_EQ(set.body.at("buy_price_per_gram"), "8500.00");
    EXPECT_EQ(set.body.at("sell_price_per_gram"), "8200.00");
    EXPECT_TRUE(set.body.at("id").is_number_integer()) << set.raw;
    EXPECT_FALSE(set.body.at("updated_at").get<std::string>().empty());

    const auto current = request_json(app_, "GET", "/prices/current");
    ASSERT_EQ(current.status, 200) << "public, no token: " << current.raw;
    EXPECT_EQ(current.body.at("id"), set.body.at("id"));
    EXPECT_EQ(current.body.at("buy_price_per_gram"), "8500.00");
    EXPECT_EQ(current.body.at("sell_price_per_gram"), "8200.00");
    EXPECT_EQ(parse_rfc3339(current.body.at("updated_at").get<std::string>()), app_.clock().now());

    EXPECT_EQ(app_.query("SELECT set_by FROM prices"), admin_login_.at("user_id"))
        << "the history keeps who set the price";

    app_.clock().advance(std::chrono::minutes(5));
    const json next = set_price("8600", "8300.5");
    EXPECT_EQ(next.at("buy_price_per_gram"), "8600.00");
    EXPECT_EQ(next.at("sell_price_per_gram"), "8300.50");
    const auto now_current = request_json(app_, "GET", "/prices/current");
    EXPECT_EQ(now_current.body.at("id"), next.at("id"));
    EXPECT_EQ(now_current.body.at("buy_price_per_gram"), "8600.00");
    EXPECT_EQ(parse_rfc3339(now_current.body.at("updated_at").get<std::string>()),
              app_.clock().now());
}

TEST_F(Prices, TheSetResponseAndTheCurrentPriceShowOneRowIdentically) {
    const json set = set_price("8500.00", "8200.00");
    const auto current = request_json(app_, "GET", "/prices/current");
    ASSERT_EQ(current.status, 200) << current.raw;
    EXPECT_EQ(current.body, set) << "one row must not have two timestamp texts";
}

TEST_F(Prices, EqualBuyAndSellPricesAreAccepted) {
    const json set = set_price("8400.00", "8400.00");
    EXPECT_EQ(set.at("buy_price_per_gram"), "8400.00");
    EXPECT_EQ(set.at("sell_price_per_gram"), "8400.00");
}

TEST_F(Prices, AnExactJsonNumberPriceIsAccepted) {
    const auto set = request_json(app_, "POST", "/prices", price_body(8500.25, 8200), admin_);
    ASSERT_EQ(set.status, 201) << set.raw;
    EXPECT_EQ(set.body.at("buy_price_per_gram"), "8500.25");
    EXPECT_EQ(set.body.at("sell_price_per_gram"), "8200.00");
}

TEST_F(Prices, EachInvalidPriceAnswersItsExactCodeAndStoresNothing) {
    set_price("8500.00", "8200.00");
    const std::string before = stored_prices(app_);
    struct Case {
        std::string what;
        json body;
        std::string code;
    };
    const std::vector<Case> cases = {
        {"buy below sell", price_body("8200.00", "8500.00"), "validation_failed"},
        {"buy one cent below sell", price_body("8499.99", "8500.00"), "validation_failed"},
        {"three decimals", price_body("8500.001", "8200.00"), "too_many_decimals"},
        {"three zero decimals", price_body("8500.00", "8200.000"), "too_many_decimals"},
        {"zero buy", price_body("0", "0"), "zero_amount"},
        {"zero sell", price_body("8500.00", "0.00"), "zero_amount"},
        {"negative sell", price_body("8500.00", "-1"), "negative_amount"},
        {"letters", price_body("abc", "8200.00"), "invalid_number_format"},
        {"above the cap", price_body("10000000.01", "8200.00"), "amount_too_large"},
        {"missing sell", {{"buy_price_per_gram", "8500.00"}}, "validation_failed"},
        {"missing buy", {{"sell_price_per_gram", "8200.00"}}, "validation_failed"},
        {"buy not a string or number", price_body(true, "8200.00"), "validation_failed"},
    };
    for (const Case& c : cases) {
        expect_error(request_json(app_, "POST", "/prices", c.body, admin_), 400, c.code, c.what);
    }
    expect_error(post_raw(app_, "/prices",
                          R"({"buy_price_per_gram": 8.5e3, "sell_price_per_gram": "8200.00"})",
                          "application/json", admin_),
                 400, "invalid_number_format", "exponent");
    EXPECT_EQ(stored_prices(app_), before);
    EXPECT_EQ(request_json(app_, "GET", "/prices/current").body.at("buy_price_per_gram"),
              "8500.00");
}

TEST_F(Prices, OnlyAnAdminMaySetPrices) {
    const std::string user = register_and_login(app_, "alice").at("access_token");
    const std::string treasury =
        staff_login(app_, "treasurer", identity::Role::treasury).at("access_token");
    const std::string before = stored_prices(app_);
    const json body = price_body("8500.00", "8200.00");
    expect_error(request_json(app_, "POST", "/prices", body, user), 403, "forbidden", "user");
    expect_error(request_json(app_, "POST", "/prices", body, treasury), 403, "forbidden",
                 "treasury");
    expect_error(request_json(app_, "POST", "/prices", body), 401, "unauthorized", "no token");
    EXPECT_EQ(stored_prices(app_), before);
    expect_error(request_json(app_, "GET", "/prices/current"), 503, "price_not_set", "current");
}

TEST_F(Prices, TheHistoryIsPublicNewestFirstAndPagesWithoutDuplicates) {
    std::vector<std::int64_t> ids;
    for (int i = 1; i <= 7; ++i) {
        app_.clock().advance(std::chrono::seconds(30));
        ids.push_back(set_price(std::to_string(8500 + i) + ".00", "8200.00").at("id"));
    }

    const auto all = request_json(app_, "GET", "/prices/history");
    ASSERT_EQ(all.status, 200) << all.raw;
    ASSERT_EQ(all.body.at("items").size(), 7u);
    EXPECT_EQ(all.body.at("items").at(0).at("buy_price_per_gram"), "8507.00") << "newest first";
    EXPECT_TRUE(all.body.at("next_before").is_null()) << all.raw;

    std::vector<std::int64_t> paged;
    std::vector<std::size_t> page_sizes;
    std::string path = "/prices/history?limit=3";
    for (int page = 0; page < 10; ++page) {
        const auto response = request_json(app_, "GET", path);
        ASSERT_EQ(response.status, 200) << path << ": " << response.raw;
        page_sizes.push_back(response.body.at("items").size());
        for (const json& item : response.body.at("items")) {
            paged.push_back(item.at("id"));
        }
        const json& next = response.body.at("next_before");
        if (next.is_null()) {
            break;
        }
        path = "/prices/history?limit=3&before=" + std::to_string(next.get<std::int64_t>());
    }
    EXPECT_EQ(page_sizes, (std::vector<std::size_t>{3, 3, 1}));
    const std::vector<std::int64_t> newest_first(ids.rbegin(), ids.rend());
    EXPECT_EQ(paged, newest_first);
    EXPECT_EQ(std::set<std::int64_t>(paged.begin(), paged.end()).size(), paged.size())
        << "no duplicates";

    for (const char* bad : {"limit=0", "limit=501", "limit=x", "before=abc", "before=0"}) {
        expect_error(request_json(app_, "GET", std::string("/prices/history?") + bad), 400,
                     "validation_failed", bad);
    }
}

TEST_F(Prices, EverySetIsAuditedWithThePricesItReplaced) {
    const json first = set_price("8500.00", "8200.00");
    const json second = set_price("8600.00", "8250.00");
    const pqxx::result audits = rows_of(
        app_,
        "SELECT actor_id, actor_role, target_type, target_id, before::text, after::text "
        "FROM audit_log WHERE action = 'price.set' ORDER BY id");
    ASSERT_EQ(audits.size(), 2u);
    const std::array<json, 2> sets = {first, second};
    for (std::size_t i = 0; i < 2; ++i) {
        const pqxx::row row = audits[static_cast<pqxx::result::size_type>(i)];
        EXPECT_EQ(row[0].as<std::string>(), admin_login_.at("user_id"));
        EXPECT_EQ(row[1].as<std::string>(), "admin");
        EXPECT_EQ(row[2].as<std::string>(), "price");
        EXPECT_EQ(row[3].as<std::string>(), std::to_string(sets[i].at("id").get<std::int64_t>()));
        EXPECT_EQ(parsed_or_null(row[5]),
                  json({{"buy_price_per_gram", sets[i].at("buy_price_per_gram")},
                        {"sell_price_per_gram", sets[i].at("sell_price_per_gram")}}));
    }
    EXPECT_TRUE(parsed_or_null(audits[0][4]).is_null()) << "nothing before the first price";
    EXPECT_EQ(parsed_or_null(audits[1][4]),
              json({{"buy_price_per_gram", "8500.00"}, {"sell_price_per_gram", "8200.00"}}));
}

TEST_F(Prices, PriceRowsCannotBeUpdatedOrDeleted) {
    set_price("8500.00", "8200.00");
    const std::string before = app_.query("SELECT row_to_json(p)::text FROM prices p");
    pqxx::connection connection(app_.database());
    for (const char* sql : {"UPDATE prices SET buy_cents_per_gram = buy_cents_per_gram + 1",
                            "UPDATE prices SET set_by = NULL", "DELETE FROM prices"}) {
        pqxx::work tx(connection);
        EXPECT_THROW(tx.exec(sql), pqxx::restrict_violation) << sql;
    }
    EXPECT_EQ(app_.query("SELECT row_to_json(p)::text FROM prices p"), before);
}

TEST_F(Prices, PriceHistoryCannotBeTruncated) {
    set_price("8500.00", "8200.00");
    pqxx::connection connection(app_.database());
    {
        pqxx::work tx(connection);
        EXPECT_THROW(tx.exec("TRUNCATE prices"), pqxx::sql_error)
            << "audit_log and transfers refuse TRUNCATE; the price history should too";
    }
    EXPECT_EQ(app_.query("SELECT count(*) FROM prices"), "1");
}

TEST_F(Prices, ConcurrentSetsAreSerialisedAndEachAuditNamesThePriceItReplaced) {
    constexpr int kThreads = 8;
    std::array<int, kThreads> statuses{};
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            const json body = price_body(std::to_string(9000 + i) + ".00",
                                         std::to_string(8000 + i) + ".00");
            statuses[static_cast<std::size_t>(i)] =
                request_json(app_, "POST", "/prices", body, admin_).status;
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    for (int status : statuses) {
        EXPECT_EQ(status, 201);
    }
    EXPECT_EQ(app_.query("SELECT count(*) FROM prices"), "8");
    EXPECT_EQ(app_.query("SELECT count(*) FROM audit_log WHERE action = 'price.set'"), "8");

    const pqxx::result rows = rows_of(
        app_,
        "SELECT p.buy_cents_per_gram, p.sell_cents_per_gram, a.before::text, a.after::text "
        "FROM prices p JOIN audit_log a ON a.action = 'price.set' AND a.target_id = p.id::text "
        "ORDER BY p.id");
    ASSERT_EQ(rows.size(), 8u);
    json previous;  // null before the first price
    std::set<std::int64_t> buys;
    for (const auto& row : rows) {
        const auto buy = row[0].as<std::int64_t>();
        const auto sell = row[1].as<std::int64_t>();
        buys.insert(buy);
        const json prices = {{"buy_price_per_gram", std::to_string(buy / 100) + ".00"},
                             {"sell_price_per_gram", std::to_string(sell / 100) + ".00"}};
        EXPECT_EQ(parsed_or_null(row[2]), previous) << "price " << buy;
        EXPECT_EQ(parsed_or_null(row[3]), prices) << "price " << buy;
        previous = prices;
    }
    EXPECT_EQ(buys.size(), 8u) << "every thread's price is stored once";
    const auto current = request_json(app_, "GET", "/prices/current");
    EXPECT_EQ(json({{"buy_price_per_gram", current.body.at("buy_price_per_gram")},
                    {"sell_price_per_gram", current.body.at("sell_price_per_gram")}}),
              previous)
        << "the current price is the last row";
}

}  // namespace
}  // namespace gw::test
