// Proves, over real HTTP against a simulator on a free port, DARAJA.md §11 points 1 and 2:
// tokens carry "expires_in":"3599" and die after 3600 s of simulated time or when expired on
// demand, after which STK answers 404.001.03, B2C and balance 401.002.01 and status 400.003.01;
// bad auth type, grant and credentials answer 400.008.01/02 and an empty 400; every error form
// (content type, field, merchant, password, unknown path, wrong method) uses the Daraja
// envelope with the HTTP status of the code's first group; and the injected outages.

#include <gtest/gtest.h>

#include "raw_daraja.hpp"

namespace gw::test {
namespace {

class OauthAndErrors : public ::testing::Test {
protected:
    void expect_error(const Reply& reply,
                      int status,
                      const std::string& code,
                      const std::string& message) {
        EXPECT_EQ(reply.status, status) << reply.body;
        ASSERT_TRUE(reply.json.is_object()) << reply.body;
        EXPECT_EQ(reply.json["errorCode"], code);
        EXPECT_EQ(reply.json["errorMessage"], message);
        EXPECT_FALSE(reply.json.value("requestId", "").empty());
    }

    SimFixture sim_;
    CallbackReceiver receiver_;
    RawDaraja daraja_{sim_.base_url()};
};

TEST_F(OauthAndErrors, TokenShape) {
    const Reply reply = daraja_.oauth();
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(reply.json["expires_in"], "3599");
    EXPECT_EQ(reply.json["access_token"].get<std::string>().size(), 28U);
    EXPECT_EQ(reply.json.size(), 2U);
}

TEST_F(OauthAndErrors, OauthFailures) {
    const Reply wrong = daraja_.oauth("dev-key", "nope");
    EXPECT_EQ(wrong.status, 400);
    EXPECT_EQ(wrong.body, "");
    expect_error(daraja_.get("/oauth/v1/generate?grant_type=client_credentials",
                             {{"Authorization", "Bearer x"}}),
                 400,
                 "400.008.01",
                 "Invalid Authentication passed");
    expect_error(
        daraja_.get("/oauth/v1/generate?grant_type=password",
                    {{"Authorization", "Basic " + sim::base64_encode("dev-key:dev-secret")}}),
        400,
        "400.008.02",
        "Invalid grant type passed");
}

TEST_F(OauthAndErrors, TokenDiesAfterTheHourOfSimulatedTime) {
    const std::string token = daraja_.token();
    const nlohmann::json push = stk_body(kTestMsisdn, 10, receiver_.url("/cb"));
    sim_.simulator().advance_clock(std::chrono::seconds(3599));
    ASSERT_EQ(daraja_.stk_query("ws_CO_unknown", token).json["errorMessage"],
              "The transaction does not Exist");
    sim_.simulator().advance_clock(std::chrono::seconds(1));
    expect_error(daraja_.stk_push(push, token), 404, "404.001.03", "Invalid Access Token");
    expect_error(
        daraja_.stk_query("ws_CO_unknown", token), 404, "404.001.03", "Invalid Access Token");
    expect_error(daraja_.post_json("/mpesa/b2c/v3/paymentrequest", nlohmann::json::object(), token),
                 401,
                 "401.002.01",
                 "Error Occurred - Invalid Access Token - " + token);
    expect_error(
        daraja_.post_json("/mpesa/accountbalance/v1/query", nlohmann::json::object(), token),
        401,
        "401.002.01",
        "Error Occurred - Invalid Access Token - " + token);
    expect_error(
        daraja_.post_json("/mpesa/transactionstatus/v1/query", nlohmann::json::object(), token),
        400,
        "400.003.01",
        "Invalid Access Token");
    EXPECT_EQ(daraja_.stk_push(push, daraja_.token()).status, 200);  // a fresh token works
}

TEST_F(OauthAndErrors, ExpireTokensOnDemandOverTheControlApi) {
    const std::string token = daraja_.token();
    ASSERT_EQ(daraja_.post("/sim/tokens/expire", "", "").status, 200);
    expect_error(daraja_.stk_query("ws_CO_x", token), 404, "404.001.03", "Invalid Access Token");
    expect_error(daraja_.stk_query("ws_CO_x", ""), 404, "404.001.03", "Invalid Access Token");
}

TEST_F(OauthAndErrors, ClockAdvanceOverTheControlApi) {
    const std::string token = daraja_.token();
    const Reply advanced = daraja_.post("/sim/clock/advance", R"({"seconds":3600})", "");
    ASSERT_EQ(advanced.status, 200) << advanced.body;
    EXPECT_EQ(advanced.json["offset_seconds"], 3600);
    expect_error(daraja_.stk_query("ws_CO_x", token), 404, "404.001.03", "Invalid Access Token");
    EXPECT_EQ(daraja_.post("/sim/clock/advance", R"({"seconds":-1})", "").status, 400);
}

TEST_F(OauthAndErrors, RequestErrors) {
    const std::string token = daraja_.token();
    const std::string body = stk_body(kTestMsisdn, 10, receiver_.url("/cb")).dump();
    expect_error(daraja_.post("/mpesa/stkpush/v1/processrequest", body, token, "text/plain"),
                 400,
                 "400.002.02",
                 "Bad Request - Invalid BusinessShortCode");
    expect_error(daraja_.post("/mpesa/stkpush/v1/processrequest", "{not json", token),
                 400,
                 "400.002.02",
                 "Bad Request - Invalid BusinessShortCode");
    nlohmann::json bad_amount = stk_body(kTestMsisdn, 10, receiver_.url("/cb"));
    bad_amount["Amount"] = "100.00";
    expect_error(
        daraja_.stk_push(bad_amount, token), 400, "400.002.02", "Bad Request - Invalid Amount");
    nlohmann::json other_merchant = stk_body(kTestMsisdn, 10, receiver_.url("/cb"));
    other_merchant["BusinessShortCode"] = "600000";
    expect_error(
        daraja_.stk_push(other_merchant, token), 500, "500.001.1001", "Merchant does not exist");
    nlohmann::json wrong_password = stk_body(kTestMsisdn, 10, receiver_.url("/cb"));
    wrong_password["Timestamp"] = "20250301143006";
    expect_error(daraja_.stk_push(wrong_password, token), 500, "500.001.1001", "Wrong credentials");
    expect_error(
        daraja_.post("/mpesa/nothing/here", "{}", token), 404, "404.001.01", "Resource not found");
    expect_error(
        daraja_.get("/mpesa/stkpush/v1/processrequest"), 405, "405.001", "Method Not Allowed");
    EXPECT_TRUE(sim_.simulator().transactions().empty());  // nothing was stored
}

TEST_F(OauthAndErrors, NewTokenRevokesOldWhenConfigured) {
    SimFixture strict([](sim::SimulatorConfig& config) { config.new_token_revokes_old = true; });
    RawDaraja daraja(strict.base_url());
    const std::string first = daraja.token();
    const std::string second = daraja.token();
    expect_error(daraja.stk_query("ws_CO_x", first), 404, "404.001.03", "Invalid Access Token");
    EXPECT_EQ(daraja.stk_query("ws_CO_x", second).json["errorMessage"],
              "The transaction does not Exist");
    // …and by default both stay live.
    const std::string a = daraja_.token();
    const std::string b = daraja_.token();
    EXPECT_EQ(daraja_.stk_query("ws_CO_x", a).json["errorMessage"],
              "The transaction does not Exist");
    EXPECT_EQ(daraja_.stk_query("ws_CO_x", b).json["errorMessage"],
              "The transaction does not Exist");
}

TEST_F(OauthAndErrors, Outages) {
    const std::string token = daraja_.token();
    ASSERT_EQ(daraja_.post("/sim/outage", R"({"mode":"http_500"})", "").status, 200);
    expect_error(daraja_.oauth(), 500, "500.003.1001", "Internal Server Error");
    ASSERT_EQ(daraja_.post("/sim/outage", R"({"mode":"garbage"})", "").status, 200);
    const Reply garbage = daraja_.stk_query("ws_CO_x", token);
    EXPECT_EQ(garbage.status, 200);
    EXPECT_TRUE(garbage.json.is_discarded()) << garbage.body;
    ASSERT_EQ(daraja_.post("/sim/outage", R"({"mode":"refuse_all"})", "").status, 200);
    EXPECT_EQ(daraja_.stk_query("ws_CO_x", token).status, 0);  // no HTTP answer at all
    EXPECT_EQ(daraja_.get("/sim/transactions").status, 200);   // /sim is never affected
    ASSERT_EQ(daraja_.post("/sim/outage", R"({"mode":"slow","slow_ms":300})", "").status, 200);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(daraja_.stk_query("ws_CO_x", token).status, 500);
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(300));
    EXPECT_EQ(daraja_.post("/sim/outage", R"({"mode":"sideways"})", "").status, 400);
    ASSERT_EQ(daraja_.post("/sim/outage", R"({"mode":"none"})", "").status, 200);
    EXPECT_EQ(daraja_.stk_query("ws_CO_x", token).json["errorMessage"],
              "The transaction does not Exist");
}

}  // namespace
}  // namespace gw::test
