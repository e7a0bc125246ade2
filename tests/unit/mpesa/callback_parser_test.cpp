// Proves that the Daraja callback parsers accept the bodies DARAJA.md records (§4 STK callbacks,
// §6 B2C results, §7 Transaction Status, Account Balance and queue-timeout results, the loose
// types of §10) verbatim, read metadata by name whatever its order, and keep every amount exact
// to the cent however Daraja spells it (1, 1.00, 250.00, "250"). The rejecting side is in
// callback_parser_malformed_test.cpp.

#include "mpesa/callback_parser.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "callback_test_support.hpp"

namespace gw::mpesa {
namespace {

using test::kStkCancelled;
using test::result_body;
using test::stk_body;
using test::stk_paid;

// DARAJA.md §4, verbatim.
constexpr std::string_view kStkSuccess =
    R"({"Body":{"stkCallback":{"MerchantRequestID":"6a1f-4c2d-8e3b-90f7d2a1c5e81234",
 "CheckoutRequestID":"ws_CO_01032025143006512708374149","ResultCode":0,
 "ResultDesc":"The service request is processed successfully.",
 "CallbackMetadata":{"Item":[{"Name":"Amount","Value":250.00},
  {"Name":"MpesaReceiptNumber","Value":"TC14XK2Q9P"},{"Name":"Balance"},
  {"Name":"TransactionDate","Value":20250301143041},{"Name":"PhoneNumber","Value":254708374149}]}}}})";

// DARAJA.md §6, verbatim.
constexpr std::string_view kB2cSuccess =
    R"({"Result":{"ResultType":0,"ResultCode":0,"ResultDesc":"The service request is processed successfully.",
 "OriginatorConversationID":"gw-po-42","ConversationID":"AG_20250301_2010a1b2c3d4e5f6a7b8","TransactionID":"TC17PLM4QX",
 "ResultParameters":{"ResultParameter":[{"Key":"TransactionAmount","Value":1500},
  {"Key":"TransactionReceipt","Value":"TC17PLM4QX"},{"Key":"ReceiverPartyPublicName","Value":"254708374149 - JANE DOE"},
  {"Key":"TransactionCompletedDateTime","Value":"01.03.2025 14:41:07"},
  {"Key":"B2CUtilityAccountAvailableFunds","Value":98500.00},{"Key":"B2CWorkingAccountAvailableFunds","Value":0.00},
  {"Key":"B2CRecipientIsRegisteredCustomer","Value":"Y"},{"Key":"B2CChargesPaidAccountAvailableFunds","Value":-33.00}]},
 "ReferenceData":{"ReferenceItem":{"Key":"QueueTimeoutURL","Value":"https://internalsandbox.safaricom.co.ke/mpesa/b2cresults/v1/submit"}}}})";

// DARAJA.md §6: failures keep TransactionID and drop ResultParameters.
constexpr std::string_view kB2cWrongInitiator =
    R"({"Result":{"ResultType":0,"ResultCode":2001,"ResultDesc":"The initiator information is invalid.",
 "OriginatorConversationID":"gw-po-44","ConversationID":"AG_20250301_2010c3d4e5f6a7b8c9d0","TransactionID":"TC17PLM4QY",
 "ReferenceData":{"ReferenceItem":{"Key":"QueueTimeoutURL","Value":"https://internalsandbox.safaricom.co.ke/mpesa/b2cresults/v1/submit"}}}})";

// DARAJA.md §7: the documented Transaction Status keys, valueless TransactionReason included.
constexpr std::string_view kStatusCompleted =
    R"({"Result":{"ResultType":0,"ResultCode":0,"ResultDesc":"The service request is processed successfully.",
 "OriginatorConversationID":"gw-ts-7","ConversationID":"AG_20250301_2010e5f6a7b8c9d0e1f2","TransactionID":"TC17PLM4RA",
 "ResultParameters":{"ResultParameter":[{"Key":"DebitPartyName","Value":"600310 - Gold Wallet"},
  {"Key":"CreditPartyName","Value":"254708374149 - JANE DOE"},{"Key":"OriginatorConversationID","Value":"gw-po-42"},
  {"Key":"InitiatedTime","Value":20250301144105},{"Key":"DebitAccountType","Value":"Utility Account"},
  {"Key":"DebitPartyCharges","Value":"Fee For B2C Payment|KES|22.40"},{"Key":"TransactionReason"},
  {"Key":"ReasonType","Value":"Business Payment to Customer via API"},{"Key":"TransactionStatus","Value":"Completed"},
  {"Key":"FinalisedTime","Value":20250301144107},{"Key":"Amount","Value":1500.00},
  {"Key":"ConversationID","Value":"AG_20250301_2010a1b2c3d4e5f6a7b8"},{"Key":"ReceiptNo","Value":"TC17PLM4QX"}]},
 "ReferenceData":{"ReferenceItem":{"Key":"Occasion"}}}})";

// DARAJA.md §7: an unknown receipt answers 2032.
constexpr std::string_view kStatusUnknownReceipt =
    R"({"Result":{"ResultType":0,"ResultCode":2032,"ResultDesc":"The transaction receipt number does not exist.",
 "OriginatorConversationID":"gw-ts-8","ConversationID":"AG_20250301_2010f6a7b8c9d0e1f2a3","TransactionID":"TC17PLM4RB",
 "ReferenceData":{"ReferenceItem":{"Key":"Occasion"}}}})";

// ---- documented bodies ----

TEST(StkCallback, DocumentedSuccessIsReadByName) {
    const Result<StkCallback> parsed = parse_stk_callback(kStkSuccess);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
    EXPECT_EQ(parsed->merchant_request_id, "6a1f-4c2d-8e3b-90f7d2a1c5e81234");
    EXPECT_EQ(parsed->checkout_request_id, "ws_CO_01032025143006512708374149");
    EXPECT_EQ(parsed->result_code, "0");
    EXPECT_TRUE(parsed->succeeded());
    EXPECT_EQ(parsed->result_desc, "The service request is processed successfully.");
    EXPECT_EQ(parsed->amount, Cents{25'000});
    EXPECT_EQ(parsed->receipt, "TC14XK2Q9P");
    EXPECT_EQ(parsed->transaction_date, "20250301143041");
    EXPECT_EQ(parsed->phone, "254708374149");
}

TEST(StkCallback, DocumentedCancellationHasNoMetadata) {
    const Result<StkCallback> parsed = parse_stk_callback(kStkCancelled);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
    EXPECT_EQ(parsed->result_code, "1032");
    EXPECT_FALSE(parsed->succeeded());
    EXPECT_EQ(parsed->result_desc, "Request cancelled by user");
    EXPECT_FALSE(parsed->amount.has_value());
    EXPECT_FALSE(parsed->receipt.has_value());
    EXPECT_FALSE(parsed->phone.has_value());
}

TEST(StkCallback, StringResultCodesAreKeptAsText) {
    const Result<StkCallback> wrong_type = parse_stk_callback(
        R"({"Body":{"stkCallback":{"MerchantRequestID":"m","CheckoutRequestID":"ws_CO_2",)"
        R"("ResultCode":"SFC_IC0003","ResultDesc":"x"}}})");
    ASSERT_TRUE(wrong_type.has_value()) << wrong_type.error().detail;
    EXPECT_EQ(wrong_type->result_code, "SFC_IC0003");
    EXPECT_FALSE(wrong_type->succeeded());

    const Result<StkCallback> string_zero = parse_stk_callback(stk_body(
        R"("0")",
        R"({"Name":"Amount","Value":"250"},{"Name":"MpesaReceiptNumber","Value":"TC14XK2Q9P"})"));
    ASSERT_TRUE(string_zero.has_value()) << string_zero.error().detail;
    EXPECT_TRUE(string_zero->succeeded());
    EXPECT_EQ(string_zero->amount, Cents{25'000});
}

TEST(StkCallback, BalanceWithoutValueOrAbsentIsFine) {
    const std::string paid =
        R"({"Name":"Amount","Value":1},{"Name":"MpesaReceiptNumber","Value":"TC14XK2Q9P"})";
    for (const std::string& items :
         {paid + R"(,{"Name":"Balance"})", paid, paid + R"(,{"Name":"Balance","Value":null})"}) {
        SCOPED_TRACE(items);
        const Result<StkCallback> parsed = parse_stk_callback(stk_body("0", items));
        ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
        EXPECT_EQ(parsed->amount, Cents{100});
    }
}

TEST(StkCallback, AmountsAreExactWhateverTheSpelling) {
    const std::pair<std::string_view, Cents> cases[] = {
        {"1", Cents{100}},
        {"1.00", Cents{100}},
        {"250.00", Cents{25'000}},
        {"250", Cents{25'000}},
        {R"("250")", Cents{25'000}},
        {R"("250.00")", Cents{25'000}},
        {"250.5", Cents{25'050}},
        {"0.01", Cents{1}},
        {"1000000", kCallbackAmountMax},
        {"1000000.00", kCallbackAmountMax},
    };
    for (const auto& [amount, cents] : cases) {
        SCOPED_TRACE(amount);
        const Result<StkCallback> parsed = parse_stk_callback(stk_paid(amount));
        ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
        EXPECT_EQ(parsed->amount, cents);
    }
}

TEST(StkCallback, MetadataOrderDoesNotMatter) {
    const Result<StkCallback> parsed = parse_stk_callback(stk_body(
        "0",
        R"({"Name":"PhoneNumber","Value":"254708374149"},{"Name":"Balance"},)"
        R"({"Name":"TransactionDate","Value":"20250301143041"},)"
        R"({"Name":"MpesaReceiptNumber","Value":"TC14XK2Q9P"},{"Name":"Amount","Value":250.00})"));
    ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
    const StkCallback& callback = *parsed;
    EXPECT_EQ(callback.amount, Cents{25'000});
    EXPECT_EQ(callback.receipt, "TC14XK2Q9P");
    EXPECT_EQ(callback.transaction_date, "20250301143041");
    EXPECT_EQ(callback.phone, "254708374149");
}

TEST(StkCallback, ToleratesWhatDarajaMayAdd) {
    // Unknown members and items, a single Item object, a repeated item with the same value, a
    // UTF-8 BOM (RFC 8259 §8.1 lets a parser ignore it) and null for an optional member.
    const Result<StkCallback> extra = parse_stk_callback(
        "\xEF\xBB\xBF"
        R"({"Body":{"stkCallback":{"MerchantRequestID":null,"CheckoutRequestID":"ws_CO_3",)"
        R"("ResultCode":1,"ResultDesc":"x","New":{"a":[1,2]},"CallbackMetadata":{"Item":)"
        R"({"Name":"Amount","Value":5}}},"Other":true},"Envelope":"v2"})");
    ASSERT_TRUE(extra.has_value()) << extra.error().detail;
    EXPECT_EQ(extra->merchant_request_id, "");
    EXPECT_EQ(extra->amount, Cents{500});

    const Result<StkCallback> repeated = parse_stk_callback(stk_body(
        "0",
        R"({"Name":"Amount","Value":5},{"Name":"Amount","Value":"5"},)"
        R"({"Name":"MpesaReceiptNumber","Value":"TC14XK2Q9P"},{"Name":"Extra","Value":"y"})"));
    ASSERT_TRUE(repeated.has_value()) << repeated.error().detail;
    EXPECT_EQ(repeated->amount, Cents{500});
}

TEST(DarajaResult, DocumentedB2cSuccessHasTheEightParameters) {
    const Result<B2cPayoutResult> parsed = parse_b2c_result(kB2cSuccess);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
    const DarajaResult& result = parsed->result;
    EXPECT_TRUE(result.succeeded());
    EXPECT_EQ(result.result_type, "0");
    EXPECT_EQ(result.originator_conversation_id, "gw-po-42");
    EXPECT_EQ(result.conversation_id, "AG_20250301_2010a1b2c3d4e5f6a7b8");
    EXPECT_EQ(result.transaction_id, "TC17PLM4QX");
    ASSERT_EQ(result.parameters.size(), 8U);
    EXPECT_EQ(result.parameters[0], (ResultParameter{"TransactionAmount", "1500"}));
    EXPECT_EQ(result.parameter("B2CUtilityAccountAvailableFunds"), "98500.00");
    EXPECT_EQ(result.parameter("B2CWorkingAccountAvailableFunds"), "0.00");
    EXPECT_EQ(result.parameter("B2CChargesPaidAccountAvailableFunds"), "-33.00");
    EXPECT_EQ(result.parameter("B2CRecipientIsRegisteredCustomer"), "Y");
    EXPECT_EQ(result.parameter("NoSuchKey"), std::nullopt);
    ASSERT_EQ(result.reference_items.size(), 1U);
    EXPECT_EQ(result.reference_items[0].key, "QueueTimeoutURL");
    EXPECT_EQ(parsed->amount, Cents{150'000});
    EXPECT_EQ(parsed->receipt, "TC17PLM4QX");
    EXPECT_EQ(parsed->completed_at, "01.03.2025 14:41:07");
}

TEST(DarajaResult, DocumentedB2cFailureHasNoParameters) {
    const Result<B2cPayoutResult> parsed = parse_b2c_result(kB2cWrongInitiator);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
    EXPECT_EQ(parsed->result.result_code, "2001");
    EXPECT_FALSE(parsed->result.succeeded());
    EXPECT_EQ(parsed->result.transaction_id, "TC17PLM4QY");
    EXPECT_TRUE(parsed->result.parameters.empty());
    EXPECT_FALSE(parsed->amount.has_value());
    EXPECT_FALSE(parsed->receipt.has_value());
}

TEST(DarajaResult, ReferenceItemMayBeAnArrayAndTypesMayBeStrings) {
    const Result<DarajaResult> parsed = parse_daraja_result(
        R"({"Result":{"ResultType":"1","ResultCode":"SFC_IC0003","ResultDesc":"x",)"
        R"("OriginatorConversationID":"gw-po-45","TransactionID":"",)"
        R"("ReferenceData":{"ReferenceItem":[{"Key":"QueueTimeoutURL","Value":"https://a/b"},)"
        R"({"Key":"Occasion"}]}}})");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
    EXPECT_EQ(parsed->result_type, "1");
    EXPECT_EQ(parsed->result_code, "SFC_IC0003");
    EXPECT_EQ(parsed->conversation_id, "");
    EXPECT_EQ(parsed->transaction_id, "");
    ASSERT_EQ(parsed->reference_items.size(), 2U);
    EXPECT_EQ(parsed->reference_items[1], (ResultParameter{"Occasion", std::nullopt}));
}

TEST(DarajaResult, DocumentedTransactionStatusIsTyped) {
    const Result<TransactionStatusResult> parsed =
        parse_transaction_status_result(kStatusCompleted);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
    EXPECT_EQ(parsed->receipt, "TC17PLM4QX");
    EXPECT_EQ(parsed->status, "Completed");
    EXPECT_EQ(parsed->amount, Cents{150'000});
    EXPECT_EQ(parsed->reason_type, "Business Payment to Customer via API");
    EXPECT_EQ(parsed->initiated_at, "20250301144105");
    EXPECT_EQ(parsed->finalised_at, "20250301144107");
    EXPECT_EQ(parsed->result.parameter("DebitPartyCharges"), "Fee For B2C Payment|KES|22.40");
    EXPECT_EQ(parsed->result.parameter("TransactionReason"), std::nullopt);
}

TEST(DarajaResult, UnknownReceiptIs2032) {
    const Result<TransactionStatusResult> parsed =
        parse_transaction_status_result(kStatusUnknownReceipt);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
    EXPECT_EQ(parsed->result.result_code, "2032");
    EXPECT_FALSE(parsed->receipt.has_value());
    EXPECT_FALSE(parsed->status.has_value());
}

TEST(DarajaResult, QueueTimeoutAndAccountBalanceUseTheEnvelope) {
    const Result<DarajaResult> timeout = parse_daraja_result(
        R"({"Result":{"ResultType":0,"ResultCode":1037,"ResultDesc":"Timed out in the queue",)"
        R"("OriginatorConversationID":"gw-po-46","ConversationID":"AG_20250301_2010d4","TransactionID":""}})");
    ASSERT_TRUE(timeout.has_value()) << timeout.error().detail;
    EXPECT_EQ(timeout->result_code, "1037");
    EXPECT_FALSE(timeout->succeeded());

    const Result<DarajaResult> balance = parse_daraja_result(result_body(
        R"("ResultCode":0,"ResultParameters":{"ResultParameter":[{"Key":"AccountBalance",)"
        R"("Value":"Utility Account|KES|228037.00|228037.00|0.00|0.00&Working Account|KES|0.00|0.00|0.00|0.00"},)"
        R"({"Key":"BOCompletedTime","Value":20250301150102}]})"));
    ASSERT_TRUE(balance.has_value()) << balance.error().detail;
    EXPECT_EQ(balance->parameter("BOCompletedTime"), "20250301150102");
    EXPECT_EQ(balance->parameter("AccountBalance")->substr(0, 30),
              "Utility Account|KES|228037.00|");
}

}  // namespace
}  // namespace gw::mpesa
