// OWASP API4 (lack of resources and rate limiting), extending identity/rate_limit_test.cpp
// (login and registration per IP). Proves, with small buckets configured per test: refresh
// bursts are cut off with 429 problem+json and Retry-After, and a limited refresh spends no
// token; the login bucket per username holds across source addresses and letter case while
// other usernames are unaffected; the per-IP buckets follow the socket's address (requests
// come from 127.0.0.1 and 127.0.0.2 over raw sockets), not X-Forwarded-For and friends; and
// STK Push initiation is limited per user, as DESIGN §7 requires.

#include <gtest/gtest.h>

#include "security_support.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test::security {
namespace {

using nlohmann::json;


// POST `path` with a JSON body from `source_ip`, over a raw socket.
JsonResponse post_from(const RunningApp& app,
                       const std::string& source_ip,
                       const std::string& path,
                       const json& body,
                       const httplib::Headers& headers = {}) {
    return send_raw(
        app, raw_request("POST", path, body.dump(), "application/json", headers), source_ip);
}

void expect_limited(const JsonResponse& answer,
                    std::int64_t period_seconds,
                    const std::string& what) {
    expect_problem(answer, 429, "rate_limited", what);
    const std::string retry_after = header_of(answer, "Retry-After");
    ASSERT_FALSE(retry_after.empty()) << what;
    EXPECT_GE(std::stoll(retry_after), 1) << what;
    EXPECT_LE(std::stoll(retry_after), period_seconds) << what;
}

TEST(RateLimits, RefreshBurstsAreCutOffAndALimitedRefreshSpendsNoToken) {
    RunningApp app([](app::Config& config) {
        config.rate_limits.refresh_per_ip = {3, std::chrono::seconds(60)};
    });
    const json alice = register_and_login(app, "alice", kTestPassword);
    for (int i = 0; i < 3; ++i) {
        const auto refused = request_json(
            app, "POST", "/auth/refresh", {{"refresh_token", "guess-" + std::to_string(i)}});
        expect_problem(refused, 401, "invalid_refresh_token", "guess " + std::to_string(i));
    }
    const auto tokens_before =
        app.query("SELECT count(*) || '/' || count(rotated_at) FROM refresh_tokens");
    const auto limited =
        request_json(app, "POST", "/auth/refresh", {{"refresh_token", alice.at("refresh_token")}});
    expect_limited(limited, 60, "the genuine token after three guesses");
    EXPECT_EQ(app.query("SELECT count(*) || '/' || count(rotated_at) FROM refresh_tokens"),
              tokens_before)
        << "a limited refresh rotates nothing";
    const auto elsewhere = post_from(
        app, "127.0.0.2", "/auth/refresh", {{"refresh_token", alice.at("refresh_token")}});
    EXPECT_EQ(elsewhere.status, 200) << "another address has its own bucket: " << elsewhere.raw;
}

TEST(RateLimits, TheLoginBucketOfAUsernameHoldsAcrossAddressesAndLetterCase) {
    RunningApp app([](app::Config& config) {
        config.rate_limits.login_per_username = {3, std::chrono::seconds(60)};
    });
    ASSERT_EQ(register_user(app, "alice", "alice@example.com", "0712345678").status, 201);
    ASSERT_EQ(register_user(app, "bob", "bob@example.com", "0712345679").status, 201);
    for (const char* source : {"127.0.0.1", "127.0.0.2", "127.0.0.3"}) {
        const auto wrong = post_from(
            app, source, "/auth/login", {{"username", "alice"}, {"password", "wrong password!"}});
        expect_problem(
            wrong, 401, "invalid_credentials", std::string("wrong password from ") + source);
    }
    const auto sessions_before = row_count(app, "sessions");
    for (const char* spelling : {"alice", "ALICE", "Alice"}) {
        const auto limited = post_from(
            app, "127.0.0.4", "/auth/login", {{"username", spelling}, {"password", kTestPassword}});
        expect_limited(limited, 60, std::string("the right password for ") + spelling);
    }
    EXPECT_EQ(row_count(app, "sessions"), sessions_before)
        << "no session while the bucket is empty";
    const auto bob =
        post_from(app, "127.0.0.1", "/auth/login", {{"username", "bob"}, {"password", kTestPassword}});
    EXPECT_EQ(bob.status, 200) << "another username is not limited: " << bob.raw;
}

TEST(RateLimits, PerAddressBucketsFollowTheSocketNotForwardingHeaders) {
    RunningApp app([](app::Config& config) {
        config.rate_limits.register_per_ip = {2, std::chrono::seconds(600)};
        config.rate_limits.login_per_ip = {2, std::chrono::seconds(60)};
    });
    const auto registration = [](const std::string& name, const std::string& phone) {
        return json{{"username", name},
                    {"email", name + "@example.com"},
                    {"phone", phone},
                    {"password", kTestPassword}};
    };
    const httplib::Headers spoofed = {{"X-Forwarded-For", "10.9.8.7"},
                                      {"X-Real-IP", "10.9.8.6"},
                                      {"Forwarded", "for=10.9.8.5"},
                                      {"X-Client-IP", "10.9.8.4"}};
    for (int i = 0; i < 2; ++i) {
        const auto made =
            post_from(app,
                      "127.0.0.1",
                      "/auth/register",
                      registration("user" + std::to_string(i), "071234560" + std::to_string(i)));
        EXPECT_EQ(made.status, 201) << made.raw;
    }
    expect_limited(
        post_from(
            app, "127.0.0.1", "/auth/register", registration("spoofer", "0712345609"), spoofed),
        600,
        "a third registration claiming another client address");
    EXPECT_EQ(row_count(app, "users"), 2);
    const auto other =
        post_from(app, "127.0.0.2", "/auth/register", registration("neighbour", "0712345608"));
    EXPECT_EQ(other.status, 201) << "another address registers: " << other.raw;

    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(
            post_from(app, "127.0.0.1", "/auth/login", {{"username", "nobody"}, {"password", "x"}})
                .status,
            401);
    }
    expect_limited(post_from(app,
                             "127.0.0.1",
                             "/auth/login",
                             {{"username", "user0"}, {"password", kTestPassword}},
                             spoofed),
                   60,
                   "a login claiming another client address");
}

// DESIGN §7: "Rate limits (token bucket) on login, register, STK initiation, per user and per
// IP." A buy starts an STK Push to any number the caller names, so without a limit one
// account can make a stranger's phone ring again and again.
TEST(RateLimits, StkPushInitiationIsLimitedPerUser) {
    TradeApp trade({.trade_per_user = http::RateLimitPolicy{10, std::chrono::seconds(60)}});
    trade.create_pool("Vault R", "10");
    trade.set_prices("8500", "8000");
    const json mallory = trade.user("mallory");
    const std::string stranger = "254708374149";
    int placed = 0;
    int limited = 0;
    for (int i = 0; i < 30 && limited == 0; ++i) {
        const auto answer = trade.buy(mallory.at("access_token"),
                                      {{"amount_kes", "10"}, {"phone_for_stk", stranger}},
                                      "push-" + std::to_string(i));
        if (answer.status == 429) {
            ++limited;
            expect_limited(answer, 3600, "buy " + std::to_string(i));
        } else {
            EXPECT_EQ(answer.status, 201) << answer.raw;
            ++placed;
        }
    }
    EXPECT_EQ(limited, 1) << placed
                          << " STK Pushes to one stranger's phone were accepted in a burst";
    EXPECT_EQ(trade.query("SELECT count(*) FROM outbox WHERE topic = 'mpesa.stk_push'"),
              std::to_string(placed))
        << "each accepted buy queued one push, a limited one none";
}

}  // namespace
}  // namespace gw::test::security
