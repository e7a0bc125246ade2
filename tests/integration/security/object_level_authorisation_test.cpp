// OWASP API1 (broken object-level authorisation) and API5 (broken function-level
// authorisation). Proves, on the shared world (two customers with trades, a payout,
// notifications, quotes and KYC documents, staff of every role, a reconciliation run):
// - the route table is exactly the expected one, and the routes open to anyone are exactly an
//   explicit allow-list, so a new unauthenticated route fails this suite;
// - every route that needs a session answers 401 problem+json without one, and every
//   role-restricted route answers 403 to every role it does not list, changing nothing;
// - bob, holding each of alice's ids (trades, notification, quotes, Idempotency-Key), gets 404
//   and sees none of her data; staff reach only what their role allows; nothing changes in the
//   database (table by table fingerprint) on any refusal.

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "security_support.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test::security {
namespace {

using http::Access;
using identity::Role;
using nlohmann::json;

// Every route anyone may call, without a session. Adding one is a security decision: add it
// here with the reason.
const std::set<std::string>& open_routes() {
    static const std::set<std::string> routes = {
        "GET /healthz",
        "GET /readyz",
        "GET /metrics",       // Prometheus scrapes without credentials
        "GET /openapi.json",  // the public description of this API
        "POST /auth/register",
        "POST /auth/login",
        "POST /auth/refresh",
        "GET /prices/current",
        "GET /prices/history",
        // M-Pesa callbacks: Daraja cannot authenticate; the URL token and the body are checked.
        "POST /hooks/lnm/{token}",
        "POST /webhooks/mpesa/stk/{token}",
        "POST /hooks/payout/result/{token}",
        "POST /webhooks/mpesa/b2c/result/{token}",
        "POST /hooks/payout/timeout/{token}",
        "POST /webhooks/mpesa/b2c/timeout/{token}",
        "POST /hooks/payout/status/{token}",
        "POST /webhooks/mpesa/status/result/{token}",
        "POST /hooks/payout/status-timeout/{token}",
        "POST /webhooks/mpesa/status/timeout/{token}",
        "POST /webhooks/mpesa/stk"};
    return routes;
}

// The routes walked: the live table when the node exposes it, else the expected one.
std::vector<RouteSpec> walked_routes(SecurityWorld& world) {
    return live_routes(world.app().application()).value_or(expected_routes());
}

// A body the route would accept from the right caller, so that a missing check would show as
// a change in the database rather than as a validation error.
json sample_json(const std::string& pattern, const SecurityWorld& w) {
    const std::map<std::string, json> bodies = {
        {"/auth/password",
         {{"current_password", "correct horse battery staple"},
          {"new_password", "walked passphrase 99"}}},
        {"/admin/kyc/{user_id}/decision", {{"status", "verified"}}},
        {"/admin/limits",
         {{"kyc_status", "pending"},
          {"side", "buy"},
          {"per_trade_kes", "999999.00"},
          {"per_day_kes", "999999.00"},
          {"reason", "walk"}}},
        {"/pools", {{"name", "Walk pool"}, {"total_grams", "1"}, {"purity", "999.9"}}},
        {"/pools/{id}/topup", {{"added_grams", "1"}}},
        {"/pools/{id}", {{"name", "Renamed by the walk"}}},
        {"/pools/{id}/retire", {{"reason", "walk"}}},
        {"/prices", {{"buy_price_per_gram", "1.00"}, {"sell_price_per_gram", "1.00"}}},
        {"/trade/sell", {{"grams", "0.01"}, {"payout_phone", w.alice.msisdn}}},
        {"/trade/buy", {{"amount_kes", "100"}, {"phone_for_stk", w.alice.msisdn}}},
        {"/trade/quote", {{"side", "buy"}, {"amount_kes", "100"}}},
        {"/admin/payouts/{id}/complete", {{"mpesa_transaction_id", "QWE123RTY4"}}},
        {"/admin/payouts/{id}/fail", {{"reason", "walk"}}},
        {"/admin/adjustments",
         {{"user_id", w.bob.id}, {"grams", "5"}, {"direction", "credit"}, {"reason", "walk"}}},
        {"/admin/reconciliation/{run_id}/items/{item_id}/resolve", {{"note", "walk"}}},
    };
    const auto found = bodies.find(pattern);
    return found == bodies.end() ? json::object() : found->second;
}

Call sample_call(const RouteSpec& route, const SecurityWorld& world) {
    const std::string path = alice_path(route.pattern, world);
    Call call{route.method, path, "", "", {{"Idempotency-Key", "walk-key"}}};
    switch (route.body) {
        case BodyShape::none:
            break;
        case BodyShape::json:
            call.body = sample_json(route.pattern, world).dump();
            call.content_type = "application/json";
            break;
        case BodyShape::multipart:
            call = kyc_upload_call("id_front", png_bytes(), "walk.png");
            break;
        case BodyShape::csv:
            call.body = "Receipt No.,Completion Time\nQWE123RTY4,2026-11-18 14:06:40\n";
            call.content_type = "text/csv";
            break;
    }
    return call;
}

std::set<std::string> names_of(const std::vector<RouteSpec>& routes) {
    std::set<std::string> names;
    for (const RouteSpec& route : routes) {
        names.insert(describe(route));
    }
    return names;
}

TEST(RouteTable, IsExactlyTheExpectedOne) {
    SecurityWorld& world = shared_world();
    const auto live = live_routes(world.app().application());
    if (!live) {
        GTEST_SKIP() << "app::Application has no router() yet: the suite walks its own table";
    }
    const std::set<std::string> expected = names_of(expected_routes());
    const std::set<std::string> actual = names_of(*live);
    for (const std::string& route : actual) {
        EXPECT_TRUE(expected.contains(route)) << "a route this suite does not know: " << route;
    }
    for (const std::string& route : expected) {
        EXPECT_TRUE(actual.contains(route)) << "an expected route is gone or changed: " << route;
    }
}

TEST(RouteTable, OnlyTheAllowListedRoutesAreOpenToAnyone) {
    std::set<std::string> open;
    for (const RouteSpec& route : walked_routes(shared_world())) {
        if (route.access == Access::Kind::anyone) {
            open.insert(route.method + " " + route.pattern);
        }
        if (route.access == Access::Kind::roles) {
            EXPECT_FALSE(route.roles.empty()) << describe(route) << " lets no role in";
            EXPECT_EQ(std::count(route.roles.begin(), route.roles.end(), Role::user), 0)
                << describe(route) << " is a staff route open to customers";
        }
    }
    EXPECT_EQ(open, open_routes());
}

TEST(RouteWalk, EveryRouteThatNeedsASessionIs401WithoutOneAndChangesNothing) {
    SecurityWorld& world = shared_world();
    const std::string before = fingerprint(world.app());
    int walked = 0;
    for (const RouteSpec& route : walked_routes(world)) {
        if (route.access == Access::Kind::anyone) {
            continue;
        }
        ++walked;
        Call call = sample_call(route, world);
        const auto bare = send(world.app(), call);
        expect_problem(bare, 401, "unauthorized", describe(route) + " without a token");
        EXPECT_EQ(header_of(bare, "WWW-Authenticate"), "Bearer") << describe(route);
        call.headers.emplace("Authorization", "Bearer not.a.token");
        expect_problem(
            send(world.app(), call), 401, "unauthorized", describe(route) + " with garbage");
        call.method = "HEAD";
        if (route.method == "GET") {
            EXPECT_EQ(send(world.app(), call).status, 401) << "HEAD " << route.pattern;
        }
    }
    EXPECT_GE(walked, 40) << "the walk reached the protected routes";
    EXPECT_EQ(fingerprint(world.app()), before);
}

TEST(RouteWalk, EveryRoleRouteRefusesEveryRoleItDoesNotListWith403AndChangesNothing) {
    SecurityWorld& world = shared_world();
    const std::vector<std::pair<Role, std::string>> callers = {{Role::user, world.bob.token},
                                                               {Role::kyc_reviewer, world.reviewer},
                                                               {Role::treasury, world.treasury},
                                                               {Role::admin, world.admin}};
    const std::string before = fingerprint(world.app());
    int refused = 0;
    for (const RouteSpec& route : walked_routes(world)) {
        for (const auto& [role, token] : callers) {
            if (admits(route, role)) {
                continue;
            }
            ++refused;
            const std::string what =
                describe(route) + " as " + std::string(identity::to_string(role));
            const auto answer = send(world.app(), sample_call(route, world), token);
            expect_problem(answer, 403, "forbidden", what);
            EXPECT_EQ(header_of(answer, "WWW-Authenticate"), "") << what;
        }
    }
    EXPECT_GE(refused, 50) << "every staff route was tried with a customer's token at least";
    EXPECT_EQ(fingerprint(world.app()), before);
}

// The positive side, so that the refusals above are not vacuous: the ids are real and each
// role reads every GET route it is listed on.
TEST(RouteWalk, EachStaffRoleReadsEveryGetRouteItIsListedOn) {
    SecurityWorld& world = shared_world();
    const std::vector<std::pair<Role, std::string>> staff = {{Role::kyc_reviewer, world.reviewer},
                                                             {Role::treasury, world.treasury},
                                                             {Role::admin, world.admin}};
    for (const RouteSpec& route : walked_routes(world)) {
        if (route.method != "GET" || route.access != Access::Kind::roles) {
            continue;
        }
        for (const auto& [role, token] : staff) {
            if (admits(route, role)) {
                const auto answer = send(world.app(), sample_call(route, world), token);
                EXPECT_EQ(answer.status, 200)
                    << describe(route) << " as " << identity::to_string(role) << ": " << answer.raw;
            }
        }
    }
}

// Fails unless `answer` is a 404 that holds none of alice's identifiers.
void expect_hidden(const JsonResponse& answer,
                   const SecurityWorld& world,
                   const std::string& what) {
    expect_problem(answer, 404, "not_found", what);
    for (const std::string& secret : {world.alice.id,
                                      world.alice.username,
                                      world.alice.buy_trade,
                                      world.alice.sell_trade,
                                      world.alice.notification,
                                      world.alice.payout}) {
        EXPECT_EQ(answer.raw.find(secret), std::string::npos) << what << " shows " << secret;
    }
    EXPECT_EQ(header_of(answer, "Idempotent-Replayed"), "") << what;
}

TEST(ObjectLevel, BobHoldingAlicesIdsGets404AndChangesNothing) {
    SecurityWorld& world = shared_world();
    const Customer& alice = world.alice;
    const std::string bob = world.bob.token;
    const std::string before = fingerprint(world.app());
    for (const std::string& trade : {alice.buy_trade, alice.sell_trade}) {
        expect_hidden(request_json(world.app(), "GET", "/trade/" + trade, nullptr, bob),
                      world,
                      "GET her trade");
    }
    expect_hidden(request_json(world.app(),
                               "POST",
                               "/user/notifications/" + alice.notification + "/read",
                               nullptr,
                               bob),
                  world,
                  "mark her notification read");
    for (const std::string& quote : {alice.used_quote, alice.fresh_quote}) {
        expect_hidden(
            world.trade.buy(
                bob, {{"quote_id", quote}, {"phone_for_stk", world.bob.msisdn}}, "bob-q-" + quote),
            world,
            "buy on her quote " + quote);
    }
    expect_hidden(
        world.trade.sell(
            bob, {{"quote_id", alice.sell_quote}, {"payout_phone", world.bob.msisdn}}, "bob-sq"),
        world,
        "sell on her quote");
    // Her own Idempotency-Key with her own body: replaying her trade to bob would show it.
    expect_hidden(world.trade.buy(bob, json::parse(alice.buy_body), alice.buy_key),
                  world,
                  "her key and body");
    EXPECT_EQ(fingerprint(world.app()), before);
    EXPECT_EQ(world.app().query("SELECT read_at IS NULL FROM notifications WHERE id = '" +
                                alice.notification + "'"),
              "t")
        << "her notification stays unread";
}

// Cursors carry a time and an id; one made from alice's objects pages through bob's own.
TEST(ObjectLevel, CursorsMadeFromAlicesObjectsOnlyPageThroughBobsOwn) {
    SecurityWorld& world = shared_world();
    // Her newest trade's cursor, from her own first page of one.
    const auto hers =
        request_json(world.app(), "GET", "/user/trades?limit=1", nullptr, world.alice.token);
    ASSERT_TRUE(hers.body.at("next_before").is_string()) << hers.raw;
    const std::string cursor = url_encode(hers.body.at("next_before").get<std::string>());
    for (const char* path :
         {"/user/trades?before=", "/user/notifications?before=", "/user/ledger?before="}) {
        const auto page = request_json(world.app(), "GET", path + cursor, nullptr, world.bob.token);
        EXPECT_TRUE(page.status == 200 || page.status == 400) << path << ": " << page.raw;
        for (const std::string& secret :
             {world.alice.buy_trade, world.alice.sell_trade, world.alice.notification}) {
            EXPECT_EQ(page.raw.find(secret), std::string::npos) << path << " shows " << secret;
        }
    }
}

TEST(ObjectLevel, AReviewerCannotPairOneUsersIdWithAnotherUsersDocument) {
    SecurityWorld& world = shared_world();
    const auto audit_before = row_count(world.app(), "audit_log");
    for (const auto& [doc_type, document] : world.alice.documents) {
        for (const std::string& token : {world.reviewer, world.admin}) {
            const auto answer =
                request_json(world.app(),
                             "GET",
                             "/admin/kyc/" + world.bob.id + "/documents/" + document,
                             nullptr,
                             token);
            expect_problem(answer, 404, "not_found", "bob's id with alice's " + doc_type);
            EXPECT_EQ(answer.raw.find("PNG"), std::string::npos);
        }
    }
    EXPECT_EQ(row_count(world.app(), "audit_log"), audit_before) << "no document view is logged";
}

TEST(ObjectLevel, OnlyMoneyStaffSeeACustomersTradeAndAReviewerIsNotMoneyStaff) {
    SecurityWorld& world = shared_world();
    const std::string path = "/trade/" + world.alice.buy_trade;
    expect_hidden(
        request_json(world.app(), "GET", path, nullptr, world.reviewer), world, "reviewer");
    for (const std::string& token : {world.treasury, world.admin, world.alice.token}) {
        const auto answer = request_json(world.app(), "GET", path, nullptr, token);
        EXPECT_EQ(answer.status, 200) << answer.raw;
        EXPECT_EQ(answer.body.value("trade_id", ""), world.alice.buy_trade);
    }
}

TEST(ObjectLevel, StaffActionsNeedTheExactObjectTheyName) {
    SecurityWorld& world = shared_world();
    ASSERT_FALSE(world.item.empty()) << "today's run found something to resolve";
    const std::string before = fingerprint(world.app());
    const std::string unknown = "00000000-0000-4000-8000-000000000000";
    const std::vector<std::pair<std::string, json>> calls = {
        {"/admin/payouts/" + world.alice.buy_trade + "/complete",
         {{"mpesa_transaction_id", "QWE123RTY5"}}},
        {"/admin/payouts/" + world.alice.sell_trade + "/fail",
         {{"reason", "a trade id is not a payout id"}}},
        {"/admin/payouts/" + unknown + "/complete", {{"mpesa_transaction_id", "QWE123RTY6"}}},
        {"/admin/reconciliation/" + unknown + "/items/" + world.item + "/resolve",
         {{"note", "an unknown run"}}},
        {"/admin/reconciliation/" + world.other_run + "/items/" + world.item + "/resolve",
         {{"note", "another run's item"}}},
        {"/admin/kyc/" + unknown + "/decision", {{"status", "verified"}}},
        {"/pools/" + unknown + "/topup", {{"added_grams", "1"}}},
    };
    for (const auto& [path, body] : calls) {
        expect_problem(
            request_json(world.app(), "POST", path, body, world.admin), 404, "not_found", path);
    }
    EXPECT_EQ(fingerprint(world.app()), before);
}

TEST(FunctionLevel, MethodOverrideHeadersAreIgnored) {
    SecurityWorld& world = shared_world();
    Call call{"POST",
              "/user/me",
              "",
              "",
              {{"X-HTTP-Method-Override", "DELETE"}, {"X-Method-Override", "DELETE"}}};
    expect_problem(
        send(world.app(), call, world.bob.token), 405, "method_not_allowed", "POST /user/me");
    call = Call{"GET",
                "/admin/audit",
                "",
                "",
                {{"X-Original-URL", "/user/me"}, {"X-Rewrite-URL", "/user/me"}}};
    expect_problem(send(world.app(), call, world.bob.token), 403, "forbidden", "rewrite headers");
    EXPECT_EQ(
        world.app().query("SELECT closed_at IS NULL FROM users WHERE id = '" + world.bob.id + "'"),
        "t");
}

// Spellings of an admin path: each is either not a route (404) or the admin route itself
// (403); a customer never gets a 200.
TEST(FunctionLevel, SpellingsOfAnAdminPathNeverLetACustomerIn) {
    SecurityWorld& world = shared_world();
    for (const char* target : {"/user/../admin/audit",
                               "/user/me/../../admin/audit",
                               "/admin/audit/",
                               "/ADMIN/AUDIT",
                               "/admin//audit",
                               "/admin/audit;.js",
                               "/admin/audit%2F",
                               "/admin/%61udit",
                               "/admin/audit%00",
                               "/admin/audit?x=/user/me",
                               "/./admin/audit",
                               "/admin/./audit",
                               "//admin/audit"}) {
        const auto answer = send_raw(world.app(), raw_get(target, world.bob.token));
        EXPECT_TRUE(answer.status == 404 || answer.status == 403 || answer.status == 400)
            << target << ": " << answer.status << " " << answer.raw;
        EXPECT_EQ(answer.raw.find("\"items\""), std::string::npos) << target;
    }
}

}  // namespace
}  // namespace gw::test::security
