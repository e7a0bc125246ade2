// OWASP API4/API8 at the body parser: oversized, deeply nested, mistyped and malformed request
// bodies. Proves on a node of its own: a body of exactly the 1 MiB limit is read and one byte
// more is 413 with nothing stored; every JSON route of the route table answers JSON nested one
// level past the limit of 32 with 400 json_too_deep (also 100 000 levels deep), and a body at
// the limit is parsed; every JSON route refuses other media types with 415 (and the CSV and
// multipart routes refuse JSON); malformed JSON (invalid UTF-8, lone surrogates, non-objects,
// trailing data, comments, NaN) is 400 malformed_json; huge, exponent and inexact numbers get
// their own codes; duplicate keys resolve one way only (what is answered is what is stored);
// oversized headers are a 431 problem. Nothing refused changes the database.

#include <memory>

#include <gtest/gtest.h>

#include "security_support.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test::security {
namespace {

using nlohmann::json;

constexpr std::size_t kBodyBytesMax = 1 << 20;
constexpr std::size_t kDepthMax = 32;

// An object whose member "x" nests arrays so that the whole body is `depth` levels deep.
std::string nested(std::size_t depth) {
    return "{\"x\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
}

std::string registration(const std::string& name, const std::string& phone) {
    return json{{"username", name},
                {"email", name + "@example.com"},
                {"phone", phone},
                {"password", kTestPassword}}
        .dump();
}

// What the suite's tests share, built by SetUpTestSuite and torn down after the last one.
struct HostileBodySuite {
    std::unique_ptr<RunningApp> app;
    std::string admin;
    std::string customer;
};

HostileBodySuite& hostile_body_suite() {
    static HostileBodySuite state;
    return state;
}

class HostileBody : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        hostile_body_suite().app = std::make_unique<RunningApp>();
        hostile_body_suite().admin =
            staff_login(*hostile_body_suite().app, "admin", identity::Role::admin).at("access_token");
        hostile_body_suite().customer = register_and_login(*hostile_body_suite().app, "customer").at("access_token");
    }
    static void TearDownTestSuite() { hostile_body_suite().app.reset(); }

    static RunningApp& app() { return *hostile_body_suite().app; }

    // The routes of the table that take `shape`, each with the token that passes its access
    // check and made-up ids.
    static std::vector<std::pair<RouteSpec, std::string>> routes_taking(BodyShape shape) {
        std::vector<std::pair<RouteSpec, std::string>> found;
        for (const RouteSpec& route :
             live_routes(app().application()).value_or(expected_routes())) {
            if (route.body != shape) {
                continue;
            }
            const std::string token = route.access == http::Access::Kind::anyone ? ""
                                      : route.access == http::Access::Kind::signed_in
                                          ? hostile_body_suite().customer
                                          : hostile_body_suite().admin;
            found.emplace_back(route, token);
        }
        return found;
    }

    static std::string path_of(const RouteSpec& route) {
        return fill(route.pattern,
                    {{"id", "00000000-0000-4000-8000-000000000001"},
                     {"user_id", "00000000-0000-4000-8000-000000000002"},
                     {"run_id", "00000000-0000-4000-8000-000000000003"},
                     {"item_id", "1"}});
    }
};

TEST_F(HostileBody, ABodyOfExactlyTheLimitIsReadAndOneByteMoreIs413WithNothingStored) {
    const std::string at_limit = registration("atlimit", "0715000001");
    const std::string over = registration("overlimit", "0715000002");
    const auto read = send(app(),
                           {"POST",
                            "/auth/register",
                            at_limit + std::string(kBodyBytesMax - at_limit.size(), ' '),
                            "application/json",
                            {}});
    EXPECT_EQ(read.status, 201) << read.raw;
    const auto refused = send(app(),
                              {"POST",
                               "/auth/register",
                               over + std::string(kBodyBytesMax + 1 - over.size(), ' '),
                               "application/json",
                               {}});
    expect_problem(refused, 413, "payload_too_large", "one byte over");
    EXPECT_EQ(app().query("SELECT count(*) FROM users WHERE username = 'overlimit'"), "0");

    const std::string quote = json{{"side", "buy"}, {"amount_kes", "100"}}.dump();
    const Call big_quote{"POST",
                         "/trade/quote",
                         quote + std::string(kBodyBytesMax + 1 - quote.size(), ' '),
                         "application/json",
                         {}};
    expect_problem(send(app(), big_quote, hostile_body_suite().customer),
                   413,
                   "payload_too_large",
                   "signed in, one byte over");
    expect_problem(send(app(), big_quote), 413, "payload_too_large", "no token, one byte over");
    const Call huge{
        "POST", "/auth/login", std::string(4 * kBodyBytesMax, 'x'), "application/json", {}};
    EXPECT_EQ(send(app(), huge).status, 413);
    EXPECT_EQ(row_count(app(), "quotes"), 0);
}

TEST_F(HostileBody, EveryJsonRouteRefusesNestingPastTheLimitWithJsonTooDeep) {
    const std::string before = fingerprint(app());
    const auto routes = routes_taking(BodyShape::json);
    ASSERT_GE(routes.size(), 19u);
    for (const auto& [route, token] : routes) {
        for (const std::string& body :
             {nested(kDepthMax + 1),
              nested(100'000),
              std::string(kDepthMax + 1, '[') + std::string(kDepthMax + 1, ']')}) {
            const auto answer = send(app(),
                                     {route.method,
                                      path_of(route),
                                      body,
                                      "application/json",
                                      {{"Idempotency-Key", "deep"}}},
                                     token);
            expect_problem(
                answer, 400, "json_too_deep", describe(route) + " " + std::to_string(body.size()));
        }
    }
    EXPECT_EQ(fingerprint(app()), before);
    json at_limit = json::parse(registration("deep32", "0715000003"));
    at_limit["x"] = json::parse(nested(kDepthMax - 1));  // the whole body is 32 levels deep
    const auto read = send(app(), json_call("POST", "/auth/register", at_limit));
    EXPECT_EQ(read.status, 201) << read.raw;
}

TEST_F(HostileBody, EveryJsonRouteRefusesOtherMediaTypesWith415) {
    const std::string before = fingerprint(app());
    for (const auto& [route, token] : routes_taking(BodyShape::json)) {
        for (const char* type : {"text/plain",
                                 "application/x-www-form-urlencoded",
                                 "application/json-patch+json",
                                 "application/jsonx",
                                 "text/json",
                                 "text/csv",
                                 ""}) {
            const auto answer = send(app(),
                                     {route.method,
                                      path_of(route),
                                      registration("typed", "0715000004"),
                                      type,
                                      {{"Idempotency-Key", "typed"}}},
                                     token);
            expect_problem(answer, 415, "unsupported_media_type", describe(route) + " as " + type);
        }
        Call multipart = kyc_upload_call("selfie", png_bytes(), "a.png");
        multipart.method = route.method;
        multipart.path = path_of(route);
        expect_problem(send(app(), multipart, token),
                       415,
                       "unsupported_media_type",
                       describe(route) + " as multipart");
    }
    for (const auto& [route, token] : routes_taking(BodyShape::csv)) {
        expect_problem(send(app(), json_call(route.method, path_of(route), {{"csv", "x"}}), token),
                       415,
                       "unsupported_media_type",
                       describe(route));
    }
    for (const auto& [route, token] : routes_taking(BodyShape::multipart)) {
        expect_problem(
            send(app(), json_call(route.method, path_of(route), {{"doc_type", "selfie"}}), token),
            415,
            "unsupported_media_type",
            describe(route));
    }
    EXPECT_EQ(fingerprint(app()), before);
}

TEST_F(HostileBody, MalformedJsonIs400AndStoresNothing) {
    const std::string start =
        R"({"username":"broken","email":"broken@example.com","phone":"0715000005","password":")";
    const std::vector<std::pair<std::string, std::string>> bodies = {
        {"invalid UTF-8", start + "pass\xFF\xFEword long\"}"},
        {"overlong UTF-8", start + "pass\xC0\xAEword long\"}"},
        {"UTF-8 surrogate", start + "pass\xED\xA0\x80word long\"}"},
        {"truncated UTF-8", start + "pass\xE2\x82word long\"}"},
        {"escaped lone surrogate", start + R"(pass\ud800word long"})"},
        {"escaped low surrogate first", start + R"(pass\udc00\ud800word long"})"},
        {"an array", "[" + registration("broken", "0715000005") + "]"},
        {"a string", R"("username")"},
        {"a number", "1"},
        {"null", "null"},
        {"true", "true"},
        {"empty", ""},
        {"whitespace", "   \n"},
        {"trailing data", registration("broken", "0715000005") + " {}"},
        {"a comment", "/* c */" + registration("broken", "0715000005")},
        {"single quotes", "{'username':'broken'}"},
        {"NaN", R"({"username":NaN})"},
        {"Infinity", R"({"username":Infinity})"},
        {"trailing comma", R"({"username":"broken",})"},
        {"unterminated", R"({"username":"broken")"},
        {"raw control character", start + "pass\x01word long\"}"},
    };
    for (const auto& [what, body] : bodies) {
        expect_problem(send(app(), {"POST", "/auth/register", body, "application/json", {}}),
                       400,
                       "malformed_json",
                       what);
    }
    EXPECT_EQ(app().query("SELECT count(*) FROM users WHERE username = 'broken'"), "0");
}

TEST_F(HostileBody, HugeExponentAndInexactNumbersGetTheirOwnCodes) {
    const std::vector<std::tuple<std::string, std::string, std::string>> quotes = {
        {R"({"side":"buy","amount_kes":1e400})", "malformed_json", "an exponent beyond double"},
        {R"({"side":"buy","amount_kes":1e2})", "invalid_number_format", "an exponent"},
        {R"({"side":"buy","amount_kes":1E2})", "invalid_number_format", "a capital exponent"},
        {R"({"side":"buy","amount_kes":123456789012345678901234567890})",
         "inexact_number",
         "30 digits"},
        {R"({"side":"buy","amount_kes":0.1000000000000000000001})",
         "inexact_number",
         "22 decimals"},
        {R"({"side":"buy","amount_kes":-1})", "negative_amount", "negative"},
        {R"({"side":"buy","amount_kes":"-0.00"})", "negative_amount", "negative zero"},
        {R"({"side":"buy","amount_kes":"99999999999999999999999"})",
         "amount_too_large",
         "23 digits as text"},
        {R"({"side":"buy","amount_kes":9223372036854775807})", "amount_too_large", "int64 max"},
        {R"({"side":"buy","amount_kes":18446744073709551615})", "amount_too_large", "uint64 max"},
        {R"({"side":"buy","amount_kes":"100.001"})", "too_many_decimals", "three decimals"},
        {R"({"side":"sell","grams":"0.0000001"})", "too_many_decimals", "seven decimals of grams"},
        {R"({"side":"buy","amount_kes":0})", "zero_amount", "zero"},
    };
    for (const auto& [body, code, what] : quotes) {
        expect_problem(
            send(app(), {"POST", "/trade/quote", body, "application/json", {}}, hostile_body_suite().customer),
            400,
            code,
            what);
    }
    for (const auto& [body, code] : std::vector<std::pair<std::string, std::string>>{
             {R"({"name":"P","total_grams":"1","purity":"999.9","priority":1e3})",
              "invalid_number_format"},
             {R"({"name":"P","total_grams":"1","purity":"999.9","priority":1000001})",
              "validation_failed"},
             {R"({"name":"P","total_grams":"1","purity":"999.9","priority":-9223372036854775808})",
              "validation_failed"},
             {R"({"name":"P","total_grams":"1","purity":"999.9","priority":2.5})",
              "validation_failed"}}) {
        expect_problem(send(app(), {"POST", "/pools", body, "application/json", {}}, hostile_body_suite().admin),
                       400,
                       code,
                       body);
    }
    EXPECT_EQ(row_count(app(), "quotes"), 0);
    EXPECT_EQ(row_count(app(), "gold_pools"), 0);
}

// nlohmann keeps one member of a duplicated key; whichever it is, the answer and the stored
// row agree (no check reads one value while the store writes the other).
TEST_F(HostileBody, DuplicateKeysResolveOneWayOnly) {
    const std::string body =
        R"({"username":"dupfirst","email":"dup@example.com","phone":"0715000006",)"
        R"("password":"correct horse battery staple","username":"dupsecond"})";
    const auto made = send(app(), {"POST", "/auth/register", body, "application/json", {}});
    ASSERT_TRUE(made.status == 201 || made.status == 400) << made.raw;
    if (made.status == 201) {
        EXPECT_EQ(app().query("SELECT username FROM users WHERE id = '" +
                              made.body.value("id", "") + "'"),
                  made.body.value("username", "?"));
        EXPECT_EQ(made.body.value("username", ""), "dupsecond") << "the last member wins";
        EXPECT_EQ(row_count(app(), "users WHERE username IN ('dupfirst', 'dupsecond')"), 1);
    }
    const std::string limit =
        R"({"kyc_status":"rejected","side":"buy","per_trade_kes":"0","per_day_kes":"0",)"
        R"("reason":"dup","side":"sell"})";
    const auto updated =
        send(app(), {"PUT", "/admin/limits", limit, "application/json", {}}, hostile_body_suite().admin);
    ASSERT_EQ(updated.status, 200) << updated.raw;
    EXPECT_EQ(updated.body.value("side", ""), "sell");
    EXPECT_EQ(app().query("SELECT target_id FROM audit_log WHERE action = 'limits.update' ORDER BY "
                          "id DESC LIMIT 1"),
              "rejected:sell");
}

TEST_F(HostileBody, OversizedHeadersAndManyKeysAreRefusedCleanly) {
    const Call headers{"GET", "/user/me", "", "", {{"X-Padding", std::string(20'000, 'h')}}};
    const auto refused = send_raw(app(), raw_request("GET", "/user/me", "", "", headers.headers));
    EXPECT_TRUE(refused.status == 431 || refused.status == 400)
        << refused.status << " " << refused.raw;
    EXPECT_EQ(header_of(refused, "Content-Type"), "application/problem+json");

    json many = json::parse(registration("manykeys", "0715000007"));
    for (int i = 0; i < 50'000; ++i) {
        many["k" + std::to_string(i)] = i;
    }
    const auto answer = send(app(), json_call("POST", "/auth/register", many));
    EXPECT_EQ(answer.status, 201) << "unknown members are ignored, however many fit the limit: "
                                  << answer.raw;
    json long_name = json::parse(registration(std::string(400'000, 'n'), "0715000008"));
    expect_problem(send(app(), json_call("POST", "/auth/register", long_name)),
                   400,
                   "validation_failed",
                   "long name");
}

}  // namespace
}  // namespace gw::test::security
