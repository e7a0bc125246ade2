// Proves trade limits by KYC status: users read theirs, an admin changes them (audited with
// before and after, nothing changed on any refusal), and the audit log pages with a cursor and
// is append-only in the database itself (UPDATE, DELETE and TRUNCATE throw through pqxx).

#include <algorithm>
#include <set>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "support/app_fixture.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test {
namespace {

using nlohmann::json;

json limit_body(const std::string& per_trade, const std::string& per_day) {
    return {{"kyc_status", "pending"},
            {"side", "buy"},
            {"per_trade_kes", per_trade},
            {"per_day_kes", per_day},
            {"reason", "tighter limits while fraud is up"}};
}

std::string all_limits(const RunningApp& app) {
    return app.query(
        "SELECT string_agg(kyc_status || side || per_trade_cents || '/' || per_day_cents, "
        "',' ORDER BY kyc_status, side) FROM trade_limits");
}

TEST(Limits, APendingUserSeesThePendingLimits) {
    RunningApp app;
    const json user = register_and_login(app, "alice");
    const auto limits = request_json(app, "GET", "/user/limits", nullptr, user.at("access_token"));
    ASSERT_EQ(limits.status, 200) << limits.raw;
    EXPECT_EQ(limits.body.at("kyc_status"), "pending");
    for (const char* side : {"buy", "sell"}) {
        EXPECT_EQ(limits.body.at(side).at("per_trade_kes"), "5000.00") << side;
        EXPECT_EQ(limits.body.at(side).at("per_day_kes"), "10000.00") << side;
    }
    EXPECT_EQ(request_json(app, "GET", "/user/limits").status, 401);
}

TEST(Limits, AnAdminChangesALimitAndTheChangeIsAuditedWithBeforeAndAfter) {
    RunningApp app;
    const json user = register_and_login(app, "bob");
    const std::string admin = staff_login(app, "admin", identity::Role::admin).at("access_token");

    const auto updated =
        request_json(app, "PUT", "/admin/limits", limit_body("2000.00", "4000.00"), admin);
    ASSERT_EQ(updated.status, 200) << updated.raw;
    EXPECT_EQ(updated.body,
              json({{"kyc_status", "pending"},
                    {"side", "buy"},
                    {"per_trade_kes", "2000.00"},
                    {"per_day_kes", "4000.00"}}));

    const auto limits = request_json(app, "GET", "/user/limits", nullptr, user.at("access_token"));
    EXPECT_EQ(limits.body.at("buy").at("per_trade_kes"), "2000.00") << limits.raw;
    EXPECT_EQ(limits.body.at("buy").at("per_day_kes"), "4000.00") << limits.raw;
    EXPECT_EQ(limits.body.at("sell").at("per_trade_kes"), "5000.00")
        << "the other side is untouched";

    const auto listed = request_json(app, "GET", "/admin/limits", nullptr, admin);
    ASSERT_EQ(listed.status, 200) << listed.raw;
    EXPECT_EQ(listed.body.at("items").size(), 6u);

    const auto audit = request_json(app, "GET", "/admin/audit", nullptr, admin);
    ASSERT_EQ(audit.status, 200) << audit.raw;
    const json& entry = audit.body.at("items").at(0);
    EXPECT_EQ(entry.at("action"), "limits.update");
    EXPECT_EQ(entry.at("target_type"), "trade_limit");
    EXPECT_EQ(entry.at("target_id"), "pending:buy");
    EXPECT_EQ(entry.at("actor_role"), "admin");
    EXPECT_EQ(entry.at("reason"), "tighter limits while fraud is up");
    EXPECT_EQ(entry.at("before"),
              json({{"per_trade_kes", "5000.00"}, {"per_day_kes", "10000.00"}}));
    EXPECT_EQ(entry.at("after"), json({{"per_trade_kes", "2000.00"}, {"per_day_kes", "4000.00"}}));

    const auto equal =
        request_json(app, "PUT", "/admin/limits", limit_body("3000.00", "3000.00"), admin);
    EXPECT_EQ(equal.status, 200) << "a daily limit equal to the per-trade limit is fine: "
                                 << equal.raw;
}

TEST(Limits, InvalidLimitUpdatesAreRefusedWithTheirCodeAndChangeNothing) {
    RunningApp app;
    const std::string admin = staff_login(app, "admin", identity::Role::admin).at("access_token");
    const std::string limits_before = all_limits(app);
    const auto audit_before = row_count(app, "audit_log");

    json no_reason = limit_body("2000.00", "4000.00");
    no_reason.erase("reason");
    json bad_side = limit_body("2000.00", "4000.00");
    bad_side["side"] = "hold";
    json bad_status = limit_body("2000.00", "4000.00");
    bad_status["kyc_status"] = "gold";
    const std::vector<std::tuple<json, std::string, std::string>> cases = {
        {limit_body("2000.00", "1999.99"), "validation_failed", "per day below per trade"},
        {limit_body("2000.001", "4000.00"), "too_many_decimals", "3 decimals per trade"},
        {limit_body("2000.00", "4000.000"), "too_many_decimals", "3 decimals per day"},
        {limit_body("-1.00", "4000.00"), "negative_amount", "negative"},
        {limit_body("1e3", "4000.00"), "invalid_number_format", "exponent"},
        {limit_body("100000000.01", "100000000.01"), "amount_too_large", "above KES 100m"},
        {no_reason, "validation_failed", "no reason"},
        {bad_side, "validation_failed", "unknown side"},
        {bad_status, "validation_failed", "unknown kyc_status"},
    };
    for (const auto& [body, code, what] : cases) {
        const auto response = request_json(app, "PUT", "/admin/limits", body, admin);
        EXPECT_EQ(response.status, 400) << what << ": " << response.raw;
        EXPECT_EQ(response.body.value("code", ""), code) << what << ": " << response.raw;
    }
    EXPECT_EQ(all_limits(app), limits_before);
    EXPECT_EQ(row_count(app, "audit_log"), audit_before);

    const auto largest = request_json(
        app, "PUT", "/admin/limits", limit_body("100000000.00", "100000000.00"), admin);
    EXPECT_EQ(largest.status, 200) << "KES 100m is the largest limit: " << largest.raw;
}

TEST(Limits, ALimitCanBeSetBackToZero) {
    // The seeded limits of rejected users are zero (DESIGN §7, issue 4 item 6); an admin who
    // raises one must be able to restore it, and to freeze a side for a status.
    RunningApp app;
    const std::string admin = staff_login(app, "admin", identity::Role::admin).at("access_token");
    json body = limit_body("0.00", "0.00");
    body["kyc_status"] = "rejected";
    const auto zero = request_json(app, "PUT", "/admin/limits", body, admin);
    EXPECT_EQ(zero.status, 200) << zero.raw;
    const auto frozen =
        request_json(app, "PUT", "/admin/limits", limit_body("0.00", "0.00"), admin);
    EXPECT_EQ(frozen.status, 200) << frozen.raw;
    EXPECT_EQ(app.query("SELECT per_day_cents FROM trade_limits "
                        "WHERE kyc_status = 'pending' AND side = 'buy'"),
              "0");
}

TEST(Audit, PagesNewestFirstWithACursorAndNoDuplicates) {
    RunningApp app;
    const std::string admin = staff_login(app, "admin", identity::Role::admin).at("access_token");
    for (const std::string per_trade : {"1000.00", "2000.00", "3000.00"}) {
        ASSERT_EQ(request_json(app, "PUT", "/admin/limits", limit_body(per_trade, "9000.00"), admin)
                      .status,
                  200);
    }
    const auto total = row_count(app, "audit_log");  // user.create of the admin + 3 updates
    ASSERT_EQ(total, 4);

    std::vector<std::int64_t> ids;
    std::string path = "/admin/audit?limit=1";
    for (int page = 0; page < 10; ++page) {
        const auto response = request_json(app, "GET", path, nullptr, admin);
        ASSERT_EQ(response.status, 200) << response.raw;
        const json& items = response.body.at("items");
        ASSERT_LE(items.size(), 1u);
        for (const auto& item : items) {
            ids.push_back(item.at("id"));
        }
        if (response.body.at("next_before").is_null()) {
            break;
        }
        path = "/admin/audit?limit=1&before=" +
               std::to_string(response.body.at("next_before").get<std::int64_t>());
    }
    ASSERT_EQ(ids.size(), 4u);
    EXPECT_TRUE(std::is_sorted(ids.rbegin(), ids.rend())) << "newest first";
    EXPECT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()).size(), 4u) << "no duplicates";

    const auto first = request_json(app, "GET", "/admin/audit?limit=1", nullptr, admin);
    EXPECT_EQ(first.body.at("items").at(0).at("after").at("per_trade_kes"), "3000.00");
    for (const std::string query :
         {"limit=0", "limit=101", "before=abc", "before=0", "before=-5"}) {
        const auto bad = request_json(app, "GET", "/admin/audit?" + query, nullptr, admin);
        EXPECT_EQ(bad.status, 400) << query << ": " << bad.raw;
        EXPECT_EQ(bad.body.value("code", ""), "validation_failed") << query;
    }
}

TEST(Audit, RowsCannotBeUpdatedDeletedOrTruncated) {
    RunningApp app;
    staff_login(app, "admin", identity::Role::admin);  // writes user.create
    ASSERT_EQ(row_count(app, "audit_log"), 1);
    const std::string before = app.query("SELECT row_to_json(a)::text FROM audit_log a");

    pqxx::connection connection(app.database());
    for (const std::string sql : {"UPDATE audit_log SET action = 'nothing.happened'",
                                  "UPDATE audit_log SET reason = 'rewritten' WHERE id = 1",
                                  "DELETE FROM audit_log",
                                  "TRUNCATE audit_log"}) {
        pqxx::work tx(connection);
        EXPECT_THROW(tx.exec(sql), pqxx::sql_error) << sql;
    }
    EXPECT_EQ(row_count(app, "audit_log"), 1);
    EXPECT_EQ(app.query("SELECT row_to_json(a)::text FROM audit_log a"), before);

    pqxx::work insert(connection);
    EXPECT_NO_THROW(
        insert.exec("INSERT INTO audit_log (action, created_at) VALUES ('test.append', now())"));
    insert.commit();
    EXPECT_EQ(row_count(app, "audit_log"), 2) << "appending still works";
}

}  // namespace
}  // namespace gw::test
