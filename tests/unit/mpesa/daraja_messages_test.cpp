// Proves the Daraja request bodies and the reading of Daraja's synchronous answers against
// the recorded bodies of DARAJA.md: the STK Password test vector, field rules refused before
// anything is sent, and every documented answer sorted into accepted / rejected / unknown,
// STK Query's two pending shapes included. Redaction keeps secrets and phone numbers out of
// what is stored.

#include "mpesa/daraja_messages.hpp"

#include <gtest/gtest.h>

#include "mpesa/nairobi_time.hpp"

namespace gw::mpesa {
namespace {

constexpr std::string_view kPasskey =
    "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919";

Credentials sandbox() {
    return Credentials{Credential("dev-key"),
                       Credential("dev-secret"),
                       Credential(std::string(kPasskey)),
                       Credential("c2VjcmV0")};
}

// 2025-03-01 11:30:05 UTC is 14:30:05 in Nairobi.
TimePoint march_first() {
    return *parse_daraja_timestamp("20250301143005");
}

StkPushOrder order() {
    return StkPushOrder{.amount = Cents{25'000},
                        .msisdn = "254708374149",
                        .account_reference = "GW12345",
                        .description = "Gold purchase",
                        .callback_url = "https://example.test/hooks/lnm/t"};
}

Reply reply(int status, std::string body) {
    Reply result;
    result.http_status = status;
    result.body = std::move(body);
    return result;
}

Reply transport_failure(bool nothing_sent) {
    Reply result;
    result.transport_error = "Read";
    result.nothing_sent = nothing_sent;
    return result;
}

TEST(Base64, FollowsRfc4648Vectors) {
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64_encode("dev-key:dev-secret"), "ZGV2LWtleTpkZXYtc2VjcmV0");
}

TEST(StkPassword, MatchesTheDocumentedTestVector) {
    EXPECT_EQ(stk_password("174379", kPasskey, "20250301143005"),
              "MTc0Mzc5YmZiMjc5ZjlhYTliZGJjZjE1OGU5N2RkNzFhNDY3Y2QyZTBjODkzMDU5YjEwZjc4ZTZiNzJh"
              "ZGExZWQyYzkxOTIwMjUwMzAxMTQzMDA1");
}

TEST(StkPushBody, CarriesEveryFieldWithANairobiTimestamp) {
    auto body = stk_push_body(Settings{}, sandbox(), order(), march_first());
    ASSERT_TRUE(body.has_value());
    EXPECT_EQ((*body)["BusinessShortCode"], "174379");
    EXPECT_EQ((*body)["Timestamp"], "20250301143005");
    EXPECT_EQ((*body)["Password"], stk_password("174379", kPasskey, "20250301143005"));
    EXPECT_EQ((*body)["TransactionType"], "CustomerPayBillOnline");
    EXPECT_EQ((*body)["Amount"], 250);
    EXPECT_TRUE((*body)["Amount"].is_number_integer());
    EXPECT_EQ((*body)["PartyA"], "254708374149");
    EXPECT_EQ((*body)["PhoneNumber"], "254708374149");
    EXPECT_EQ((*body)["PartyB"], "174379");
    EXPECT_EQ((*body)["CallBackURL"], "https://example.test/hooks/lnm/t");
    EXPECT_EQ((*body)["AccountReference"], "GW12345");
    EXPECT_EQ((*body)["TransactionDesc"], "Gold purchase");
}

TEST(StkPushBody, RefusesWhatDarajaWouldRefuse) {
    const auto code_for = [](StkPushOrder changed) {
        auto body = stk_push_body(Settings{}, sandbox(), changed, march_first());
        return body.has_value() ? ErrorCode::internal_error : body.error().code;
    };
    StkPushOrder cents = order();
    cents.amount = Cents{25'050};
    EXPECT_EQ(code_for(cents), ErrorCode::not_whole_shillings);
    StkPushOrder zero = order();
    zero.amount = Cents{0};
    EXPECT_EQ(code_for(zero), ErrorCode::zero_amount);
    StkPushOrder huge = order();
    huge.amount = Cents{25'000'100};  // KES 250,001
    EXPECT_EQ(code_for(huge), ErrorCode::amount_too_large);
    StkPushOrder at_max = order();
    at_max.amount = Cents{25'000'000};
    EXPECT_TRUE(stk_push_body(Settings{}, sandbox(), at_max, march_first()).has_value());
    for (const char* phone : {"0708374149", "+254708374149", "254808374149", "25470837414"}) {
        StkPushOrder bad = order();
        bad.msisdn = phone;
        EXPECT_EQ(code_for(bad), ErrorCode::invalid_phone) << phone;
    }
    StkPushOrder twelve = order();
    twelve.account_reference = "ABCDEFGHIJKL";
    EXPECT_TRUE(stk_push_body(Settings{}, sandbox(), twelve, march_first()).has_value());
    for (const char* reference : {"", "ABCDEFGHIJKLM", "GW-1", "GW 1"}) {
        StkPushOrder bad = order();
        bad.account_reference = reference;
        EXPECT_EQ(code_for(bad), ErrorCode::validation_failed) << reference;
    }
    for (const char* description : {"", "Gold purchases", "Gold & silver"}) {
        StkPushOrder bad = order();
        bad.description = description;
        EXPECT_EQ(code_for(bad), ErrorCode::validation_failed) << description;
    }
}

TEST(ClassifyStkPush, TheDocumentedAcceptance) {
    const StkPushAnswer answer = classify_stk_push(
        reply(200,
              R"({"MerchantRequestID":"6a1f-4c2d-8e3b-90f7d2a1c5e81234","CheckoutRequestID":)"
              R"("ws_CO_01032025143006512708374149","ResponseCode":"0","ResponseDescription":)"
              R"("Success. Request accepted for processing","CustomerMessage":"Success. Request )"
              R"(accepted for processing"})"));
    EXPECT_EQ(answer.certainty, Certainty::accepted);
    EXPECT_EQ(answer.checkout_request_id, "ws_CO_01032025143006512708374149");
    EXPECT_EQ(answer.merchant_request_id, "6a1f-4c2d-8e3b-90f7d2a1c5e81234");
}

TEST(ClassifyStkPush, DocumentedErrorsAreDefiniteRefusals) {
    for (const auto& [status, code, message] :
         {std::tuple{400, "400.002.02", "Bad Request - Invalid PhoneNumber"},
          std::tuple{404, "404.001.03", "Invalid Access Token"},
          std::tuple{500, "500.001.1001", "Wrong credentials"},
          std::tuple{500, "500.001.1001", "Merchant does not exist"},
          std::tuple{500,
                     "500.001.1001",
                     "Unable to lock subscriber, a transaction is already in process for the "
                     "current subscriber"},
          std::tuple{500, "500.001.1001", "[MerchantValidate] - Wrong credentials"},
          std::tuple{500, "500.003.02", "Error Occurred: Spike Arrest Violation"},
          std::tuple{500, "500.003.03", "Quota Violation"}}) {
        const nlohmann::json body{
            {"requestId", "8b2e-41f0"}, {"errorCode", code}, {"errorMessage", message}};
        const StkPushAnswer answer = classify_stk_push(reply(status, body.dump()));
        EXPECT_EQ(answer.certainty, Certainty::rejected) << message;
        EXPECT_TRUE(answer.retry_safe) << message;
        ASSERT_TRUE(answer.error.has_value());
        EXPECT_EQ(answer.error->error_code, code);
        EXPECT_EQ(answer.error->error_message, message);
    }
}

TEST(ClassifyStkPush, AnythingElseIsUnknown) {
    const std::vector<Reply> unclear = {
        reply(
            500,
            R"({"requestId":"x","errorCode":"500.003.1001","errorMessage":"Internal Server Error"})"),
        reply(200, "<html>gateway</html>"),
        reply(200, R"({"ResponseCode":"0"})"),  // accepted without an id: cannot be followed
        reply(502, ""),
        transport_failure(false),
    };
    for (const Reply& each : unclear) {
        const StkPushAnswer answer = classify_stk_push(each);
        EXPECT_EQ(answer.certainty, Certainty::unknown) << each.body;
        EXPECT_FALSE(answer.retry_safe) << each.body;
    }
    EXPECT_TRUE(classify_stk_push(transport_failure(true)).retry_safe)
        << "a connection never made cannot have reached Daraja";
}

TEST(ClassifyStkQuery, BothPendingShapesMeanNotYet) {
    EXPECT_EQ(classify_stk_query(reply(500,
                                       R"({"requestId":"r","errorCode":"500.001.1001",)"
                                       R"("errorMessage":"The transaction is being processed"})"))
                  .state,
              StkQueryState::pending);
    EXPECT_EQ(classify_stk_query(reply(200,
                                       R"({"ResultCode":"4999","ResultDesc":"The )"
                                       R"(transaction is still under processing"})"))
                  .state,
              StkQueryState::pending);
    EXPECT_EQ(classify_stk_query(reply(200, R"({"ResponseCode":"0","ResultCode":"4999"})")).state,
              StkQueryState::pending);
}

TEST(ClassifyStkQuery, FinalAnswersCarryTheirCodeAsText) {
    const StkQueryAnswer cancelled = classify_stk_query(
        reply(200,
              R"({"ResponseCode":"0","ResponseDescription":"The service request has been accepted )"
              R"(successfully","MerchantRequestID":"6a1f","CheckoutRequestID":"ws_CO_1",)"
              R"("ResultCode":"1032","ResultDesc":"Request cancelled by user"})"));
    EXPECT_EQ(cancelled.state, StkQueryState::failed);
    EXPECT_EQ(cancelled.result_code, "1032");
    EXPECT_EQ(cancelled.result_desc, "Request cancelled by user");
    const StkQueryAnswer paid = classify_stk_query(reply(200, R"({"ResultCode":"0"})"));
    EXPECT_EQ(paid.state, StkQueryState::succeeded);
    EXPECT_EQ(classify_stk_query(reply(200, R"({"ResultCode":0})")).state, StkQueryState::succeeded)
        << "a numeric code is read as text too";
}

TEST(ClassifyStkQuery, UnknownIdsAndNoiseAreTold) {
    EXPECT_EQ(classify_stk_query(reply(500,
                                       R"({"requestId":"r","errorCode":"500.001.1001",)"
                                       R"("errorMessage":"The transaction does not Exist"})"))
                  .state,
              StkQueryState::not_found);
    EXPECT_EQ(classify_stk_query(reply(200, "garbage")).state, StkQueryState::unavailable);
    EXPECT_EQ(classify_stk_query(reply(503, "")).state, StkQueryState::unavailable);
    EXPECT_EQ(classify_stk_query(transport_failure(true)).state, StkQueryState::unavailable);
    EXPECT_EQ(classify_stk_query(reply(500, R"({"errorCode":"500.003.02","errorMessage":"Spike"})"))
                  .state,
              StkQueryState::unavailable);
}

TEST(B2cPaymentBody, CarriesTheV3FieldsAndRespectsTheLimits) {
    B2cOrder payout{.originator_conversation_id = "gw-po-42",
                    .amount = Cents{150'000},
                    .msisdn = "254708374149",
                    .remarks = "Gold sale payout",
                    .occasion = {},
                    .result_url = "https://example.test/hooks/payout/result/t",
                    .queue_timeout_url = "https://example.test/hooks/payout/timeout/t"};
    auto body = b2c_payment_body(Settings{}, sandbox(), payout);
    ASSERT_TRUE(body.has_value());
    EXPECT_EQ((*body)["OriginatorConversationID"], "gw-po-42");
    EXPECT_EQ((*body)["InitiatorName"], "testapi");
    EXPECT_EQ((*body)["SecurityCredential"], "c2VjcmV0");
    EXPECT_EQ((*body)["CommandID"], "BusinessPayment");
    EXPECT_EQ((*body)["Amount"], 1500);
    EXPECT_EQ((*body)["PartyA"], "600980");
    EXPECT_EQ((*body)["PartyB"], "254708374149");
    EXPECT_FALSE(body->contains("Occasion"));

    const auto code_for = [&](std::int64_t cents, std::string remarks) {
        B2cOrder changed = payout;
        changed.amount = Cents{cents};
        changed.remarks = std::move(remarks);
        auto result = b2c_payment_body(Settings{}, sandbox(), changed);
        return result.has_value() ? ErrorCode::internal_error : result.error().code;
    };
    EXPECT_EQ(code_for(999, "ok"), ErrorCode::not_whole_shillings);
    EXPECT_EQ(code_for(900, "ok"), ErrorCode::zero_amount);            // KES 9
    EXPECT_EQ(code_for(1'000, "ok"), ErrorCode::internal_error);       // KES 10: allowed
    EXPECT_EQ(code_for(25'000'000, "ok"), ErrorCode::internal_error);  // KES 250,000: allowed
    EXPECT_EQ(code_for(25'000'100, "ok"), ErrorCode::amount_too_large);
    EXPECT_EQ(code_for(1'000, "x"), ErrorCode::validation_failed);
    EXPECT_EQ(code_for(1'000, std::string(101, 'x')), ErrorCode::validation_failed);
}

TEST(ClassifyAsyncAck, AcceptanceDuplicateAndRefusal) {
    const AsyncAnswer accepted = classify_async_ack(
        reply(200,
              R"({"ConversationID":"AG_20250301_2010a1b2c3d4e5f6a7b8","OriginatorConversationID":)"
              R"("gw-po-42","ResponseCode":"0","ResponseDescription":"Accept the service request )"
              R"(successfully."})"));
    EXPECT_EQ(accepted.certainty, Certainty::accepted);
    EXPECT_EQ(accepted.conversation_id, "AG_20250301_2010a1b2c3d4e5f6a7b8");
    EXPECT_EQ(accepted.originator_conversation_id, "gw-po-42");

    const AsyncAnswer duplicate = classify_async_ack(
        reply(500,
              R"({"requestId":"r","errorCode":"500.002.1001","errorMessage":"Duplicate )"
              R"(OriginatorConversationID."})"));
    EXPECT_TRUE(duplicate.duplicate);
    EXPECT_EQ(duplicate.certainty, Certainty::unknown);
    EXPECT_FALSE(duplicate.retry_safe);

    const AsyncAnswer refused = classify_async_ack(
        reply(401,
              R"({"requestId":"r","errorCode":"401.002.01","errorMessage":"Error Occurred - )"
              R"(Invalid Access Token - x"})"));
    EXPECT_EQ(refused.certainty, Certainty::rejected);
    EXPECT_EQ(classify_async_ack(transport_failure(false)).certainty, Certainty::unknown);
    // A B2C 5xx may hide a payment, whatever its code.
    EXPECT_EQ(classify_async_ack(reply(500, R"({"errorCode":"500.001.1001","errorMessage":"x"})"))
                  .certainty,
              Certainty::unknown);
    EXPECT_EQ(classify_async_ack(reply(200, R"({"ResponseCode":"0"})")).certainty,
              Certainty::unknown)
        << "accepted without a ConversationID cannot be followed";
}

TEST(InvalidToken, RecognisesEveryDocumentedForm) {
    EXPECT_TRUE(is_invalid_token(
        reply(404, R"({"errorCode":"404.001.03","errorMessage":"Invalid Access Token"})")));
    EXPECT_TRUE(is_invalid_token(reply(401, R"({"errorCode":"401.002.01","errorMessage":"x"})")));
    EXPECT_TRUE(is_invalid_token(reply(400, R"({"errorCode":"400.003.01","errorMessage":"x"})")));
    EXPECT_TRUE(is_invalid_token(reply(401, "")));
    EXPECT_FALSE(is_invalid_token(
        reply(404, R"({"errorCode":"404.001.01","errorMessage":"Resource not found"})")));
    EXPECT_FALSE(is_invalid_token(reply(200, R"({"ResponseCode":"0"})")));
}

TEST(RedactRequest, HidesSecretsAndMasksPhones) {
    auto body = stk_push_body(Settings{}, sandbox(), order(), march_first());
    ASSERT_TRUE(body.has_value());
    const nlohmann::json redacted = redact_request(*body);
    EXPECT_EQ(redacted["Password"], "[redacted]");
    EXPECT_EQ(redacted["PhoneNumber"], "2547******49");
    EXPECT_EQ(redacted["PartyA"], "2547******49");
    EXPECT_EQ(redacted["PartyB"], "174379") << "a shortcode is not a phone number";
    EXPECT_EQ(redacted["Amount"], 250);
    EXPECT_EQ(redacted.dump().find(std::string(kPasskey)), std::string::npos);
    EXPECT_EQ(redacted["CallBackURL"], "https://example.test/hooks/lnm/[token]")
        << "the callback token is a credential too";
    const nlohmann::json b2c = redact_request({{"SecurityCredential", "c2VjcmV0"},
                                               {"ResultURL", "https://x.test/hooks/payout/result/abc"},
                                               {"QueueTimeOutURL", "https://x.test/t/abc"}});
    EXPECT_EQ(b2c["SecurityCredential"], "[redacted]");
    EXPECT_EQ(b2c["ResultURL"], "https://x.test/hooks/payout/result/[token]");
    EXPECT_EQ(b2c["QueueTimeOutURL"], "https://x.test/t/[token]");
}

}  // namespace
}  // namespace gw::mpesa
