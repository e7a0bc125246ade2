// Proves the STK Push rules of DARAJA.md §3-§5 as the simulator implements them: the password
// test vector, every field check with its exact errorMessage (a table of bad bodies), the
// merchant checks, and the exact shapes of the accepted answer, the callback (metadata only on
// success, Balance without Value, numeric date and phone, Amount as 250 or 250.00) and the
// STK Query answers (string ResultCode; pending 4999).

#include "daraja-sim/stk.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace gw::sim {
namespace {

constexpr std::string_view kVectorPassword =
    "MTc0Mzc5YmZiMjc5ZjlhYTliZGJjZjE1OGU5N2RkNzFhNDY3Y2QyZTBjODkzMDU5YjEwZjc4ZTZiNzJhZGExZWQyYzkxOT"
    "IwMjUwMzAxMTQzMDA1";

nlohmann::json valid_push() {
    return nlohmann::json{
        {"BusinessShortCode", "174379"},
        {"Password", std::string(kVectorPassword)},
        {"Timestamp", "20250301143005"},
        {"TransactionType", "CustomerPayBillOnline"},
        {"Amount", 250},
        {"PartyA", "254708374149"},
        {"PartyB", "174379"},
        {"PhoneNumber", "254708374149"},
        {"CallBackURL", "https://example.com/hooks/lnm/t0k3n"},
        {"AccountReference", "INV001"},
        {"TransactionDesc", "Gold buy"},
    };
}

// The errorMessage a push with `key` set to `value` gets ("" when accepted).
std::string message_for(const std::string& key, const nlohmann::json& value) {
    nlohmann::json body = valid_push();
    if (value.is_discarded()) {
        body.erase(key);
    } else {
        body[key] = value;
    }
    const Checked<StkPushRequest> parsed = parse_stk_push(body);
    return parsed.has_value() ? "" : parsed.error().error_message;
}

// Marks a field the test removes from the body.
nlohmann::json missing() {
    return nlohmann::json(nlohmann::json::value_t::discarded);
}

Transaction final_transaction(TransactionStatus status, bool decimals) {
    Transaction t;
    t.id = "ws_CO_01032025143006512708374149";
    t.request_id = "6a1f-4c2d-8e3b-90f7d2a1c5e81234";
    t.msisdn = "254708374149";
    t.amount_kes = 250;
    t.amount_with_decimals = decimals;
    t.status = status;
    t.result_code = status == TransactionStatus::completed ? 0 : 1032;
    t.result_desc = status == TransactionStatus::completed
                        ? "The service request is processed successfully."
                        : "Request cancelled by user";
    t.receipt = status == TransactionStatus::completed ? "TC14XK2Q9P" : "";
    // 2025-03-01 14:30:41 Nairobi = 11:30:41 UTC.
    t.finalised_at =
        TimePoint(std::chrono::sys_days(std::chrono::year(2025) / 3 / 1) + std::chrono::hours(11) +
                  std::chrono::minutes(30) + std::chrono::seconds(41));
    return t;
}

TEST(StkPassword, MatchesTheDocumentedVector) {
    EXPECT_EQ(stk_password("174379", kSandboxPasskey, "20250301143005"), kVectorPassword);
}

TEST(StkPush, AcceptsTheValidBodyAndNumericForms) {
    EXPECT_EQ(message_for("Amount", 250), "");
    EXPECT_EQ(message_for("Amount", "250"), "");
    EXPECT_EQ(message_for("BusinessShortCode", 174379), "");
    EXPECT_EQ(message_for("PartyA", 254708374149), "");
    EXPECT_EQ(message_for("PhoneNumber", 254112345678), "");
    EXPECT_EQ(message_for("AccountReference", 12345), "");
    EXPECT_EQ(message_for("AccountReference", "ABCDEFGHIJ12"), "");
    EXPECT_EQ(message_for("TransactionDesc", "1234567890123"), "");
    EXPECT_EQ(message_for("TransactionType", "CustomerBuyGoodsOnline"), "");
    const Checked<StkPushRequest> parsed = parse_stk_push(valid_push());
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed.value().amount_kes, 250);
    EXPECT_EQ(parsed.value().phone_number, "254708374149");
}

TEST(StkPush, FieldChecksTable) {
    struct Case {
        const char* key;
        nlohmann::json value;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"BusinessShortCode", missing(), "Bad Request - Invalid BusinessShortCode"},
        {"BusinessShortCode", "1743", "Bad Request - Invalid BusinessShortCode"},
        {"BusinessShortCode", "17437900", "Bad Request - Invalid BusinessShortCode"},
        {"BusinessShortCode", "17437a", "Bad Request - Invalid BusinessShortCode"},
        {"Password", "", "Bad Request - Invalid Password"},
        {"Timestamp", "2025030114300", "Bad Request - Invalid Timestamp"},
        {"Timestamp", "20251301143005", "Bad Request - Invalid Timestamp"},
        {"Timestamp", "20250230143005", "Bad Request - Invalid Timestamp"},
        {"Timestamp", "20250301243005", "Bad Request - Invalid Timestamp"},
        {"TransactionType", "CustomerPayBill", "Bad Request - Invalid TransactionType"},
        {"Amount", "100.00", "Bad Request - Invalid Amount"},
        {"Amount", 100.5, "Bad Request - Invalid Amount"},
        {"Amount", 100.0, "Bad Request - Invalid Amount"},
        {"Amount", 0, "Bad Request - Invalid Amount"},
        {"Amount", -1, "Bad Request - Invalid Amount"},
        {"Amount", missing(), "Bad Request - Invalid Amount"},
        {"PartyA", "0708374149", "Bad Request - Invalid PhoneNumber"},
        {"PartyB", "17", "Bad Request - Invalid PartyB"},
        {"PhoneNumber", "254808374149", "Bad Request - Invalid PhoneNumber"},
        {"PhoneNumber", "+254708374149", "Bad Request - Invalid PhoneNumber"},
        {"CallBackURL", "https://example.com/a b", "Bad Request - Invalid CallBackURL"},
        {"CallBackURL", "example.com/cb", "Bad Request - Invalid CallBackURL"},
        {"CallBackURL", missing(), "Bad Request - Invalid CallBackURL"},
        {"AccountReference", "ABCDEFGHIJ123", "Bad Request - Invalid AccountReference"},
        {"AccountReference", "INV-001", "Bad Request - Invalid AccountReference"},
        {"AccountReference", "", "Bad Request - Invalid AccountReference"},
        {"TransactionDesc", missing(), "Bad Request - Invalid Remarks"},
        {"TransactionDesc", "", "Bad Request - Invalid Remarks"},
        {"TransactionDesc", "12345678901234", "Bad Request - Invalid Remarks"},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(message_for(c.key, c.value), c.message) << c.key << " = " << c.value.dump();
    }
}

TEST(StkPush, MerchantChecks) {
    const StkMerchant merchant{"174379", std::string(kSandboxPasskey)};
    EXPECT_FALSE(check_stk_merchant("174379", kVectorPassword, "20250301143005", merchant));
    const auto other = check_stk_merchant("600000", kVectorPassword, "20250301143005", merchant);
    ASSERT_TRUE(other.has_value());
    EXPECT_EQ(other->error_code, "500.001.1001");
    EXPECT_EQ(other->error_message, "Merchant does not exist");
    const auto stale = check_stk_merchant("174379", kVectorPassword, "20250301143006", merchant);
    ASSERT_TRUE(stale.has_value());
    EXPECT_EQ(stale->http_status, 500);
    EXPECT_EQ(stale->error_message, "Wrong credentials");
}

TEST(StkQuery, FieldChecks) {
    nlohmann::json body{{"BusinessShortCode", 174379},
                        {"Password", std::string(kVectorPassword)},
                        {"Timestamp", "20250301143005"},
                        {"CheckoutRequestID", "ws_CO_1"}};
    EXPECT_TRUE(parse_stk_query(body).has_value());
    body["CheckoutRequestID"] = "";
    EXPECT_EQ(parse_stk_query(body).error().error_message,
              "Bad Request - Invalid CheckoutRequestID");
    body.erase("Timestamp");
    EXPECT_EQ(parse_stk_query(body).error().error_message, "Bad Request - Invalid Timestamp");
}

TEST(StkBodies, AcceptedAnswer) {
    const Transaction t = final_transaction(TransactionStatus::completed, false);
    EXPECT_EQ(
        stk_accepted_body(t),
        R"({"MerchantRequestID":"6a1f-4c2d-8e3b-90f7d2a1c5e81234","CheckoutRequestID":"ws_CO_01032025143006512708374149","ResponseCode":"0","ResponseDescription":"Success. Request accepted for processing","CustomerMessage":"Success. Request accepted for processing"})");
}

TEST(StkBodies, SuccessCallbackWithDecimalAmount) {
    EXPECT_EQ(
        stk_callback_body(final_transaction(TransactionStatus::completed, true)),
        R"({"Body":{"stkCallback":{"MerchantRequestID":"6a1f-4c2d-8e3b-90f7d2a1c5e81234","CheckoutRequestID":"ws_CO_01032025143006512708374149","ResultCode":0,"ResultDesc":"The service request is processed successfully.","CallbackMetadata":{"Item":[{"Name":"Amount","Value":250.00},{"Name":"MpesaReceiptNumber","Value":"TC14XK2Q9P"},{"Name":"Balance"},{"Name":"TransactionDate","Value":20250301143041},{"Name":"PhoneNumber","Value":254708374149}]}}}})");
}

TEST(StkBodies, SuccessCallbackWithPlainAmount) {
    const std::string body =
        stk_callback_body(final_transaction(TransactionStatus::completed, false));
    EXPECT_NE(body.find(R"({"Name":"Amount","Value":250})"), std::string::npos) << body;
}

TEST(StkBodies, FailureCallbackHasNoMetadata) {
    EXPECT_EQ(
        stk_callback_body(final_transaction(TransactionStatus::failed, false)),
        R"({"Body":{"stkCallback":{"MerchantRequestID":"6a1f-4c2d-8e3b-90f7d2a1c5e81234","CheckoutRequestID":"ws_CO_01032025143006512708374149","ResultCode":1032,"ResultDesc":"Request cancelled by user"}}})");
}

TEST(StkBodies, QueryAnswers) {
    EXPECT_EQ(
        stk_query_final_body(final_transaction(TransactionStatus::failed, false)),
        R"({"ResponseCode":"0","ResponseDescription":"The service request has been accepted successfully","MerchantRequestID":"6a1f-4c2d-8e3b-90f7d2a1c5e81234","CheckoutRequestID":"ws_CO_01032025143006512708374149","ResultCode":"1032","ResultDesc":"Request cancelled by user"})");
    const auto pending = nlohmann::json::parse(
        stk_query_pending_body(final_transaction(TransactionStatus::pending, false)));
    EXPECT_EQ(pending["ResultCode"], "4999");
    EXPECT_EQ(pending["ResultDesc"], "The transaction is still under processing");
    EXPECT_EQ(stk_query_pending_error().error_message, "The transaction is being processed");
    EXPECT_EQ(stk_query_unknown_error().error_message, "The transaction does not Exist");
    EXPECT_EQ(stk_query_unknown_error().error_code, "500.001.1001");
}

}  // namespace
}  // namespace gw::sim
