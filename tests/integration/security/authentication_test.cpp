// OWASP API2 (broken authentication), extending token_forgery_test.cpp and auth_flow_test.cpp.
// The node signs with a JWT key the test knows, so the test can mint tokens the way an
// attacker holding the key, or a confused library, would, and prove the layers behind the
// signature: only HS256 under this exact key (no other HS variant, no RS/ES/PS header on an
// HMAC, no empty or embedded key), well-formed claims, the role and owner from the session
// row rather than the token, and a live session. Refresh and access tokens are not
// interchangeable, tokens come only from the Authorization header, and every refused token
// (forged, expired, revoked by logout, password change or closure) changes nothing on a write.

#include <memory>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "identity/secret_key.hpp"
#include "security_support.hpp"
#include "support/base64_text.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test::security {
namespace {

using nlohmann::json;

constexpr std::string_view kJwtKeyHex =
    "5f2a9c4e7b1d8f3a6c0e9b2d4f7a1c3e8b5d0f2a4c6e8b1d3f5a7c9e0b2d4f6a";

std::string key_bytes() {
    std::string bytes(kJwtKeyHex.size() / 2, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes[i] =
            static_cast<char>(std::stoi(std::string(kJwtKeyHex.substr(2 * i, 2)), nullptr, 16));
    }
    return bytes;
}

// A compact JWS of `header` and `claims` with an HMAC of `digest` under `key`.
std::string mint(const json& header,
                 const json& claims,
                 const std::string& key,
                 const EVP_MD* digest = EVP_sha256()) {
    const std::string input = base64url(header.dump()) + "." + base64url(claims.dump());
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(digest,
         key.data(),
         static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(input.data()),
         input.size(),
         mac,
         &length);
    return input + "." + base64url(std::string(reinterpret_cast<const char*>(mac), length));
}

json claims_of(const std::string& token) {
    const std::size_t first = token.find('.');
    const auto payload =
        from_base64url(token.substr(first + 1, token.find('.', first + 1) - first - 1));
    EXPECT_TRUE(payload.has_value()) << "not a JWS: " << token;
    return json::parse(payload.value_or("null"));
}

json hs256() {
    return {{"alg", "HS256"}, {"typ", "JWT"}};
}

// What the suite's tests share, built by SetUpTestSuite and torn down after the last one.
struct AuthenticationSuite {
    std::unique_ptr<RunningApp> app;
};

AuthenticationSuite& authentication_suite() {
    static AuthenticationSuite state;
    return state;
}

class Authentication : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        authentication_suite().app = std::make_unique<RunningApp>(nullptr, [](app::Secrets& secrets) {
            auto key = identity::SecretKey::from_hex(kJwtKeyHex);
            ASSERT_TRUE(key.has_value());
            secrets.jwt_key = std::move(*key);
        });
    }
    static void TearDownTestSuite() { authentication_suite().app.reset(); }

    static RunningApp& app() { return *authentication_suite().app; }

    // A fresh customer's login with "claims": the claims of their genuine access token.
    static json customer(const std::string& username) {
        json user = register_and_login(app(), username, kTestPassword);
        user["claims"] = claims_of(user.at("access_token"));
        return user;
    }

    static JsonResponse me(const std::string& token) {
        return request_json(app(), "GET", "/user/me", nullptr, token);
    }

    static std::int64_t now() { return unix_seconds(app().clock().now()); }

    static std::string user_row(const json& user) {
        return app().query(
            "SELECT password_hash || ' ' || role || ' ' || kyc_status || ' ' || "
            "coalesce(closed_at::text, 'open') FROM users WHERE id = '" +
            user.at("user_id").get<std::string>() + "'");
    }

    // Tries writes with `token`: each must be 401 `code` and leave the user and their
    // documents and sessions as they were.
    static void expect_writes_refused(const std::string& token,
                                      const json& user,
                                      const std::string& code,
                                      const std::string& what) {
        const std::string row = user_row(user);
        const std::string documents = std::to_string(row_count(app(), "kyc_documents"));
        const std::string live =
            app().query("SELECT count(*) FROM sessions WHERE revoked_at IS NULL");
        const std::vector<JsonResponse> answers = {
            request_json(app(), "DELETE", "/user/me", nullptr, token),
            request_json(
                app(),
                "POST",
                "/auth/password",
                {{"current_password", kTestPassword}, {"new_password", "taken over passphrase 1"}},
                token),
            send(app(), kyc_upload_call("selfie", png_bytes(), "a.png"), token),
            request_json(app(), "POST", "/auth/logout", nullptr, token)};
        for (const JsonResponse& answer : answers) {
            expect_problem(answer, 401, code, what);
        }
        EXPECT_EQ(user_row(user), row) << what;
        EXPECT_EQ(std::to_string(row_count(app(), "kyc_documents")), documents) << what;
        EXPECT_EQ(app().query("SELECT count(*) FROM sessions WHERE revoked_at IS NULL"), live)
            << what;
    }
};

TEST_F(Authentication, MintingWithTheNodesKeyWorksSoTheRefusalsBelowAreNotVacuous) {
    const json alice = customer("alice");
    const std::string copy = mint(hs256(), alice.at("claims"), key_bytes());
    const auto answer = me(copy);
    EXPECT_EQ(answer.status, 200) << answer.raw;
    EXPECT_EQ(answer.body.value("username", ""), "alice");
}

TEST_F(Authentication, ARoleClaimOfAdminIsIgnoredEvenUnderAValidSignature) {
    const json mallory = customer("mallory");
    json claims = mallory.at("claims");
    claims["role"] = "admin";
    const std::string token = mint(hs256(), claims, key_bytes());
    for (const char* path : {"/admin/audit", "/admin/kyc", "/pools", "/admin/ledger"}) {
        expect_problem(request_json(app(), "GET", path, nullptr, token), 403, "forbidden", path);
    }
    EXPECT_EQ(me(token).body.value("role", ""), "user")
        << "the role comes from the session's user row";
    const auto pool =
        request_json(app(),
                     "POST",
                     "/pools",
                     {{"name", "Mallory's"}, {"total_grams", "1"}, {"purity", "999.9"}},
                     token);
    expect_problem(pool, 403, "forbidden", "POST /pools");
    EXPECT_EQ(row_count(app(), "gold_pools"), 0);
}

TEST_F(Authentication, ASignedTokenNamingAnotherUserOrAnotherSessionIsRefused) {
    const json alice = customer("alice2");
    const json bob = customer("bob2");
    const std::string key = key_bytes();
    json claims = alice.at("claims");
    claims["sub"] = bob.at("user_id");
    expect_problem(
        me(mint(hs256(), claims, key)), 401, "unauthorized", "bob's sub on alice's session");
    claims = alice.at("claims");
    claims["sid"] = bob.at("claims").at("sid");
    expect_problem(
        me(mint(hs256(), claims, key)), 401, "unauthorized", "alice's sub on bob's session");
    claims["sid"] = "6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5";
    expect_problem(me(mint(hs256(), claims, key)), 401, "unauthorized", "an unknown session");
    for (const char* sid : {"' OR '1'='1", "not-a-uuid", "00000000-0000-0000-0000-00000000000g"}) {
        claims["sid"] = sid;
        expect_problem(
            me(mint(hs256(), claims, key)), 401, "unauthorized", std::string("sid ") + sid);
    }
    claims = alice.at("claims");
    claims["sub"] = "' OR '1'='1";
    expect_problem(me(mint(hs256(), claims, key)), 401, "unauthorized", "an injected sub");
}

TEST_F(Authentication, OnlyHs256UnderThisExactKeyIsAccepted) {
    const json carol = customer("carol");
    const json& claims = carol.at("claims");
    const std::string key = key_bytes();
    const std::vector<std::pair<std::string, std::string>> forged = {
        {"HS384 under the key",
         mint({{"alg", "HS384"}, {"typ", "JWT"}}, claims, key, EVP_sha384())},
        {"HS512 under the key",
         mint({{"alg", "HS512"}, {"typ", "JWT"}}, claims, key, EVP_sha512())},
        {"HS256 header, HS512 mac", mint(hs256(), claims, key, EVP_sha512())},
        {"RS256 header on an HMAC", mint({{"alg", "RS256"}, {"typ", "JWT"}}, claims, key)},
        {"ES256 header on an HMAC", mint({{"alg", "ES256"}, {"typ", "JWT"}}, claims, key)},
        {"PS256 header on an HMAC", mint({{"alg", "PS256"}, {"typ", "JWT"}}, claims, key)},
        {"none header on an HMAC", mint({{"alg", "none"}, {"typ", "JWT"}}, claims, key)},
        {"lower-case hs256", mint({{"alg", "hs256"}, {"typ", "JWT"}}, claims, key)},
        {"no alg", mint({{"typ", "JWT"}}, claims, key)},
        {"alg as an array", mint({{"alg", json::array({"HS256"})}}, claims, key)},
        {"empty key", mint(hs256(), claims, "")},
        {"all-zero key", mint(hs256(), claims, std::string(32, '\0'))},
        {"the key's hex text as key", mint(hs256(), claims, std::string(kJwtKeyHex))},
        {"kid /dev/null, empty key",
         mint({{"alg", "HS256"}, {"kid", "../../../../dev/null"}}, claims, "")},
        {"embedded jwk",
         mint({{"alg", "HS256"}, {"jwk", {{"kty", "oct"}, {"k", base64url("attacker")}}}},
              claims,
              "attacker")},
        {"jku to a key",
         mint({{"alg", "HS256"}, {"jku", "http://127.0.0.1:1/jwks.json"}}, claims, "attacker")},
        {"key truncated", mint(hs256(), claims, key.substr(0, 31))},
    };
    for (const auto& [what, token] : forged) {
        expect_problem(me(token), 401, "unauthorized", what);
    }
    EXPECT_EQ(me(mint(hs256(), claims, key)).status, 200) << "control";
}

TEST_F(Authentication, ClaimsMustBeWellFormedAndExpiryHoldsToTheSecond) {
    const json dave = customer("dave");
    const std::string key = key_bytes();
    const auto with = [&](const std::string& name, const json& value) {
        json claims = dave.at("claims");
        if (value.is_null()) {
            claims.erase(name);
        } else {
            claims[name] = value;
        }
        return mint(hs256(), claims, key);
    };
    const std::vector<std::pair<std::string, std::string>> malformed = {
        {"another issuer", with("iss", "goldwallet-staging")},
        {"no issuer", with("iss", nullptr)},
        {"exp as text", with("exp", std::to_string(now() + 600))},
        {"exp as a fraction", with("exp", 1.5e10)},
        {"no exp", with("exp", nullptr)},
        {"no sub", with("sub", nullptr)},
        {"empty sub", with("sub", "")},
        {"no sid", with("sid", nullptr)},
        {"sid as a number", with("sid", 7)},
        {"no iat", with("iat", nullptr)},
        {"exp beyond int64", with("exp", json::parse("18446744073709551615"))},
    };
    for (const auto& [what, token] : malformed) {
        expect_problem(me(token), 401, "unauthorized", what);
    }
    expect_problem(me(with("exp", now() - 1)), 401, "token_expired", "a second ago");
    expect_problem(me(with("exp", now())), 401, "token_expired", "now");
    EXPECT_EQ(me(with("exp", now() + 1)).status, 200) << "a second from now";
}

TEST_F(Authentication, RefreshAndAccessTokensAreNotInterchangeable) {
    const json erin = customer("erin");
    const std::string access = erin.at("access_token");
    const std::string refresh = erin.at("refresh_token");
    const auto tokens_before = row_count(app(), "refresh_tokens");
    expect_problem(me(refresh), 401, "unauthorized", "a refresh token as bearer");
    expect_problem(request_json(app(), "POST", "/auth/refresh", {{"refresh_token", access}}),
                   401,
                   "invalid_refresh_token",
                   "an access token as refresh token");
    EXPECT_EQ(row_count(app(), "refresh_tokens"), tokens_before) << "nothing rotated";
    EXPECT_EQ(request_json(app(), "POST", "/auth/refresh", {{"refresh_token", refresh}}).status,
              200)
        << "the genuine refresh token was not spent by the attempts";
}

TEST_F(Authentication, TokensAreReadOnlyFromTheAuthorizationHeader) {
    const json frank = customer("frank");
    const std::string access = frank.at("access_token");
    const std::vector<Call> elsewhere = {
        {"GET", "/user/me?access_token=" + access, "", "", {}},
        {"GET", "/user/me?token=" + access, "", "", {}},
        {"GET", "/user/me", "", "", {{"Cookie", "access_token=" + access}}},
        {"GET", "/user/me", "", "", {{"X-Access-Token", access}}},
        {"GET", "/user/me", "", "", {{"Authorization", "bearer " + access}}},
        {"GET", "/user/me", "", "", {{"Authorization", "Token " + access}}},
        {"GET", "/user/me", "", "", {{"Authorization", "Bearer  " + access}}},
        {"GET", "/user/me", "", "", {{"Authorization", "Bearer " + access + ".x"}}},
    };
    for (const Call& call : elsewhere) {
        const auto answer = send(app(), call);
        const std::string where = call.headers.empty() ? "" : " " + call.headers.begin()->first;
        expect_problem(answer, 401, "unauthorized", call.path + where);
    }
}

TEST_F(Authentication, ForgedAndExpiredTokensDoNothingOnWrites) {
    const json grace = customer("grace");
    json admin_claims = grace.at("claims");
    admin_claims["role"] = "admin";
    const std::string none =
        base64url(R"({"alg":"none"})") + "." + base64url(admin_claims.dump()) + ".";
    expect_writes_refused(none, grace, "unauthorized", "alg none");
    const std::string other = mint(hs256(), grace.at("claims"), std::string(32, 'k'));
    expect_writes_refused(other, grace, "unauthorized", "another key");
    json longer = grace.at("claims");
    longer["exp"] = now() + 86'400;
    const std::string genuine = grace.at("access_token");
    const std::string head_and_sig = genuine.substr(0, genuine.find('.'));
    expect_writes_refused(
        head_and_sig + "." + base64url(longer.dump()) + genuine.substr(genuine.rfind('.')),
        grace,
        "unauthorized",
        "expiry extended");

    app().clock().advance(std::chrono::seconds(15 * 60));
    expect_writes_refused(genuine, grace, "token_expired", "expired");
    const auto refreshed = request_json(
        app(), "POST", "/auth/refresh", {{"refresh_token", grace.at("refresh_token")}});
    EXPECT_EQ(refreshed.status, 200) << "the session itself lives on: " << refreshed.raw;
}

// After logout, a password change made in another session, and account closure: the old
// access token does nothing and the old refresh token no longer rotates.
TEST_F(Authentication, RevokedSessionsDoNothing) {
    const json henry = customer("henry");
    const json second = login(app(), "henry", kTestPassword).body;
    const json third = login(app(), "henry", kTestPassword).body;
    const json fourth = login(app(), "henry", kTestPassword).body;
    ASSERT_EQ(
        request_json(app(), "POST", "/auth/logout", nullptr, second.at("access_token")).status,
        204);
    expect_writes_refused(second.at("access_token"), henry, "unauthorized", "after logout");

    const auto changed = request_json(
        app(),
        "POST",
        "/auth/password",
        {{"current_password", kTestPassword}, {"new_password", "a fresh long passphrase 77"}},
        henry.at("access_token"));
    ASSERT_EQ(changed.status, 204) << changed.raw;
    expect_writes_refused(
        third.at("access_token"), henry, "unauthorized", "after a password change");

    expect_writes_refused(
        fourth.at("access_token"), henry, "unauthorized", "after a password change");
    ASSERT_EQ(request_json(app(), "DELETE", "/user/me", nullptr, henry.at("access_token")).status,
              204);
    expect_writes_refused(henry.at("access_token"), henry, "unauthorized", "the closing session");

    const auto tokens_before = row_count(app(), "refresh_tokens");
    for (const json* session : {&henry, &second, &third, &fourth}) {
        const auto refreshed = request_json(
            app(), "POST", "/auth/refresh", {{"refresh_token", session->at("refresh_token")}});
        expect_problem(
            refreshed, 401, "invalid_refresh_token", "a revoked session's refresh token");
    }
    EXPECT_EQ(row_count(app(), "refresh_tokens"), tokens_before);
    expect_problem(
        login(app(), "henry", "a fresh long passphrase 77"), 401, "invalid_credentials", "closed");
}

}  // namespace
}  // namespace gw::test::security
