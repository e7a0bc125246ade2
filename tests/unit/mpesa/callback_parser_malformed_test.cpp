// Proves that every class of malformed Daraja callback body (not JSON, no envelope, missing or
// mistyped ids, a success without its amount or receipt, inexact/negative/zero/over-limit
// amounts, bad receipts, wrong metadata types, conflicting duplicates, control characters)
// fails with exactly ErrorCode::malformed_callback, a detail naming the broken rule and never
// the phone number, and no exception; and that each limit (text length, body size, nesting,
// list length) accepts its max and refuses max+1.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "callback_test_support.hpp"
#include "mpesa/callback_parser.hpp"

namespace gw::mpesa {
namespace {

using test::expect_malformed;
using test::expect_result_malformed;
using test::expect_stk_malformed;
using test::kStkCancelled;
using test::result_body;
using test::stk_body;
using test::stk_paid;

// ---- malformed bodies: one test per class, exact ErrorCode ----

TEST(CallbackMalformed, NotJsonOrNotAnObject) {
    for (const std::string_view body :
         {"",
          "not json",
          R"({"Body":{"stkCallback":{"CheckoutRequestID":"ws_CO_1")",
          "[]",
          "42",
          R"("text")",
          "null",
          R"({"Body":1}{})",
          "NaN",
          R"({"Body":{"stkCallback":{"ResultCode":NaN}}})",
          "{\"Body\":{\"stkCallback\":{\"CheckoutRequestID\":\"ws\xff\"}}}"}) {
        expect_stk_malformed(body, "JSON");
        expect_result_malformed(body, "JSON");
    }
}

TEST(CallbackMalformed, MissingEnvelope) {
    expect_stk_malformed(R"({"Result":{"ResultCode":0,"ConversationID":"AG_1"}})",
                         "Body is missing");
    expect_stk_malformed(R"({"Body":{"stk":{}}})", "stkCallback is missing");
    expect_stk_malformed(R"({"Body":[{"stkCallback":{}}]})", "Body is not an object");
    expect_stk_malformed(R"({"Body":{"stkCallback":"yes"}})", "stkCallback is not an object");
    expect_stk_malformed(R"({"Body":null})", "Body is missing");
    expect_result_malformed(std::string(kStkCancelled), "Result is missing");
    expect_result_malformed(R"({"Result":[]})", "Result is not an object");
}

TEST(CallbackMalformed, MissingOrMistypedIds) {
    const std::string_view both_missing = "ConversationID and OriginatorConversationID";
    expect_stk_malformed(R"({"Body":{"stkCallback":{"ResultCode":0}}})",
                         "CheckoutRequestID is missing");
    expect_stk_malformed(R"({"Body":{"stkCallback":{"CheckoutRequestID":"","ResultCode":1}}})",
                         "CheckoutRequestID is missing");
    expect_stk_malformed(R"({"Body":{"stkCallback":{"CheckoutRequestID":17,"ResultCode":1}}})",
                         "CheckoutRequestID has the wrong type");
    for (const std::string_view code : {"null", "\"\""}) {
        expect_stk_malformed(R"({"Body":{"stkCallback":{"CheckoutRequestID":"ws","ResultCode":)" +
                                 std::string(code) + "}}}",
                             "ResultCode is missing");
    }
    for (const std::string_view code : {"0.0", "true", "[0]", "{}"}) {
        expect_stk_malformed(R"({"Body":{"stkCallback":{"CheckoutRequestID":"ws","ResultCode":)" +
                                 std::string(code) + "}}}",
                             "ResultCode has the wrong type");
    }
    expect_stk_malformed(
        R"({"Body":{"stkCallback":{"CheckoutRequestID":"ws","ResultCode":1,"ResultDesc":7}}})",
        "ResultDesc has the wrong type");
    expect_result_malformed(R"({"Result":{"ResultCode":0,"TransactionID":"TC17PLM4QX"}})",
                            both_missing);
    expect_result_malformed(R"({"Result":{"ResultCode":0,"ConversationID":""}})", both_missing);
    expect_result_malformed(R"({"Result":{"ConversationID":"AG_1"}})", "ResultCode is missing");
    expect_result_malformed(R"({"Result":{"ResultCode":0,"ConversationID":5}})",
                            "ConversationID has the wrong type");
    expect_result_malformed(
        R"({"Result":{"ResultType":[0],"ResultCode":0,"ConversationID":"AG_1"}})",
        "ResultType has the wrong type");
}

TEST(CallbackMalformed, SuccessWithoutAmountOrReceipt) {
    expect_stk_malformed(R"({"Body":{"stkCallback":{"CheckoutRequestID":"ws","ResultCode":0}}})",
                         "lacks Amount");
    expect_stk_malformed(stk_body("0", R"({"Name":"Amount","Value":250})"),
                         "lacks MpesaReceiptNumber");
    expect_stk_malformed(stk_body("0", R"({"Name":"MpesaReceiptNumber","Value":"TC14XK2Q9P"})"),
                         "lacks Amount");
    expect_stk_malformed(
        stk_body("0", R"({"Name":"Amount"},{"Name":"MpesaReceiptNumber","Value":"TC14XK2Q9P"})"),
        "lacks Amount");
    expect_malformed(
        parse_b2c_result(result_body(R"("ResultCode":0,"ResultParameters":{"ResultParameter":)"
                                     R"({"Key":"TransactionAmount","Value":10}})")),
        "lacks TransactionReceipt");
    expect_malformed(parse_b2c_result(result_body(R"("ResultCode":0)")), "lacks TransactionAmount");
    expect_malformed(parse_transaction_status_result(
                         result_body(R"("ResultCode":0,"ResultParameters":{"ResultParameter":)"
                                     R"({"Key":"TransactionStatus","Value":"Completed"}})")),
                     "lacks ReceiptNo");
}

TEST(CallbackMalformed, AmountsThatAreNotExactPositiveCents) {
    const std::pair<std::string_view, std::string_view> amounts[] = {
        {"-1", "must not be negative"},
        {"-0.01", "must not be negative"},
        {"0", "greater than zero"},
        {"0.00", "greater than zero"},
        {"-0", "greater than zero"},  // JSON reads -0 as the integer 0
        {"250.001", "at most 2 decimal places"},
        {"0.001", "at most 2 decimal places"},
        {"1000000.01", "must not exceed 1000000.00"},
        {"1000001", "must not exceed 1000000.00"},
        {"99999999999999999999999", "must not exceed 1000000.00"},
        {"18446744073709551616", "must not exceed 1000000.00"},  // 2^64
        {"2.5e2", "exponent"},
        {"1E3", "exponent"},
        {R"("abc")", "plain decimal number"},
        {R"("250 ")", "plain decimal number"},
        {R"("0250")", "plain decimal number"},
        {R"("1e3")", "plain decimal number"},
        {R"("")", "plain decimal number"},
        {"true", "Value has the wrong type"},
        {R"({"v":1})", "Value has the wrong type"},
        {"[250]", "Value has the wrong type"},
    };
    for (const auto& [amount, because] : amounts) {
        SCOPED_TRACE(amount);
        expect_stk_malformed(stk_paid(amount), because);
    }
    // An amount is checked even when the code says the payment failed.
    expect_stk_malformed(stk_body("1032", R"({"Name":"Amount","Value":-5})"), "negative");
    expect_malformed(
        parse_b2c_result(result_body(
            R"("ResultCode":1,"ResultParameters":{"ResultParameter":{"Key":"TransactionAmount","Value":1.005}})")),
        "decimal places");
    expect_malformed(
        parse_transaction_status_result(result_body(
            R"("ResultCode":1,"ResultParameters":{"ResultParameter":{"Key":"Amount","Value":-1}})")),
        "negative");
}

TEST(CallbackMalformed, ReceiptsThatAreNotTenUpperCaseAlphanumerics) {
    for (const std::string_view receipt : {R"("tc14xk2q9p")",
                                           R"("TC14XK2Q9")",
                                           R"("TC14XK2Q9PX")",
                                           R"("TC14XK2Q9-")",
                                           R"("TC14XK2Q9 ")",
                                           R"("")"}) {
        SCOPED_TRACE(receipt);
        expect_stk_malformed(
            stk_body("0",
                     R"({"Name":"Amount","Value":1},{"Name":"MpesaReceiptNumber","Value":)" +
                         std::string(receipt) + "}"),
            "MpesaReceiptNumber");
    }
    expect_malformed(
        parse_b2c_result(result_body(
            R"("ResultCode":0,"ResultParameters":{"ResultParameter":[{"Key":"TransactionAmount","Value":10},)"
            R"({"Key":"TransactionReceipt","Value":"short"}]})")),
        "TransactionReceipt is not 10");
    expect_malformed(
        parse_transaction_status_result(result_body(
            R"("ResultCode":0,"ResultParameters":{"ResultParameter":[{"Key":"TransactionStatus","Value":"Completed"},)"
            R"({"Key":"ReceiptNo","Value":"tc17plm4qx"}]})")),
        "ReceiptNo is not 10");
    EXPECT_TRUE(is_mpesa_receipt("NLJ7RT61SV"));
    EXPECT_FALSE(is_mpesa_receipt("NLJ7RT61Sv"));
}

TEST(CallbackMalformed, WrongMetadataTypes) {
    const std::string paid =
        R"({"Name":"Amount","Value":1},{"Name":"MpesaReceiptNumber","Value":"TC14XK2Q9P"},)";
    const std::pair<std::string_view, std::string_view> items[] = {
        {R"({"Name":"TransactionDate","Value":2025030114304})", "TransactionDate is not 14 digits"},
        {R"({"Name":"TransactionDate","Value":"2025-03-01 14:30"})", "TransactionDate is not 14"},
        {R"({"Name":"TransactionDate","Value":20250301143041.0})", "TransactionDate has the wrong"},
        {R"({"Name":"PhoneNumber","Value":254708374149.0})", "PhoneNumber has the wrong type"},
        {R"({"Name":"PhoneNumber","Value":false})", "Value has the wrong type"},
        {R"({"Name":"Balance","Value":{"x":1}})", "Value has the wrong type"},
        {R"({"Name":"Balance","Value":[1]})", "Value has the wrong type"},
        {R"({"Value":1})", "Name is missing"},
        {R"({"Name":"","Value":1})", "Name is missing"},
        {R"({"Name":7,"Value":1})", "Name has the wrong type"},
        {R"("Amount")", "entry that is not an object"},
    };
    for (const auto& [item, because] : items) {
        expect_stk_malformed(stk_body("0", paid + std::string(item)), because);
    }
    expect_stk_malformed(stk_body("0",
                                  R"({"Name":"Amount","Value":1},)"
                                  R"({"Name":"MpesaReceiptNumber","Value":1234567890})"),
                         "MpesaReceiptNumber has the wrong type");
    expect_stk_malformed(R"({"Body":{"stkCallback":{"CheckoutRequestID":"ws","ResultCode":1,)"
                         R"("CallbackMetadata":[]}}})",
                         "CallbackMetadata is not an object");
    expect_stk_malformed(R"({"Body":{"stkCallback":{"CheckoutRequestID":"ws","ResultCode":1,)"
                         R"("CallbackMetadata":{"Item":"x"}}}})",
                         "Item is neither an object nor an array");
    expect_result_malformed(result_body(R"("ResultCode":0,"ResultParameters":[])"),
                            "ResultParameters is not an object");
    expect_result_malformed(
        result_body(R"("ResultCode":0,"ReferenceData":{"ReferenceItem":[{"Key":1}]})"),
        "Key has the wrong type");
}

TEST(CallbackMalformed, DuplicatesWithDifferentValues) {
    expect_stk_malformed(stk_body("0",
                                  R"({"Name":"Amount","Value":1},{"Name":"Amount","Value":2},)"
                                  R"({"Name":"MpesaReceiptNumber","Value":"TC14XK2Q9P"})"),
                         "Item repeats a Name");
    expect_stk_malformed(stk_body("1", R"({"Name":"Balance"},{"Name":"Balance","Value":2})"),
                         "Item repeats a Name");
    expect_result_malformed(
        result_body(
            R"("ResultCode":0,"ResultParameters":{"ResultParameter":[{"Key":"A","Value":"x"},)"
            R"({"Key":"A","Value":"y"}]})"),
        "ResultParameter repeats a Key");
    // A repeated JSON member is ambiguous (parsers disagree on which one wins), so it is refused.
    expect_stk_malformed(
        R"({"Body":{"stkCallback":{"CheckoutRequestID":"ws","ResultCode":1032,"ResultCode":0}}})",
        "repeats a member name");
}

TEST(CallbackMalformed, ControlCharactersInText) {
    expect_stk_malformed(
        R"({"Body":{"stkCallback":{"CheckoutRequestID":"ws\u0000","ResultCode":1}}})",
        "control character");
    expect_result_malformed(result_body(R"("ResultCode":0,"ResultDesc":"a\nb")"),
                            "control character");
}

// ---- limits at max and max+1 ----

TEST(CallbackLimits, TextLength) {
    const auto body = [](std::size_t length) {
        return result_body(R"("ResultCode":0,"ResultDesc":")" + std::string(length, 'a') + "\"");
    };
    EXPECT_TRUE(parse_daraja_result(body(kCallbackTextBytesMax)).has_value());
    expect_result_malformed(body(kCallbackTextBytesMax + 1), "longer than 200 bytes");
}

TEST(CallbackLimits, BodySize) {
    const auto padded = [](std::size_t size) {
        const std::string tail = std::string(kStkCancelled).substr(1);
        const std::string head = R"({"Pad":")";
        return head + std::string(size - head.size() - tail.size() - 2, ' ') + "\"," + tail;
    };
    ASSERT_EQ(padded(kCallbackBodyBytesMax).size(), kCallbackBodyBytesMax);
    EXPECT_TRUE(parse_stk_callback(padded(kCallbackBodyBytesMax)).has_value());
    expect_stk_malformed(padded(kCallbackBodyBytesMax + 1), "larger than 65536 bytes");
}

TEST(CallbackLimits, NestingDepth) {
    // The root and Result objects are levels 1 and 2, so `levels - 2` arrays reach `levels`.
    const auto nested = [](std::size_t levels) {
        return result_body(R"("ResultCode":0,"Extra":)" + std::string(levels - 2, '[') +
                           std::string(levels - 2, ']'));
    };
    EXPECT_TRUE(parse_daraja_result(nested(kCallbackJsonDepthMax)).has_value());
    expect_result_malformed(nested(kCallbackJsonDepthMax + 1), "nested too deeply");
    expect_result_malformed(std::string(30'000, '[') + std::string(30'000, ']'),
                            "nested too deeply");
    expect_result_malformed(std::string(60'000, '['), "nested too deeply");
}

TEST(CallbackLimits, ListLength) {
    const auto items = [](std::size_t count) {
        std::string list;
        for (std::size_t i = 0; i < count; ++i) {
            list += (i == 0 ? "" : ",") + std::string(R"({"Name":"K)") + std::to_string(i) +
                    R"(","Value":1})";
        }
        return stk_body("1032", list);
    };
    EXPECT_TRUE(parse_stk_callback(items(kCallbackItemsMax)).has_value());
    expect_stk_malformed(items(kCallbackItemsMax + 1), "more than 64 entries");
}

TEST(CallbackLimits, DetailNeverEchoesThePhoneNumber) {
    const std::string paid =
        R"({"Name":"Amount","Value":1},{"Name":"MpesaReceiptNumber","Value":"TC14XK2Q9P"},)";
    const std::string long_phone = R"("254708374149)" + std::string(300, '9') + "\"";
    for (const std::string_view phone :
         {R"("254708374149\n")", "254708374149.5", long_phone.c_str()}) {
        std::string items = paid;
        items.append(R"({"Name":"PhoneNumber","Value":)").append(phone).append("}");
        const Result<StkCallback> parsed = parse_stk_callback(stk_body("0", items));
        expect_malformed(parsed);
        EXPECT_LT(parsed.error().detail.size(), 120U);
    }
}

}  // namespace
}  // namespace gw::mpesa
