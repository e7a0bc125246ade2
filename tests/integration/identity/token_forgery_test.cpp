// Proves that only genuine, live access tokens get through, and only to the routes their role
// allows: hand-built alg "none" tokens, tokens signed with another key, tampered payloads and
// signatures, revoked sessions, garbage and non-Bearer headers all get 401; a user on every admin
// route gets 403 (and changes nothing); a kyc_reviewer reaches only the KYC routes.

#include <optional>

#include <gtest/gtest.h>

#include "identity/jwt.hpp"
#include "identity/secret_key.hpp"
#include "support/app_fixture.hpp"
#include "support/base64_text.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test {
namespace {

using nlohmann::json;

struct JwtParts {
    std::string header;
    std::string payload;
    std::string signature;
};

JwtParts split(const std::string& token) {
    const auto first = token.find('.');
    const auto second = token.find('.', first + 1);
    return {token.substr(0, first),
            token.substr(first + 1, second - first - 1),
            token.substr(second + 1)};
}

json claims_of(const std::string& token) {
    const auto payload = from_base64url(split(token).payload);
    EXPECT_TRUE(payload.has_value()) << "not base64url: " << token;
    return json::parse(payload.value_or("null"));
}

// GET `path` with the Authorization header set to `authorization` (none when nullopt).
JsonResponse get_with_authorization(const RunningApp& app,
                                    const std::string& path,
                                    const std::optional<std::string>& authorization) {
    httplib::Client client = app.client();
    httplib::Headers headers;
    if (authorization) {
        headers.emplace("Authorization", *authorization);
    }
    return to_json_response(client.Get(path.c_str(), headers), "GET " + path);
}

void expect_unauthorized(const RunningApp& app,
                         const std::string& what,
                         const std::optional<std::string>& authorization) {
    const auto response = get_with_authorization(app, "/user/me", authorization);
    EXPECT_EQ(response.status, 401) << what << ": " << response.raw;
    EXPECT_EQ(response.body.value("code", ""), "unauthorized") << what;
    EXPECT_EQ(header_of(response, "WWW-Authenticate"), "Bearer") << what;
}

TEST(TokenForgery, HandBuiltAndTamperedTokensAreAllRefused) {
    RunningApp app;
    const json user = register_and_login(app, "mallory");
    const std::string genuine = user.at("access_token");
    ASSERT_EQ(get_with_authorization(app, "/user/me", "Bearer " + genuine).status, 200)
        << "control: the genuine token works";
    const JwtParts parts = split(genuine);
    json claims = claims_of(genuine);
    ASSERT_EQ(claims.at("role"), "user");
    ASSERT_EQ(claims.at("iss"), "goldwallet");

    const std::string none_header = base64url(R"({"alg":"none","typ":"JWT"})");
    json admin_claims = claims;
    admin_claims["role"] = "admin";
    const std::string admin_payload = base64url(admin_claims.dump());
    expect_unauthorized(
        app, "alg none, trailing dot", "Bearer " + none_header + "." + admin_payload + ".");
    expect_unauthorized(
        app, "alg none, no trailing dot", "Bearer " + none_header + "." + admin_payload);
    expect_unauthorized(app,
                        "alg none, genuine payload and signature",
                        "Bearer " + none_header + "." + parts.payload + "." + parts.signature);
    expect_unauthorized(app,
                        "alg HS512 header on an HS256 signature",
                        "Bearer " + base64url(R"({"alg":"HS512","typ":"JWT"})") + "." +
                            parts.payload + "." + parts.signature);

    const identity::JwtCodec other_key(identity::SecretKey::random());
    const identity::AccessClaims same_claims{
        claims.at("sub"), "user", claims.at("sid"), claims.at("iat"), claims.at("exp")};
    expect_unauthorized(app, "signed with another key", "Bearer " + other_key.sign(same_claims));

    expect_unauthorized(app,
                        "payload changed to admin, signature kept",
                        "Bearer " + parts.header + "." + admin_payload + "." + parts.signature);
    json longer = claims;
    longer["exp"] = claims.at("exp").get<std::int64_t>() + 86'400;
    expect_unauthorized(
        app,
        "expiry extended, signature kept",
        "Bearer " + parts.header + "." + base64url(longer.dump()) + "." + parts.signature);
    std::string flipped = parts.signature;
    flipped[0] = flipped[0] == 'A' ? 'B' : 'A';
    expect_unauthorized(
        app, "signature changed", "Bearer " + parts.header + "." + parts.payload + "." + flipped);
    expect_unauthorized(
        app, "signature missing", "Bearer " + parts.header + "." + parts.payload + ".");

    expect_unauthorized(app, "garbage", "Bearer garbage");
    expect_unauthorized(app, "three garbage segments", "Bearer a.b.c");
    expect_unauthorized(app, "oversized", "Bearer " + std::string(5000, 'A'));
    expect_unauthorized(app, "no header", std::nullopt);
    expect_unauthorized(app, "empty bearer", "Bearer ");
    expect_unauthorized(app, "basic credentials", "Basic bWFsbG9yeTpwYXNzd29yZA==");
    expect_unauthorized(app, "token without scheme", genuine);

    // The same forged admin token is also refused where an admin role would matter.
    const auto forged_admin = get_with_authorization(
        app, "/admin/audit", "Bearer " + none_header + "." + admin_payload + ".");
    EXPECT_EQ(forged_admin.status, 401) << forged_admin.raw;
    EXPECT_EQ(forged_admin.body.value("code", ""), "unauthorized");
}

TEST(TokenForgery, ATokenOfARevokedSessionIsRefused) {
    RunningApp app;
    const json user = register_and_login(app, "oscar");
    const std::string token = user.at("access_token");
    ASSERT_EQ(request_json(app, "POST", "/auth/logout", nullptr, token).status, 204);
    expect_unauthorized(app, "revoked session", "Bearer " + token);
}

// Every admin route, with a body where it takes one, for `user_id` and its document.
struct AdminCall {
    std::string method;
    std::string path;
    json body;
};

std::vector<AdminCall> admin_routes(const std::string& user_id, const std::string& document_id) {
    return {
        {"GET", "/admin/kyc?status=pending", nullptr},
        {"GET", "/admin/kyc/" + user_id + "/documents/" + document_id, nullptr},
        {"POST", "/admin/kyc/" + user_id + "/decision", {{"status", "verified"}}},
        {"GET", "/admin/audit", nullptr},
        {"GET", "/admin/limits", nullptr},
        {"PUT",
         "/admin/limits",
         {{"kyc_status", "pending"},
          {"side", "buy"},
          {"per_trade_kes", "999999.00"},
          {"per_day_kes", "999999.00"},
          {"reason", "self-service"}}},
    };
}

TEST(TokenForgery, AUserTokenIsForbiddenOnEveryAdminRouteAndChangesNothing) {
    RunningApp app;
    const json user = user_with_documents(app, "trudy");
    const std::string user_id = user.at("user_id");
    const auto audit_before = row_count(app, "audit_log");
    const std::string limits_before = app.query(
        "SELECT string_agg(per_trade_cents || '/' || per_day_cents, ',' "
        "ORDER BY kyc_status, side) FROM trade_limits");

    for (const AdminCall& call : admin_routes(user_id, user.at("documents").at("id_front"))) {
        const auto response =
            request_json(app, call.method, call.path, call.body, user.at("access_token"));
        EXPECT_EQ(response.status, 403) << call.method << " " << call.path << ": " << response.raw;
        EXPECT_EQ(response.body.value("code", ""), "forbidden") << call.method << " " << call.path;
    }
    EXPECT_EQ(app.query("SELECT kyc_status FROM users WHERE id = '" + user_id + "'"), "pending");
    EXPECT_EQ(row_count(app, "audit_log"), audit_before) << "not even a document view is logged";
    EXPECT_EQ(app.query("SELECT string_agg(per_trade_cents || '/' || per_day_cents, ',' "
                        "ORDER BY kyc_status, side) FROM trade_limits"),
              limits_before);
}

TEST(TokenForgery, AdminRoutesWithoutATokenAreUnauthorized) {
    RunningApp app;
    const json user = user_with_documents(app, "walter");
    for (const AdminCall& call :
         admin_routes(user.at("user_id"), user.at("documents").at("id_back"))) {
        const auto response = request_json(app, call.method, call.path, call.body);
        EXPECT_EQ(response.status, 401) << call.method << " " << call.path << ": " << response.raw;
        EXPECT_EQ(response.body.value("code", ""), "unauthorized")
            << call.method << " " << call.path;
    }
    EXPECT_EQ(app.query("SELECT kyc_status FROM users WHERE username = 'walter'"), "pending");
}

TEST(TokenForgery, AKycReviewerReachesTheKycRoutesButNotAuditOrLimits) {
    RunningApp app;
    const json user = user_with_documents(app, "victor");
    const std::string reviewer =
        staff_login(app, "reviewer", identity::Role::kyc_reviewer).at("access_token");
    const std::string treasurer =
        staff_login(app, "treasurer", identity::Role::treasury).at("access_token");

    const auto queue = request_json(app, "GET", "/admin/kyc?status=pending", nullptr, reviewer);
    EXPECT_EQ(queue.status, 200) << queue.raw;
    const auto document =
        request_json(app,
                     "GET",
                     "/admin/kyc/" + user.at("user_id").get<std::string>() + "/documents/" +
                         user.at("documents").at("selfie").get<std::string>(),
                     nullptr,
                     reviewer);
    EXPECT_EQ(document.status, 200) << document.raw;

    for (const AdminCall& call :
         admin_routes(user.at("user_id"), user.at("documents").at("selfie"))) {
        if (call.path.starts_with("/admin/kyc")) {
            continue;
        }
        const auto response = request_json(app, call.method, call.path, call.body, reviewer);
        EXPECT_EQ(response.status, 403) << call.method << " " << call.path << ": " << response.raw;
        EXPECT_EQ(response.body.value("code", ""), "forbidden") << call.method << " " << call.path;
    }
    const auto treasury_queue = request_json(app, "GET", "/admin/kyc", nullptr, treasurer);
    EXPECT_EQ(treasury_queue.status, 403) << "treasury does not review KYC";
    EXPECT_EQ(treasury_queue.body.value("code", ""), "forbidden");
    EXPECT_EQ(app.query("SELECT per_trade_cents FROM trade_limits "
                        "WHERE kyc_status = 'pending' AND side = 'buy'"),
              "500000");
}

}  // namespace
}  // namespace gw::test
