// Proves that GET /openapi.json (src/http/openapi.json, compiled in) is the contract of the
// server: it documents every route in the real Application's route table and nothing else, with
// the same path parameters, body media type, security and roles; its Problem schema lists every
// ErrorCode under the status problem.cpp maps it to; every "$ref" resolves; and live responses
// of a running node conform to the schemas documented for them (tests/support/json_schema_check).

#include "http/openapi.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "http/problem.hpp"
#include "support/app_fixture.hpp"
#include "support/json_schema_check.hpp"

namespace gw::test {
namespace {

using Json = nlohmann::json;

const std::set<std::string> kHttpMethods = {
    "get", "put", "post", "delete", "options", "head", "patch", "trace"};

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return text;
}

std::string name_of(const http::Route& route) {
    return route.method + " " + route.pattern;
}

std::string header(const httplib::Headers& headers, const std::string& name) {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
}

bool array_contains(const Json& array, const Json& value) {
    return array.is_array() && std::find(array.begin(), array.end(), value) != array.end();
}

// The names of the `{name}` parameters of a route pattern.
std::set<std::string> pattern_parameters(const std::string& pattern) {
    std::set<std::string> names;
    const std::regex parameter(R"(\{([^}/]+)\})");
    for (auto it = std::sregex_iterator(pattern.begin(), pattern.end(), parameter);
         it != std::sregex_iterator();
         ++it) {
        names.insert((*it)[1].str());
    }
    return names;
}

std::string media_type_of(http::BodyKind body) {
    switch (body) {
        case http::BodyKind::none:
            return "";
        case http::BodyKind::json:
            return "application/json";
        case http::BodyKind::multipart:
            return "multipart/form-data";
        case http::BodyKind::csv:
            return "text/csv";
    }
    return "";
}

// Follows a local "$ref" (one level is all the document uses for responses and parameters); a
// "$ref" that does not resolve gives null (EveryRefResolves names it).
const Json& follow(const Json& document, const Json& node) {
    static const Json kNull;
    if (!node.is_object() || !node.contains("$ref")) {
        return node;
    }
    const std::string ref = node.at("$ref").get<std::string>();
    if (!ref.starts_with("#/")) {
        return kNull;
    }
    const Json::json_pointer pointer(ref.substr(1));
    return document.contains(pointer) ? document.at(pointer) : kNull;
}

std::string lines_of(const std::vector<std::string>& items) {
    std::string text;
    for (const std::string& item : items) {
        text += "  " + item + "\n";
    }
    return text;
}

class OpenApiTest : public ::testing::Test {
protected:
    // One node for the suite. What /prices/current answers before the first price is recorded
    // here, before any test can set one.
    static void SetUpTestSuite() {
        app_ = std::make_unique<RunningApp>();
        document_ = std::make_unique<const Json>(Json::parse(http::openapi_document()));
        no_price_ = std::make_unique<JsonResponse>(request_json(*app_, "GET", "/prices/current"));
        admin_token_ =
            staff_login(*app_, "shape_admin", identity::Role::admin).value("access_token", "");
        const Json price = {{"buy_price_per_gram", "8500.00"}, {"sell_price_per_gram", "8200.00"}};
        first_price_ = std::make_unique<JsonResponse>(
            request_json(*app_, "POST", "/prices", price, admin_token_));
    }
    static void TearDownTestSuite() {
        no_price_.reset();
        first_price_.reset();
        app_.reset();
    }

    static const Json& document() { return *document_; }

    static const std::vector<http::Route>& routes() {
        return app_->application().router().routes();
    }

    // The operation documented for `route`, or nullptr.
    static const Json* operation(const http::Route& route) {
        const Json& paths = document().at("paths");
        const std::string method = lowercase(route.method);
        if (!paths.contains(route.pattern) || !paths.at(route.pattern).contains(method)) {
            return nullptr;
        }
        return &paths.at(route.pattern).at(method);
    }

    // Checks `response` has `status` and conforms to what the document says `method pattern`
    // answers with that status.
    static void expect_documented(const std::string& method,
                                  const std::string& pattern,
                                  int status,
                                  const JsonResponse& response) {
        const std::string what = method + " " + pattern + " → " + std::to_string(status);
        ASSERT_EQ(response.status, status) << what << ": " << response.raw;
        const Json& paths = document().at("paths");
        ASSERT_TRUE(paths.contains(pattern) && paths.at(pattern).contains(lowercase(method)))
            << method << " " << pattern << " is not documented";
        const Json& responses = paths.at(pattern).at(lowercase(method)).at("responses");
        ASSERT_TRUE(responses.contains(std::to_string(status))) << what << " is not documented";
        const Json& documented = follow(document(), responses.at(std::to_string(status)));
        const std::string content_type = header(response.headers, "Content-Type");
        ASSERT_TRUE(documented.contains("content") &&
                    documented.at("content").contains(content_type))
            << what << ": media type " << content_type << " is not documented";
        const auto violations = schema_violations(
            document(), documented.at("content").at(content_type).at("schema"), response.body);
        EXPECT_TRUE(violations.empty()) << what << " breaks its schema:\n"
                                        << lines_of(violations) << response.raw;
    }

    // Sends a request and checks its answer as expect_documented does; returns the answer.
    static JsonResponse check(const std::string& method,
                              const std::string& pattern,
                              int status,
                              const std::string& path,
                              const Json& body = nullptr,
                              const std::string& token = {},
                              const httplib::Headers& extra_headers = {}) {
        JsonResponse response;
        if (method == "PATCH") {  // request_json knows GET, POST, PUT and DELETE
            httplib::Headers headers = extra_headers;
            headers.emplace("Authorization", "Bearer " + token);
            response = to_json_response(
                app_->client().Patch(path, headers, body.dump(), "application/json"), path);
        } else {
            response = request_json(*app_, method, path, body, token, extra_headers);
        }
        expect_documented(method, pattern, status, response);
        return response;
    }

    // Creates a pool of 100 g as the suite's admin; returns its id.
    static std::string create_pool(const std::string& name) {
        const Json pool = {{"name", name}, {"total_grams", "100.000000"}, {"purity", "999.9"}};
        return check("POST", "/pools", 201, "/pools", pool, admin_token_).body.value("id", "");
    }

    static std::unique_ptr<RunningApp> app_;
    static std::unique_ptr<const Json> document_;  // const: a lookup never inserts
    static std::string admin_token_;
    static std::unique_ptr<JsonResponse> no_price_;     // GET /prices/current before any price
    static std::unique_ptr<JsonResponse> first_price_;  // POST /prices, the first price
};

std::unique_ptr<RunningApp> OpenApiTest::app_;
std::unique_ptr<const Json> OpenApiTest::document_;
std::string OpenApiTest::admin_token_;
std::unique_ptr<JsonResponse> OpenApiTest::no_price_;
std::unique_ptr<JsonResponse> OpenApiTest::first_price_;

TEST_F(OpenApiTest, ServesTheDocumentAsJson) {
    const JsonResponse response = request_json(*app_, "GET", "/openapi.json");
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(header(response.headers, "Content-Type"), "application/json");
    EXPECT_EQ(response.raw, std::string(http::openapi_document()));
    ASSERT_TRUE(response.body.is_object()) << "the served document does not parse";
    EXPECT_TRUE(response.body.value("openapi", "").starts_with("3.1"))
        << response.body.value("openapi", "");
    EXPECT_EQ(response.body["info"].value("title", ""), "Gold Wallet API");
}

TEST_F(OpenApiTest, EveryRouteIsDocumented) {
    ASSERT_FALSE(routes().empty());
    for (const http::Route& route : routes()) {
        EXPECT_NE(operation(route), nullptr)
            << name_of(route) << " is in the route table but not in src/http/openapi.json";
    }
}

TEST_F(OpenApiTest, EveryDocumentedOperationIsRouted) {
    std::size_t operations = 0;
    for (const auto& [pattern, item] : document().at("paths").items()) {
        for (const auto& [key, ignored] : item.items()) {
            if (kHttpMethods.count(key) == 0) {
                continue;
            }
            ++operations;
            const bool routed =
                std::any_of(routes().begin(), routes().end(), [&](const http::Route& route) {
                    return route.pattern == pattern && lowercase(route.method) == key;
                });
            EXPECT_TRUE(routed) << lowercase(key) << " " << pattern
                                << " is documented in src/http/openapi.json but no route serves it";
        }
    }
    EXPECT_EQ(operations, routes().size());
}

TEST_F(OpenApiTest, OperationsMatchTheirRoutes) {
    for (const http::Route& route : routes()) {
        const Json* op = operation(route);
        if (op == nullptr) {
            continue;  // EveryRouteIsDocumented names it
        }
        SCOPED_TRACE(name_of(route));
        std::set<std::string> declared;
        const Json& path_item = document().at("paths").at(route.pattern);
        for (const Json* parameters : {&path_item, op}) {
            for (const Json& parameter : parameters->value("parameters", Json::array())) {
                const Json& resolved = follow(document(), parameter);
                if (resolved.value("in", "") == "path") {
                    declared.insert(resolved.value("name", ""));
                    EXPECT_EQ(resolved.value("required", false), true) << resolved.dump();
                }
            }
        }
        EXPECT_EQ(declared, pattern_parameters(route.pattern));

        const std::string media = media_type_of(route.body);
        EXPECT_EQ(op->contains("requestBody"), !media.empty());
        if (op->contains("requestBody") && !media.empty()) {
            const Json& content = op->at("requestBody").at("content");
            EXPECT_EQ(content.size(), 1u);
            EXPECT_TRUE(content.contains(media)) << content.dump();
        }

        ASSERT_TRUE(op->contains("security") && op->at("security").is_array())
            << "no security stated";
        const bool anyone = route.access.kind == http::Access::Kind::anyone;
        EXPECT_EQ(op->at("security").empty(), anyone);
        if (!anyone) {
            EXPECT_EQ(op->at("security"), Json::parse(R"([{"bearer": []}])"));
        }
        if (route.access.kind == http::Access::Kind::roles) {
            std::set<std::string> roles;
            for (identity::Role role : route.access.roles) {
                roles.insert(std::string(identity::to_string(role)));
            }
            EXPECT_EQ(op->value("x-roles", Json::array()).get<std::set<std::string>>(), roles);
        } else {
            EXPECT_FALSE(op->contains("x-roles")) << "x-roles on a route open to every caller";
        }

        bool success = false;
        for (const auto& [status, response] : op->at("responses").items()) {
            success = success || status.starts_with("2");
        }
        EXPECT_TRUE(success) << "no 2xx response";
    }
}

TEST_F(OpenApiTest, ProblemCodesAreExactlyTheErrorCodesUnderTheirStatuses) {
    std::set<std::string> codes;
    for (int i = 0; i <= static_cast<int>(kLastErrorCode); ++i) {
        codes.insert(std::string(to_string(static_cast<ErrorCode>(i))));
    }
    const Json& code_enum =
        document().at(Json::json_pointer("/components/schemas/Problem/properties/code/enum"));
    EXPECT_EQ(code_enum.size(), codes.size()) << "the Problem code enum repeats or misses codes";
    EXPECT_EQ(code_enum.get<std::set<std::string>>(), codes);

    // Each reusable problem response is one status and the codes that map to it.
    const Json& responses = document().at("components").at("responses");
    const Json::json_pointer status_const(
        "/content/application~1problem+json/schema/properties/status/const");
    const Json::json_pointer code_enum_of(
        "/content/application~1problem+json/schema/properties/code/enum");
    for (int i = 0; i <= static_cast<int>(kLastErrorCode); ++i) {
        const auto code = static_cast<ErrorCode>(i);
        const int status = http::http_status(code);
        const bool listed =
            std::any_of(responses.begin(), responses.end(), [&](const Json& response) {
                return response.contains(status_const) && response.at(status_const) == status &&
                       response.contains(code_enum_of) &&
                       array_contains(response.at(code_enum_of), to_string(code));
            });
        EXPECT_TRUE(listed) << to_string(code) << " (" << status
                            << ") is in no components.responses entry of that status";
    }

    // Every error an operation lists is the reusable response of that very status.
    for (const auto& [pattern, item] : document().at("paths").items()) {
        for (const auto& [method, op] : item.items()) {
            if (kHttpMethods.count(method) == 0) {
                continue;
            }
            for (const auto& [status, response] : op.at("responses").items()) {
                if (status.front() != '4' && status.front() != '5') {
                    continue;
                }
                ASSERT_TRUE(response.contains("$ref")) << method << " " << pattern << " " << status;
                const Json& shared = follow(document(), response);
                EXPECT_TRUE(shared.contains(status_const) &&
                            shared.at(status_const) == std::stoi(status))
                    << method << " " << pattern << " " << status << " refers to "
                    << response.at("$ref");
            }
        }
    }
}

// Collects every "$ref" under `node` with where it is.
void collect_refs(const Json& node,
                  const std::string& where,
                  std::vector<std::pair<std::string, std::string>>& refs) {
    if (node.is_object()) {
        for (const auto& [key, value] : node.items()) {
            if (key == "$ref" && value.is_string()) {
                refs.emplace_back(where, value.get<std::string>());
            } else {
                collect_refs(value, where + "/" + key, refs);
            }
        }
    } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i) {
            collect_refs(node[i], where + "/" + std::to_string(i), refs);
        }
    }
}

TEST_F(OpenApiTest, EveryRefResolves) {
    std::vector<std::pair<std::string, std::string>> refs;
    collect_refs(document(), "", refs);
    ASSERT_FALSE(refs.empty());
    for (const auto& [where, ref] : refs) {
        bool resolves = false;
        if (ref.starts_with("#/")) {
            try {
                resolves = document().contains(Json::json_pointer(ref.substr(1)));
            } catch (const Json::exception&) {
                resolves = false;
            }
        }
        EXPECT_TRUE(resolves) << where << ": $ref " << ref << " does not resolve";
    }
}

TEST_F(OpenApiTest, LiveIdentityResponsesMatchTheirSchemas) {
    const std::string password = "correct horse battery staple";
    const Json registration = {{"username", "shape_checker"},
                               {"email", "shape@example.com"},
                               {"phone", "0712345678"},
                               {"password", password}};
    check("POST", "/auth/register", 201, "/auth/register", registration);
    const Json credentials = {{"username", "shape_checker"}, {"password", password}};
    const std::string token = check("POST", "/auth/login", 200, "/auth/login", credentials)
                                  .body.value("access_token", "");
    check("GET", "/user/me", 200, "/user/me", nullptr, token);
    check("GET", "/user/me/export", 200, "/user/me/export", nullptr, token);
    check("GET", "/user/limits", 200, "/user/limits", nullptr, token);
    check("GET", "/user/kyc/status", 200, "/user/kyc/status", nullptr, token);
    check("GET", "/user/balance", 200, "/user/balance", nullptr, token);
    check("GET", "/trade/{id}", 404, "/trade/7d9f2a3c-1111-4c2b-9a0e-5b1d2c3e4f50", nullptr, token);
    check("GET", "/user/me", 401, "/user/me");
    check("POST", "/auth/login", 400, "/auth/login", Json::object());
    check("GET", "/healthz", 200, "/healthz");
    check("GET", "/readyz", 200, "/readyz");
    check("POST", "/hooks/lnm/{token}", 200, "/hooks/lnm/not-a-token", Json::object());
}

TEST_F(OpenApiTest, LivePriceAndPoolResponsesMatchTheirSchemas) {
    expect_documented("GET", "/prices/current", 503, *no_price_);
    expect_documented("POST", "/prices", 201, *first_price_);
    check("GET", "/prices/current", 200, "/prices/current");
    check("GET", "/prices/history", 200, "/prices/history");
    const std::string pool_id = create_pool("Shape vault");
    check("GET", "/pools", 200, "/pools", nullptr, admin_token_);
    check("GET", "/pools/{id}", 200, "/pools/" + pool_id, nullptr, admin_token_);
    check("POST",
          "/pools/{id}/topup",
          200,
          "/pools/" + pool_id + "/topup",
          {{"added_grams", "1.5"}},
          admin_token_);
    check("PATCH", "/pools/{id}", 200, "/pools/" + pool_id, {{"notes", "checked"}}, admin_token_);
    check("POST",
          "/pools/{id}/retire",
          200,
          "/pools/" + pool_id + "/retire",
          Json::object(),
          admin_token_);
    check("GET", "/admin/dashboard", 200, "/admin/dashboard", nullptr, admin_token_);
    check("GET", "/admin/audit", 200, "/admin/audit", nullptr, admin_token_);
    check("GET", "/admin/limits", 200, "/admin/limits", nullptr, admin_token_);
    check("GET", "/admin/kyc", 200, "/admin/kyc", nullptr, admin_token_);

    const std::string user_token =
        register_and_login(*app_, "shape_quoter").value("access_token", "");
    check("POST",
          "/trade/quote",
          201,
          "/trade/quote",
          {{"side", "buy"}, {"amount_kes", "1500"}},
          user_token);
    check("GET", "/pools", 403, "/pools", nullptr, user_token);
}

TEST_F(OpenApiTest, LiveLedgerSellAndQueueResponsesMatchTheirSchemas) {
    create_pool("Shape ledger vault");
    const Json user = register_and_login(*app_, "shape_seller");
    const std::string token = user.value("access_token", "");
    check("POST",
          "/admin/adjustments",
          201,
          "/admin/adjustments",
          {{"user_id", user.value("user_id", "")},
           {"grams", "1.000000"},
           {"direction", "credit"},
           {"reason", "opening balance for the contract test"}},
          admin_token_,
          idempotency_key_header("shape-credit-1"));
    check("GET", "/user/ledger", 200, "/user/ledger", nullptr, token);
    check("GET", "/admin/ledger", 200, "/admin/ledger", nullptr, admin_token_);

    httplib::Headers headers = {{"Authorization", "Bearer " + token},
                                {"Idempotency-Key", "shape-sell-1"}};
    const Json order = {{"grams", "0.100000"}, {"payout_phone", user.value("phone", "")}};
    const JsonResponse sold = to_json_response(
        app_->client().Post("/trade/sell", headers, order.dump(), "application/json"), "sell");
    expect_documented("POST", "/trade/sell", 201, sold);
    const std::string trade_id = sold.body.value("trade_id", "");
    check("GET", "/trade/{id}", 200, "/trade/" + trade_id, nullptr, token);
    check("GET", "/user/trades", 200, "/user/trades", nullptr, token);
    check("GET", "/user/balance", 200, "/user/balance", nullptr, token);
    check("GET", "/admin/payouts", 200, "/admin/payouts", nullptr, admin_token_);
    check("POST",
          "/admin/payouts/{id}/fail",
          200,
          "/admin/payouts/" + sold.body.value("payout_id", "") + "/fail",
          {{"reason", "the number could not be paid"}},
          admin_token_);
    check("GET", "/user/notifications", 200, "/user/notifications", nullptr, token);

    const JsonResponse run = check("POST",
                                   "/admin/reconciliation/run",
                                   201,
                                   "/admin/reconciliation/run",
                                   Json::object(),
                                   admin_token_);
    const std::string run_id = run.body.contains("run") ? run.body["run"].value("run_id", "") : "";
    check("GET", "/admin/reconciliation", 200, "/admin/reconciliation", nullptr, admin_token_);
    check("GET",
          "/admin/reconciliation/{run_id}",
          200,
          "/admin/reconciliation/" + run_id,
          nullptr,
          admin_token_);
}

}  // namespace
}  // namespace gw::test
