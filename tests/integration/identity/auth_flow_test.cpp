// Proves the session life cycle through HTTP on a real node: register, login, profile, rotating
// refresh (and that replaying a rotated token kills the whole session), logout, password change
// killing the other sessions, access-token expiry on the ManualClock, and uniform login failures.

#include <chrono>

#include <gtest/gtest.h>

#include "support/app_fixture.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test {
namespace {

using nlohmann::json;
using std::chrono::minutes;
using std::chrono::seconds;


JsonResponse me(const RunningApp& app, const std::string& token) {
    return request_json(app, "GET", "/user/me", nullptr, token);
}

JsonResponse refresh(const RunningApp& app, const std::string& refresh_token) {
    return request_json(app, "POST", "/auth/refresh", {{"refresh_token", refresh_token}});
}

std::string code_of(const JsonResponse& response) {
    return response.body.value("code", "");
}

TEST(AuthFlow, RegisterLoginProfileRefreshAndLogoutWorkEndToEnd) {
    RunningApp app;
    const auto registered = register_user(app, "alice", "alice@example.com", "0712345678");
    ASSERT_EQ(registered.status, 201) << registered.raw;
    const std::string user_id = registered.body.at("id");
    EXPECT_EQ(registered.body.at("phone"), "2547******78");
    EXPECT_EQ(registered.body.at("kyc_status"), "pending");
    EXPECT_EQ(registered.body.at("role"), "user");

    const auto logged_in = login(app, "alice", kTestPassword);
    ASSERT_EQ(logged_in.status, 200) << logged_in.raw;
    EXPECT_EQ(logged_in.body.at("token_type"), "Bearer");
    EXPECT_EQ(logged_in.body.at("expires_in"), 900);
    const std::string access1 = logged_in.body.at("access_token");
    const std::string refresh1 = logged_in.body.at("refresh_token");

    const auto profile = me(app, access1);
    ASSERT_EQ(profile.status, 200) << profile.raw;
    EXPECT_EQ(profile.body.at("id"), user_id);
    EXPECT_EQ(profile.body.at("username"), "alice");
    EXPECT_EQ(profile.body.at("email"), "alice@example.com");
    EXPECT_EQ(profile.body.at("phone"), "2547******78");
    EXPECT_EQ(profile.body.at("role"), "user");
    EXPECT_EQ(profile.body.at("kyc_status"), "pending");
    EXPECT_FALSE(contains_bytes(profile.raw, "712345678")) << profile.raw;

    app.clock().advance(seconds(1));  // so the new access token differs from the old one
    const auto refreshed = refresh(app, refresh1);
    ASSERT_EQ(refreshed.status, 200) << refreshed.raw;
    const std::string access2 = refreshed.body.at("access_token");
    const std::string refresh2 = refreshed.body.at("refresh_token");
    EXPECT_NE(access2, access1);
    EXPECT_NE(refresh2, refresh1);
    EXPECT_EQ(me(app, access2).status, 200);
    EXPECT_EQ(app.query("SELECT count(*) FROM sessions"), "1") << "refresh keeps the session";

    const auto logged_out = request_json(app, "POST", "/auth/logout", nullptr, access2);
    EXPECT_EQ(logged_out.status, 204) << logged_out.raw;
    for (const std::string& token : {access1, access2}) {
        const auto after = me(app, token);
        EXPECT_EQ(after.status, 401);
        EXPECT_EQ(code_of(after), "unauthorized");
    }
    const auto refresh_after_logout = refresh(app, refresh2);
    EXPECT_EQ(refresh_after_logout.status, 401);
    EXPECT_EQ(code_of(refresh_after_logout), "invalid_refresh_token");
    EXPECT_EQ(app.query("SELECT revoked_reason FROM sessions"), "logout");
}

TEST(AuthFlow, ReplayingARotatedRefreshTokenRevokesTheWholeSession) {
    RunningApp app;
    const json user = register_and_login(app, "bob");
    const std::string access1 = user.at("access_token");
    const std::string refresh1 = user.at("refresh_token");
    const json other = login(app, "bob", kTestPassword).body;  // a second, unrelated session

    app.clock().advance(seconds(1));
    const auto rotated = refresh(app, refresh1);
    ASSERT_EQ(rotated.status, 200) << rotated.raw;
    const std::string access2 = rotated.body.at("access_token");
    const std::string refresh2 = rotated.body.at("refresh_token");

    const auto replay = refresh(app, refresh1);
    EXPECT_EQ(replay.status, 401);
    EXPECT_EQ(code_of(replay), "invalid_refresh_token");

    const auto successor = refresh(app, refresh2);
    EXPECT_EQ(successor.status, 401) << "the rotated token's successor dies with the session";
    EXPECT_EQ(code_of(successor), "invalid_refresh_token");
    for (const std::string& token : {access1, access2}) {
        const auto after = me(app, token);
        EXPECT_EQ(after.status, 401);
        EXPECT_EQ(code_of(after), "unauthorized");
    }
    EXPECT_EQ(
        app.query("SELECT count(*) FROM sessions WHERE revoked_reason = 'refresh_token_reuse'"),
        "1");

    // The family is the session: bob's other login is untouched.
    EXPECT_EQ(me(app, other.at("access_token")).status, 200);
    EXPECT_EQ(refresh(app, other.at("refresh_token")).status, 200);
}

TEST(AuthFlow, RefreshRefusesUnknownAndMissingTokens) {
    RunningApp app;
    register_and_login(app, "carol");
    const auto unknown = refresh(app, "not-a-refresh-token");
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(code_of(unknown), "invalid_refresh_token");

    const auto missing = request_json(app, "POST", "/auth/refresh", json::object());
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(code_of(missing), "validation_failed");
    EXPECT_EQ(missing.body.value("detail", ""), "refresh_token: required");
    EXPECT_EQ(app.query("SELECT count(*) FROM refresh_tokens"), "1");
}

TEST(AuthFlow, PasswordChangeRevokesEveryOtherSessionAndKeepsTheCallers) {
    RunningApp app;
    const json a = register_and_login(app, "dave");
    const json b = login(app, "dave", kTestPassword).body;
    const std::string new_password = "a much better passphrase";

    const auto wrong_current =
        request_json(app,
                     "POST",
                     "/auth/password",
                     {{"current_password", "not my password"}, {"new_password", new_password}},
                     a.at("access_token"));
    EXPECT_EQ(wrong_current.status, 401);
    EXPECT_EQ(code_of(wrong_current), "invalid_credentials");
    const auto weak = request_json(app,
                                   "POST",
                                   "/auth/password",
                                   {{"current_password", kTestPassword}, {"new_password", "short"}},
                                   a.at("access_token"));
    EXPECT_EQ(weak.status, 400);
    EXPECT_EQ(code_of(weak), "weak_password");
    EXPECT_EQ(me(app, b.at("access_token")).status, 200) << "refusals revoke nothing";
    EXPECT_EQ(login(app, "dave", kTestPassword).status, 200) << "refusals change nothing";

    const auto changed =
        request_json(app,
                     "POST",
                     "/auth/password",
                     {{"current_password", kTestPassword}, {"new_password", new_password}},
                     a.at("access_token"));
    ASSERT_EQ(changed.status, 204) << changed.raw;

    const auto b_access = me(app, b.at("access_token"));
    EXPECT_EQ(b_access.status, 401);
    EXPECT_EQ(code_of(b_access), "unauthorized");
    const auto b_refresh = refresh(app, b.at("refresh_token"));
    EXPECT_EQ(b_refresh.status, 401);
    EXPECT_EQ(code_of(b_refresh), "invalid_refresh_token");

    EXPECT_EQ(me(app, a.at("access_token")).status, 200) << "the caller's session survives";
    app.clock().advance(seconds(1));
    EXPECT_EQ(refresh(app, a.at("refresh_token")).status, 200);

    const auto old_login = login(app, "dave", kTestPassword);
    EXPECT_EQ(old_login.status, 401);
    EXPECT_EQ(code_of(old_login), "invalid_credentials");
    EXPECT_EQ(login(app, "dave", new_password).status, 200);
    EXPECT_EQ(app.query("SELECT count(*) FROM audit_log WHERE action = 'user.password_change'"),
              "1");
}

TEST(AuthFlow, AccessTokenExpiresAfterFifteenMinutesWithTokenExpired) {
    RunningApp app;
    const json user = register_and_login(app, "erin");
    const std::string access = user.at("access_token");

    app.clock().advance(minutes(15) - seconds(1));
    EXPECT_EQ(me(app, access).status, 200) << "one second before expiry the token still works";

    app.clock().advance(seconds(2));  // 15 min + 1 s after issue
    const auto expired = me(app, access);
    EXPECT_EQ(expired.status, 401);
    EXPECT_EQ(code_of(expired), "token_expired");
    EXPECT_EQ(header_of(expired, "WWW-Authenticate"), "Bearer");

    const auto renewed = refresh(app, user.at("refresh_token"));
    ASSERT_EQ(renewed.status, 200) << "an expired access token is renewed by refreshing";
    EXPECT_EQ(me(app, renewed.body.at("access_token")).status, 200);
}

TEST(AuthFlow, ASessionEndsThirtyDaysAfterLoginHoweverOftenItIsRefreshed) {
    RunningApp app;
    const json user = register_and_login(app, "grace");
    std::string refresh_token = user.at("refresh_token");
    for (int day = 0; day < 29; ++day) {
        app.clock().advance(std::chrono::hours(24));
        const auto refreshed = refresh(app, refresh_token);
        ASSERT_EQ(refreshed.status, 200) << "day " << day + 1 << ": " << refreshed.raw;
        refresh_token = refreshed.body.at("refresh_token");
    }
    app.clock().advance(std::chrono::hours(24) + seconds(1));  // 30 days + 1 s after login
    const auto expired = refresh(app, refresh_token);
    EXPECT_EQ(expired.status, 401) << expired.raw;
    EXPECT_EQ(code_of(expired), "invalid_refresh_token");
}

TEST(AuthFlow, WithTheSessionCacheOnRevocationsOnThisNodeStillTakeEffectAtOnce) {
    RunningApp app([](app::Config& config) {
        config.auth.session_cache_ttl = std::chrono::milliseconds(5'000);
    });
    const json a = register_and_login(app, "heidi");
    const json b = login(app, "heidi", kTestPassword).body;
    const json c = login(app, "heidi", kTestPassword).body;
    for (const json* session : {&a, &b, &c}) {
        ASSERT_EQ(me(app, session->at("access_token")).status, 200) << "now cached as live";
    }
    ASSERT_EQ(request_json(app, "POST", "/auth/logout", nullptr, c.at("access_token")).status, 204);
    EXPECT_EQ(me(app, c.at("access_token")).status, 401) << "logout forgets the cached session";

    ASSERT_EQ(
        request_json(app,
                     "POST",
                     "/auth/password",
                     {{"current_password", kTestPassword}, {"new_password", "another good passphrase"}},
                     a.at("access_token"))
            .status,
        204);
    EXPECT_EQ(me(app, b.at("access_token")).status, 401) << "a password change clears the cache";
    EXPECT_EQ(me(app, a.at("access_token")).status, 200);

    // A revocation this node did not make (another node, an operator) shows within the TTL.
    app.query(
        "UPDATE sessions SET revoked_at = now(), revoked_reason = 'operator' "
        "WHERE revoked_at IS NULL RETURNING 1");
    app.clock().advance(std::chrono::milliseconds(5'001));
    const auto after_ttl = me(app, a.at("access_token"));
    EXPECT_EQ(after_ttl.status, 401) << after_ttl.raw;
    EXPECT_EQ(code_of(after_ttl), "unauthorized");
}

TEST(AuthFlow, LoginFailuresLookTheSameForUnknownUsersAndWrongPasswords) {
    RunningApp app;
    register_and_login(app, "frank");
    const auto unknown = login(app, "nobody-here", kTestPassword);
    const auto wrong = login(app, "frank", "definitely not it");
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(code_of(unknown), "invalid_credentials");
    EXPECT_EQ(code_of(wrong), "invalid_credentials");
    EXPECT_EQ(unknown.body.value("detail", "?"), wrong.body.value("detail", "!"));
    EXPECT_EQ(unknown.body.value("title", "?"), wrong.body.value("title", "!"));
    EXPECT_EQ(unknown.body.size(), wrong.body.size()) << unknown.raw << " vs " << wrong.raw;
    EXPECT_EQ(app.query("SELECT count(*) FROM sessions"), "1") << "only register_and_login's";

    EXPECT_EQ(login(app, "FRANK", kTestPassword).status, 200) << "usernames are case-insensitive";
}

}  // namespace
}  // namespace gw::test
