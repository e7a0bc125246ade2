// Proves that a callback which fails any check changes nothing and is still recorded: the
// right shape with a wrong token, the right token with a wrong amount, phone or
// CheckoutRequestID, a malformed body, a sender outside the allowlist, the seed's token-less
// path, and the replay of a callback that was already applied. Each is answered 200 like a
// genuine one (a forger learns nothing) and leaves an outcome row; none reaches the listener.

#include <gtest/gtest.h>

#include "mpesa_app_fixture.hpp"

namespace gw::test {
namespace {


// A genuine-looking success callback for `checkout`, paying `amount` from `phone`.
std::string stk_success_body(const std::string& checkout,
                             const std::string& amount,
                             const std::string& phone = kTestMsisdn) {
    return R"({"Body":{"stkCallback":{"MerchantRequestID":"6a1f-4c2d-8e3b-90f7d2a1c5e81234",)"
           R"("CheckoutRequestID":")" +
           checkout +
           R"(","ResultCode":0,)"
           R"("ResultDesc":"The service request is processed successfully.",)"
           R"("CallbackMetadata":{"Item":[{"Name":"Amount","Value":)" +
           amount +
           R"(},)"
           R"({"Name":"MpesaReceiptNumber","Value":"TC14XK2Q9P"},{"Name":"Balance"},)"
           R"({"Name":"TransactionDate","Value":20261118143041},)"
           R"({"Name":"PhoneNumber","Value":)" +
           phone + R"(}]}}}})";
}

class ForgedCallback : public ::testing::Test {
protected:
    // An STK Push whose prompt stays open, so only the test's own POSTs reach the node.
    void SetUp() override {
        ASSERT_TRUE(mpesa_.sim().simulator().set_stk_scenario(kTestMsisdn, sim::StkScenario::manual));
        id_ = mpesa_.push(250, kTestMsisdn);
        ASSERT_EQ(mpesa_.wait_for_status(id_, "accepted"), "accepted");
        checkout_ = mpesa_.column(id_, "checkout_request_id");
        const auto transactions = mpesa_.sim().simulator().transactions();
        ASSERT_EQ(transactions.size(), 1u);
        const std::string& url = transactions[0].callback_url;
        path_ = url.substr(url.find("/hooks/"));
    }

    httplib::Result post(const std::string& path, const std::string& body) {
        httplib::Client client = mpesa_.app().client();
        return client.Post(path.c_str(), body, "application/json");
    }

    void expect_untouched() {
        EXPECT_EQ(mpesa_.column(id_, "status"), "accepted");
        EXPECT_EQ(mpesa_.column(id_, "receipt"), "");
        EXPECT_EQ(mpesa_.listener().calls.load(), 0);
    }

    MpesaApp mpesa_;
    std::string id_;
    std::string checkout_;
    std::string path_;  // "/hooks/lnm/<token>"
};

TEST_F(ForgedCallback, TheRightShapeWithAWrongTokenIsRecordedAndIgnored) {
    auto answer = post("/hooks/lnm/not-the-token", stk_success_body(checkout_, "250.00"));
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200);
    EXPECT_EQ(answer->body, R"({"ResultCode":0,"ResultDesc":"Accepted"})");
    EXPECT_EQ(mpesa_.all_outcomes(), std::vector<std::string>{"unknown_token"});
    EXPECT_EQ(mpesa_.app().query("SELECT count(*) FROM webhook_events"), "1");
    expect_untouched();
}

TEST_F(ForgedCallback, TheRightTokenWithAWrongAmountIsAMismatch) {
    ASSERT_TRUE(post(path_, stk_success_body(checkout_, "1")));
    ASSERT_TRUE(post(path_, stk_success_body(checkout_, "250.01")));
    EXPECT_EQ(mpesa_.outcomes(id_), (std::vector<std::string>{"mismatch", "mismatch"}));
    expect_untouched();
}

TEST_F(ForgedCallback, TheRightTokenWithAnotherPhoneIsAMismatch) {
    ASSERT_TRUE(post(path_, stk_success_body(checkout_, "250", "254712345678")));
    EXPECT_EQ(mpesa_.outcomes(id_), std::vector<std::string>{"mismatch"});
    expect_untouched();
}

TEST_F(ForgedCallback, TheRightTokenWithAnUnknownCheckoutRequestIdIsAMismatch) {
    ASSERT_TRUE(post(path_, stk_success_body("ws_CO_18112026143006512708374149", "250")));
    EXPECT_EQ(mpesa_.outcomes(id_), std::vector<std::string>{"mismatch"});
    expect_untouched();
}

TEST_F(ForgedCallback, AMalformedBodyIsStoredAndFlagged) {
    const std::vector<std::string> bodies = {
        "",
        "not json",
        R"({"Body":{}})",
        R"({"Body":{"stkCallback":{"CheckoutRequestID":")" + checkout_ + R"(","ResultCode":0}}})"};
    for (const std::string& body : bodies) {
        auto answer = post(path_, body);
        ASSERT_TRUE(answer);
        EXPECT_EQ(answer->status, 200);
    }
    EXPECT_EQ(mpesa_.outcomes(id_), std::vector<std::string>(4, "malformed"));
    EXPECT_EQ(mpesa_.app().query("SELECT count(*) FROM webhook_events"), "4");
    expect_untouched();
}

TEST_F(ForgedCallback, TheSeedPathWithoutATokenIsRefused) {
    ASSERT_TRUE(post("/webhooks/mpesa/stk", stk_success_body(checkout_, "250")));
    EXPECT_EQ(mpesa_.all_outcomes(), std::vector<std::string>{"unknown_token"});
    expect_untouched();
}

TEST_F(ForgedCallback, AnOversizedBodyIsRefusedAndNotStored) {
    auto answer = post(path_, std::string(70 * 1024, ' ') + stk_success_body(checkout_, "250"));
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 413);
    EXPECT_EQ(mpesa_.app().query("SELECT count(*) FROM webhook_events"), "0");
    expect_untouched();
}

TEST_F(ForgedCallback, AReplayOfAnAppliedCallbackChangesNothing) {
    ASSERT_TRUE(mpesa_.sim().simulator().accept(checkout_));
    ASSERT_EQ(mpesa_.wait_for_status(id_, "succeeded"), "succeeded");
    ASSERT_EQ(mpesa_.wait_for_events(1), 1);
    const std::string receipt = mpesa_.column(id_, "receipt");
    const auto deliveries = mpesa_.sim().simulator().callbacks();
    ASSERT_FALSE(deliveries.empty());
    const std::string genuine = deliveries.back().body;
    ASSERT_TRUE(post(path_, genuine));
    ASSERT_TRUE(post("/webhooks/mpesa/stk" + path_.substr(std::string("/hooks/lnm").size()),
                     genuine));  // the seed alias reaches the same handler
    EXPECT_EQ(mpesa_.outcomes(id_),
              (std::vector<std::string>{"applied", "duplicate", "duplicate"}));
    EXPECT_EQ(mpesa_.column(id_, "receipt"), receipt);
    EXPECT_EQ(mpesa_.listener().calls.load(), 1);
}

TEST(ForgedPayoutResult, AWrongTokenOrAWrongAmountChangesNothing) {
    MpesaApp mpesa;
    ASSERT_TRUE(mpesa.sim().simulator().set_b2c_scenario("254708374149",
                                                         sim::B2cScenario::b2c_no_callback));
    auto sent = mpesa.gateway().pay_b2c({.reference = "payout-forged",
                                         .amount = Cents{150'000},
                                         .msisdn = "254708374149",
                                         .remarks = "Gold sale payout"});
    ASSERT_TRUE(sent.has_value());
    ASSERT_EQ(sent->answer.certainty, mpesa::Certainty::accepted);
    const auto transactions = mpesa.sim().simulator().transactions();
    ASSERT_EQ(transactions.size(), 1u);
    const std::string& url = transactions[0].callback_url;
    const std::string path = url.substr(url.find("/hooks/"));
    const auto result_body = [&](const std::string& amount) {
        return R"({"Result":{"ResultType":0,"ResultCode":0,"ResultDesc":"The service request is )"
               R"(processed successfully.","OriginatorConversationID":")" +
               sent->originator_conversation_id + R"(","ConversationID":")" +
               sent->answer.conversation_id +
               R"(","TransactionID":"TC17PLM4QX",)"
               R"("ResultParameters":{"ResultParameter":[{"Key":"TransactionAmount","Value":)" +
               amount + R"(},{"Key":"TransactionReceipt","Value":"TC17PLM4QX"}]}}})";
    };
    httplib::Client client = mpesa.app().client();
    ASSERT_TRUE(
        client.Post("/hooks/payout/result/not-the-token", result_body("1500"), "application/json"));
    ASSERT_TRUE(client.Post(path.c_str(), result_body("15000"), "application/json"));
    EXPECT_EQ(mpesa.all_outcomes(), (std::vector<std::string>{"unknown_token", "mismatch"}));
    EXPECT_EQ(mpesa.column(sent->request_id, "status"), "accepted");
    EXPECT_EQ(mpesa.listener().calls.load(), 0);
    // The genuine amount on the genuine token settles it, once.
    ASSERT_TRUE(client.Post(path.c_str(), result_body("1500"), "application/json"));
    ASSERT_TRUE(client.Post(path.c_str(), result_body("1500"), "application/json"));
    EXPECT_EQ(mpesa.column(sent->request_id, "status"), "succeeded");
    EXPECT_EQ(mpesa.listener().paid.load(), 1);
    EXPECT_EQ(mpesa.all_outcomes().back(), "duplicate");
}

TEST(ForgedCallbackSource, ASenderOutsideTheAllowlistIsRefused) {
    MpesaApp mpesa({.confirm_by_query = false, .allowlist = {"196.201.212.0/24"}});
    const std::string id = mpesa.push(100, kTestMsisdn);
    ASSERT_EQ(mpesa.wait_for_events(1), 1);
    EXPECT_EQ(mpesa.outcomes(id), std::vector<std::string>{"source_refused"});
    EXPECT_EQ(mpesa.column(id, "status"), "accepted");
    EXPECT_EQ(mpesa.listener().calls.load(), 0);
}

TEST(ForgedCallbackSource, ASenderOnTheAllowlistIsHeard) {
    MpesaApp mpesa({.confirm_by_query = false, .allowlist = {"196.201.212.0/24", "127.0.0.1"}});
    const std::string id = mpesa.push(100, kTestMsisdn);
    EXPECT_EQ(mpesa.wait_for_status(id, "succeeded"), "succeeded");
}

}  // namespace
}  // namespace gw::test
