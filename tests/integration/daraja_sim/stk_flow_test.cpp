// Proves DARAJA.md §11 points 2-5 and 7 for STK over real HTTP: the accepted answer and its
// CheckoutRequestID shape, the callback (exact path, content type, BusinessShortCode header,
// metadata only on success, Balance without Value, numeric date and phone, Amount alternating
// 250 / 250.00), each customer scenario (cancelled, wrong PIN, timeout, no callback, duplicate,
// late, manual accept and cancel), the subscriber lock, no idempotency, the limits (3, rule 17
// at 119 s vs 121 s), STK Query in both pending shapes, final and unknown, and that a callback
// URL on a non-loopback host is refused and never contacted.

#include <regex>

#include <gtest/gtest.h>

#include "raw_daraja.hpp"

namespace gw::test {
namespace {

class StkFlow : public ::testing::Test {
protected:
    // Pushes for `msisdn` and returns the CheckoutRequestID (fails the test when refused).
    std::string push(std::string_view msisdn,
                     std::int64_t amount,
                     const std::string& path = "/hooks/lnm/t0k3n") {
        const Reply reply = daraja_.stk_push(stk_body(msisdn, amount, receiver_.url(path)), token_);
        EXPECT_EQ(reply.status, 200) << reply.body;
        return reply.json.is_object() ? reply.json.value("CheckoutRequestID", "") : "";
    }

    // The ResultCode of the single callback received at `path`.
    int result_code_at(const std::string& path) {
        const auto posts = receiver_.received_at(path);
        EXPECT_EQ(posts.size(), 1U);
        return posts.empty() ? -1 : stk_callback_of(posts[0])["ResultCode"].get<int>();
    }

    void set_scenario(std::string_view msisdn, const std::string& name) {
        const Reply reply =
            daraja_.put("/sim/scenarios/" + std::string(msisdn), R"({"stk":")" + name + R"("})");
        ASSERT_EQ(reply.status, 200) << reply.body;
    }

    SimFixture sim_;
    CallbackReceiver receiver_;
    RawDaraja daraja_{sim_.base_url()};
    std::string token_ = daraja_.token();
};

TEST_F(StkFlow, SuccessAnswerAndCallback) {
    const Reply reply =
        daraja_.stk_push(stk_body(kTestMsisdn, 250, receiver_.url("/hooks/lnm/t0k3n?x=1")), token_);
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(reply.json["ResponseCode"], "0");
    EXPECT_EQ(reply.json["CustomerMessage"], "Success. Request accepted for processing");
    const std::string id = reply.json["CheckoutRequestID"];
    EXPECT_TRUE(std::regex_match(id, std::regex(R"(ws_CO_\d{14}\d{3}708374149)"))) << id;
    ASSERT_TRUE(receiver_.wait_for(1));
    const ReceivedPost post = receiver_.received()[0];
    EXPECT_EQ(post.path, "/hooks/lnm/t0k3n?x=1");
    EXPECT_EQ(header_value(post.headers, "Content-Type"), "application/json;charset=UTF-8");
    EXPECT_EQ(header_value(post.headers, "BusinessShortCode"), "174379");
    EXPECT_EQ(post.headers.count("Authorization"), 0U);
    const nlohmann::json callback = stk_callback_of(post);
    EXPECT_EQ(callback["CheckoutRequestID"], id);
    EXPECT_EQ(callback["MerchantRequestID"], reply.json["MerchantRequestID"]);
    EXPECT_EQ(callback["ResultCode"], 0);
    EXPECT_TRUE(metadata_value(callback, "Amount").is_number());
    EXPECT_EQ(metadata_value(callback, "Amount"), 250);
    EXPECT_TRUE(std::regex_match(metadata_value(callback, "MpesaReceiptNumber").get<std::string>(),
                                 std::regex("[A-Z0-9]{10}")));
    EXPECT_TRUE(metadata_value(callback, "Balance").is_null());
    EXPECT_TRUE(metadata_value(callback, "TransactionDate").is_number_unsigned());
    EXPECT_EQ(metadata_value(callback, "PhoneNumber"), 254708374149ULL);
    EXPECT_NE(post.body.find(R"({"Name":"Balance"})"), std::string::npos);
}

TEST_F(StkFlow, AmountAlternatesBetweenPlainAndDecimalForms) {
    push("254700000001", 250, "/a");
    push("254700000002", 250, "/b");
    ASSERT_TRUE(receiver_.wait_for(2));
    EXPECT_NE(receiver_.received_at("/a")[0].body.find(R"("Value":250})"), std::string::npos);
    EXPECT_NE(receiver_.received_at("/b")[0].body.find(R"("Value":250.00})"), std::string::npos);
}

TEST_F(StkFlow, RefusingScenarios) {
    const std::vector<std::pair<std::string, int>> cases = {
        {"cancelled", 1032}, {"wrong_pin", 2001}, {"insufficient_funds", 1}, {"timeout", 1037}};
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const std::string msisdn = "25470000001" + std::to_string(i);
        set_scenario(msisdn, cases[i].first);
        push(msisdn, 100, "/" + cases[i].first);
    }
    ASSERT_TRUE(receiver_.wait_for(cases.size()));
    for (const auto& [name, code] : cases) {
        EXPECT_EQ(result_code_at("/" + name), code) << name;
        const nlohmann::json callback = stk_callback_of(receiver_.received_at("/" + name)[0]);
        EXPECT_FALSE(callback.contains("CallbackMetadata")) << name;
    }
    EXPECT_EQ(stk_callback_of(receiver_.received_at("/cancelled")[0])["ResultDesc"],
              "Request cancelled by user");
}

TEST_F(StkFlow, NoCallbackIsFinalForQueryButNeverPosted) {
    set_scenario("254700000021", "no_callback");
    const std::string silent = push("254700000021", 100, "/silent");
    push("254700000022", 100, "/loud");  // scheduled after the silent one
    ASSERT_TRUE(receiver_.wait_for(1));
    EXPECT_TRUE(receiver_.received_at("/silent").empty());
    EXPECT_EQ(receiver_.received_at("/loud").size(), 1U);
    const Reply query = daraja_.stk_query(silent, token_);
    EXPECT_EQ(query.status, 200);
    EXPECT_EQ(query.json["ResultCode"], "1037");
}

TEST_F(StkFlow, DuplicateCallbackArrivesTwice) {
    set_scenario(kTestMsisdn, "duplicate_callback");
    push(kTestMsisdn, 100, "/dup");
    ASSERT_TRUE(receiver_.wait_for(2));
    const auto posts = receiver_.received_at("/dup");
    ASSERT_EQ(posts.size(), 2U);
    EXPECT_EQ(posts[0].body, posts[1].body);
    EXPECT_EQ(sim_.simulator().transactions().size(), 1U);
}

TEST_F(StkFlow, LateCallbackIsFinalForQueryFirst) {
    sim_.simulator().set_callback_delay(std::chrono::milliseconds(200));  // late = 1 s
    set_scenario(kTestMsisdn, "late_callback");
    const std::string id = push(kTestMsisdn, 100, "/late");
    const Reply query = daraja_.stk_query(id, token_);
    EXPECT_EQ(query.json["ResultCode"], "0");
    EXPECT_EQ(sim_.simulator().callback_count(), 0U);
    ASSERT_TRUE(receiver_.wait_for(1));
    EXPECT_EQ(result_code_at("/late"), 0);
}

TEST_F(StkFlow, ManualPromptWaitsForThePhone) {
    set_scenario("254700000031", "manual");
    set_scenario("254700000032", "manual");
    const std::string accepted = push("254700000031", 100, "/accepted");
    const std::string cancelled = push("254700000032", 100, "/cancelled");
    EXPECT_EQ(daraja_.stk_query(accepted, token_).json["errorMessage"],
              "The transaction is being processed");
    ASSERT_EQ(daraja_.post("/sim/stk/" + accepted + "/accept", "", "").status, 200);
    ASSERT_EQ(daraja_.post("/sim/stk/" + cancelled + "/cancel", "", "").status, 200);
    ASSERT_TRUE(receiver_.wait_for(2));
    EXPECT_EQ(result_code_at("/accepted"), 0);
    EXPECT_EQ(result_code_at("/cancelled"), 1032);
    EXPECT_EQ(daraja_.post("/sim/stk/" + accepted + "/accept", "", "").status,
              404);  // already final
}

TEST_F(StkFlow, SubscriberLockAndNoIdempotency) {
    set_scenario(kTestMsisdn, "manual");
    const std::string first = push(kTestMsisdn, 100, "/first");
    const Reply locked =
        daraja_.stk_push(stk_body(kTestMsisdn, 100, receiver_.url("/first")), token_);
    EXPECT_EQ(locked.status, 500);
    EXPECT_EQ(locked.json["errorCode"], "500.001.1001");
    EXPECT_EQ(locked.json["errorMessage"],
              "Unable to lock subscriber, a transaction is already in process for the current "
              "subscriber");
    ASSERT_TRUE(sim_.simulator().accept(first));
    sim_.simulator().advance_clock(std::chrono::seconds(121));    // clear of rule 17
    const std::string second = push(kTestMsisdn, 100, "/first");  // the identical request again
    EXPECT_NE(first, second);
    ASSERT_TRUE(sim_.simulator().accept(second));
    ASSERT_TRUE(receiver_.wait_for(2));
    EXPECT_EQ(sim_.simulator().transactions().size(), 2U);
    for (const ReceivedPost& post : receiver_.received_at("/first")) {
        EXPECT_EQ(stk_callback_of(post)["ResultCode"], 0);
    }
}

TEST_F(StkFlow, RuleSeventeenAndPerTransactionLimit) {
    push(kTestMsisdn, 500, "/p1");
    ASSERT_TRUE(receiver_.wait_for(1));
    sim_.simulator().advance_clock(std::chrono::seconds(119));
    push(kTestMsisdn, 500, "/p2");
    ASSERT_TRUE(receiver_.wait_for(2));
    EXPECT_EQ(result_code_at("/p2"), 17);  // 119 s after the first payment
    sim_.simulator().advance_clock(std::chrono::seconds(2));
    push(kTestMsisdn, 500, "/p3");  // 121 s after it
    push("254700000041", 250'001, "/p4");
    ASSERT_TRUE(receiver_.wait_for(4));
    EXPECT_EQ(result_code_at("/p3"), 0);
    EXPECT_EQ(result_code_at("/p4"), 3);
}

TEST_F(StkFlow, QueryPendingShapesFinalAndUnknown) {
    set_scenario(kTestMsisdn, "manual");
    const std::string id = push(kTestMsisdn, 100, "/q");
    const Reply legacy = daraja_.stk_query(id, token_);
    EXPECT_EQ(legacy.status, 500);
    EXPECT_EQ(legacy.json["errorCode"], "500.001.1001");
    EXPECT_EQ(legacy.json["errorMessage"], "The transaction is being processed");
    ASSERT_EQ(daraja_.post("/sim/config", R"({"pending_query_shape":"2025"})", "").status, 200);
    const Reply modern = daraja_.stk_query(id, token_);
    EXPECT_EQ(modern.status, 200);
    EXPECT_EQ(modern.json["ResultCode"], "4999");
    ASSERT_TRUE(sim_.simulator().cancel(id));
    const Reply final_answer = daraja_.stk_query(id, token_);
    EXPECT_EQ(final_answer.status, 200);
    EXPECT_TRUE(final_answer.json["ResultCode"].is_string());
    EXPECT_EQ(final_answer.json["ResultCode"], "1032");
    EXPECT_EQ(final_answer.json["CheckoutRequestID"], id);
    const Reply unknown = daraja_.stk_query("ws_CO_01032025143006000708374149", token_);
    EXPECT_EQ(unknown.status, 500);
    EXPECT_EQ(unknown.json["errorMessage"], "The transaction does not Exist");
}

TEST_F(StkFlow, NonLoopbackCallbackIsRefusedAndNeverContacted) {
    const Reply reply =
        daraja_.stk_push(stk_body(kTestMsisdn, 100, "https://example.com/hooks/lnm/x"), token_);
    ASSERT_EQ(reply.status, 200);
    ASSERT_TRUE(sim_.wait_for_callbacks(1));
    const std::vector<sim::DeliveryAttempt> attempts = sim_.simulator().callbacks();
    ASSERT_EQ(attempts.size(), 1U);
    EXPECT_TRUE(attempts[0].refused);
    EXPECT_EQ(attempts[0].http_status, 0);
    EXPECT_EQ(attempts[0].error, "refused: not a loopback host");
    const Reply listed = daraja_.get("/sim/callbacks");
    EXPECT_EQ(listed.json[0]["refused"], true);
}

}  // namespace
}  // namespace gw::test
