#pragma once

// Builders and assertions shared by the callback parser tests: bodies in the shape DARAJA.md
// documents, and expect_malformed, which checks the exact ErrorCode, that the intended rule
// fired and that the detail never echoes the test MSISDN.

#include <ostream>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/money.hpp"
#include "mpesa/callback_parser.hpp"

#include "support/money_test_support.hpp"

namespace gw {
namespace mpesa::test {

// DARAJA.md §4, the failure: the same stkCallback with 1032 and no CallbackMetadata.
inline constexpr std::string_view kStkCancelled =
    R"({"Body":{"stkCallback":{"MerchantRequestID":"6a1f-4c2d-8e3b-90f7d2a1c5e81234",
 "CheckoutRequestID":"ws_CO_01032025143006512708374149","ResultCode":1032,
 "ResultDesc":"Request cancelled by user"}}})";

// Builds an STK callback with ResultCode `code` (JSON text) and the Item array `items`.
inline std::string stk_body(std::string_view code, std::string_view items) {
    return std::string(R"({"Body":{"stkCallback":{"MerchantRequestID":"m-1",)") +
           R"("CheckoutRequestID":"ws_CO_1","ResultCode":)" + std::string(code) +
           R"(,"ResultDesc":"d","CallbackMetadata":{"Item":[)" + std::string(items) + "]}}}}";
}

// A success STK callback whose Amount item has the Value `amount` (JSON text).
inline std::string stk_paid(std::string_view amount) {
    return stk_body("0",
                    R"({"Name":"Amount","Value":)" + std::string(amount) +
                        R"(},{"Name":"MpesaReceiptNumber","Value":"TC14XK2Q9P"})");
}

// Builds a Result envelope around `members` (JSON members without braces).
inline std::string result_body(std::string_view members) {
    return std::string(R"({"Result":{"ResultType":0,"ConversationID":"AG_1",)") +
           std::string(members) + "}}";
}

// Asserts that `result` failed with malformed_callback, a detail containing `because` (so the
// intended rule fired, not another one) and no trace of the test MSISDN.
template <typename T>
void expect_malformed(const Result<T>& result, std::string_view because = "") {
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::malformed_callback);
    EXPECT_FALSE(result.error().detail.empty());
    EXPECT_NE(result.error().detail.find(because), std::string::npos) << result.error().detail;
    EXPECT_EQ(result.error().detail.find("254708374149"), std::string::npos);
    EXPECT_EQ(result.error().detail.find("708374149"), std::string::npos);
}

inline void expect_stk_malformed(std::string_view body, std::string_view because = "") {
    SCOPED_TRACE(::testing::Message() << "body: " << body.substr(0, 160));
    expect_malformed(parse_stk_callback(body), because);
}

inline void expect_result_malformed(std::string_view body, std::string_view because = "") {
    SCOPED_TRACE(::testing::Message() << "body: " << body.substr(0, 160));
    expect_malformed(parse_daraja_result(body), because);
}

}  // namespace mpesa::test
}  // namespace gw
