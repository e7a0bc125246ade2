// The web UIs as the real wiring serves them (GOLDWALLET_WEB_DIR's default, the checkout's
// web/): the wallet at "/" and the console at "/admin/", each page with the strict page policy
// and the security headers, the API with a policy that allows nothing; "/admin" redirects;
// revalidation by ETag; nothing outside the allow-list is served, whatever the path. The pages
// themselves are checked for what the policy forbids: inline script, handlers and styles.

#include <regex>

#include <gtest/gtest.h>

#include "http/middleware/security_headers.hpp"
#include "support/app_fixture.hpp"

namespace gw::test {
namespace {

class WebUi : public ::testing::Test {
protected:
    httplib::Result get(const std::string& path, const httplib::Headers& headers = {}) {
        httplib::Client client = app_.client();
        return client.Get(path, headers);
    }

    static void expect_security_headers(const httplib::Response& response,
                                        std::string_view policy) {
        EXPECT_EQ(response.get_header_value("Content-Security-Policy"), policy);
        EXPECT_EQ(response.get_header_value_count("Content-Security-Policy"), 1u);
        EXPECT_EQ(response.get_header_value("X-Content-Type-Options"), "nosniff");
        EXPECT_EQ(response.get_header_value("X-Frame-Options"), "DENY");
        EXPECT_EQ(response.get_header_value("Referrer-Policy"), "no-referrer");
        EXPECT_EQ(response.get_header_value("Cross-Origin-Opener-Policy"), "same-origin");
        EXPECT_FALSE(response.get_header_value("Permissions-Policy").empty());
    }

    RunningApp app_;
};

TEST_F(WebUi, ServesBothPagesWithThePagePolicy) {
    for (const char* page : {"/", "/admin/"}) {
        auto result = get(page);
        ASSERT_TRUE(result) << page;
        EXPECT_EQ(result->status, 200) << page;
        EXPECT_EQ(result->get_header_value("Content-Type"), "text/html; charset=utf-8");
        EXPECT_EQ(result->get_header_value("Cache-Control"), "no-cache");
        expect_security_headers(*result, http::kPageContentSecurityPolicy);
        EXPECT_NE(result->body.find("<!doctype html>"), std::string::npos) << page;
    }
    for (const char* script : {"/app.js", "/admin/app.js", "/common/api.js"}) {
        auto result = get(script);
        ASSERT_TRUE(result) << script;
        EXPECT_EQ(result->status, 200) << script;
        EXPECT_EQ(result->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
    }
}

TEST_F(WebUi, ApiAnswersCarryAPolicyThatAllowsNothing) {
    for (const char* path : {"/healthz", "/prices/current", "/user/me", "/no/such/route"}) {
        auto result = get(path);
        ASSERT_TRUE(result) << path;
        expect_security_headers(*result, http::kApiContentSecurityPolicy);
    }
}

TEST_F(WebUi, HeadAnswersWithTheHeadersAlone) {
    httplib::Client client = app_.client();
    auto result = client.Head("/admin/");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
    EXPECT_TRUE(result->body.empty());
    EXPECT_FALSE(result->get_header_value("ETag").empty());
    expect_security_headers(*result, http::kPageContentSecurityPolicy);
}

TEST_F(WebUi, TransportErrorsCarryTheHeadersToo) {
    httplib::Client client = app_.client();
    const std::string too_large(12u << 20, 'x');  // over every route's limit: the transport's 413
    auto result = client.Post("/auth/login", too_large, "application/json");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 413);
    expect_security_headers(*result, http::kApiContentSecurityPolicy);
}

TEST_F(WebUi, AdminWithoutSlashRedirects) {
    auto result = get("/admin");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 308);
    EXPECT_EQ(result->get_header_value("Location"), "/admin/");
}

TEST_F(WebUi, RevalidatesByEtag) {
    auto first = get("/common/api.js");
    ASSERT_TRUE(first);
    const std::string etag = first->get_header_value("ETag");
    ASSERT_FALSE(etag.empty());
    auto again = get("/common/api.js", {{"If-None-Match", etag}});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304);
    EXPECT_TRUE(again->body.empty());
    auto changed = get("/common/api.js", {{"If-None-Match", "\"other\""}});
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->status, 200);
}

TEST_F(WebUi, ServesNothingOutsideTheAllowList) {
    for (const char* path : {"/../README.md",
                             "/admin/../../Makefile",
                             "/%2e%2e/README.md",
                             "/common/..%2f..%2fREADME.md",
                             "/.gitignore",
                             "/admin/.hidden.js",
                             "/web/wallet/app.js",
                             "/wallet/app.js",
                             "/admin/app.js.map",
                             "/index.html/",
                             "/CMakeLists.txt",
                             "/node_modules/x.js"}) {
        auto result = get(path);
        ASSERT_TRUE(result) << path;
        EXPECT_EQ(result->status, 404) << path;
        EXPECT_EQ(result->get_header_value("Content-Type"), "application/problem+json") << path;
    }
    httplib::Client client = app_.client();
    auto posted = client.Post("/", "x", "text/plain");
    ASSERT_TRUE(posted);
    EXPECT_EQ(posted->status, 404);
}

TEST_F(WebUi, PagesHaveNoInlineScriptHandlersOrStyles) {
    const std::regex inline_script(R"(<script(?![^>]*\bsrc=)[^>]*>)", std::regex::icase);
    const std::regex handler(R"(<[^>]+\son[a-z]+\s*=)", std::regex::icase);
    const std::regex style(R"(<style\b|<[^>]+\sstyle\s*=)", std::regex::icase);
    const std::regex foreign(R"(\b(src|href)\s*=\s*"(https?:)?//)", std::regex::icase);
    for (const char* page : {"/", "/admin/"}) {
        auto result = get(page);
        ASSERT_TRUE(result) << page;
        EXPECT_FALSE(std::regex_search(result->body, inline_script)) << page;
        EXPECT_FALSE(std::regex_search(result->body, handler)) << page;
        EXPECT_FALSE(std::regex_search(result->body, style)) << page;
        EXPECT_FALSE(std::regex_search(result->body, foreign)) << page;
        EXPECT_NE(result->body.find(R"(type="module")"), std::string::npos) << page;
    }
}

}  // namespace
}  // namespace gw::test
