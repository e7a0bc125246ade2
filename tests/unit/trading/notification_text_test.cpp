// Proves what an in-app notification says (trading/notification_text.hpp): each of the four
// kinds quotes the trade's figures, every failure reason settlement records reads as its own
// plain sentence, a payload the notifier cannot use is refused with std::invalid_argument, and
// no title or body can carry a run of nine or more digits (a phone number), whatever the
// payload holds.

#include "trading/notification_text.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace gw::trading {
namespace {

constexpr const char* kUser = "0b7c5a0e-1b9f-4c7e-8d3a-2f6e4b1c9a70";
constexpr const char* kTrade = "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";

nlohmann::json payload(const std::string& side,
                       const std::string& status,
                       const std::string& reason = "",
                       const std::string& receipt = "") {
    return {{"user_id", kUser},
            {"trade_id", kTrade},
            {"side", side},
            {"status", status},
            {"reason", reason},
            {"grams", "0.100000"},
            {"amount_kes", "850.00"},
            {"receipt", receipt}};
}

std::size_t longest_digit_run(const std::string& text) {
    std::size_t longest = 0;
    std::size_t run = 0;
    for (char c : text) {
        run = (c >= '0' && c <= '9') ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(NotificationText, ACompletedBuyQuotesTheGramsAmountAndReceipt) {
    const NotificationText text = notification_text(payload("buy", "completed", "", "UKQ1ABC2DE"));
    EXPECT_EQ(text.kind, "buy_completed");
    EXPECT_EQ(text.user_id, kUser);
    EXPECT_EQ(text.trade_id, kTrade);
    EXPECT_EQ(text.title, "Gold purchase complete");
    EXPECT_EQ(text.body,
              "You bought 0.100000 g of gold for KES 850.00. It is in your wallet now. "
              "M-Pesa receipt UKQ1ABC2DE.");
}

TEST(NotificationText, ALatePaymentCreditSaysThePaymentCameLate) {
    const NotificationText text =
        notification_text(payload("buy", "completed", "late_payment", "UKQ1ABC2DE"));
    EXPECT_EQ(text.kind, "buy_completed");
    EXPECT_TRUE(contains(text.body, "arrived after the purchase had timed out")) << text.body;
    EXPECT_TRUE(contains(text.body, "you bought 0.100000 g of gold for KES 850.00")) << text.body;
}

TEST(NotificationText, AFailedBuySaysWhyAndThatNoMoneyWasTaken) {
    const NotificationText text = notification_text(payload("buy", "failed", "cancelled"));
    EXPECT_EQ(text.kind, "buy_failed");
    EXPECT_EQ(text.title, "Gold purchase failed");
    EXPECT_EQ(
        text.body,
        "Your purchase of 0.100000 g of gold for KES 850.00 did not go through. You cancelled the "
        "M-Pesa prompt. No money was taken from your M-Pesa.");
}

TEST(NotificationText, ATimedOutBuyPromisesTheGoldOrARefundForALatePayment) {
    for (const char* reason : {"timeout", "expired"}) {
        const NotificationText text = notification_text(payload("buy", "failed", reason));
        EXPECT_TRUE(contains(text.body, "you will get the gold or a refund")) << reason;
    }
    EXPECT_FALSE(contains(notification_text(payload("buy", "failed", "wrong_pin")).body, "refund"));
}

TEST(NotificationText, ACompletedSellSaysTheMoneyWasSent) {
    const NotificationText text = notification_text(payload("sell", "completed", "", "UKR9XYZ8WV"));
    EXPECT_EQ(text.kind, "sell_completed");
    EXPECT_EQ(text.title, "Gold sale complete");
    EXPECT_EQ(text.body,
              "You sold 0.100000 g of gold for KES 850.00. The money was sent to your M-Pesa. "
              "M-Pesa receipt UKR9XYZ8WV.");
}

TEST(NotificationText, AFailedSellSaysTheGoldIsBack) {
    const NotificationText text = notification_text(payload("sell", "failed", "payout_failed"));
    EXPECT_EQ(text.kind, "sell_failed");
    EXPECT_EQ(text.title, "Gold sale failed");
    EXPECT_EQ(text.body,
              "Your sale of 0.100000 g of gold for KES 850.00 did not go through. M-Pesa could not "
              "pay the "
              "money out. The gold is back in your wallet.");
}

TEST(NotificationText, EveryReasonHasItsOwnWords) {
    EXPECT_EQ(failure_words("buy", "cancelled"), "You cancelled the M-Pesa prompt");
    EXPECT_EQ(failure_words("buy", "wrong_pin"), "The M-Pesa PIN was wrong");
    EXPECT_EQ(failure_words("buy", "insufficient_funds"), "Your M-Pesa balance was too low");
    EXPECT_EQ(failure_words("buy", "timeout"), "The M-Pesa prompt timed out");
    EXPECT_EQ(failure_words("buy", "expired"), "No payment arrived in time");
    EXPECT_EQ(failure_words("sell", "expired"), "The sale was not completed in time");
    EXPECT_EQ(failure_words("buy", "stk_rejected"), "M-Pesa did not accept the payment request");
    EXPECT_EQ(failure_words("buy", "payment_failed"), "M-Pesa could not take the payment");
    EXPECT_EQ(failure_words("sell", "payout_failed"), "M-Pesa could not pay the money out");
    EXPECT_EQ(failure_words("buy", ""), "It could not be completed");
}

TEST(NotificationText, AnUnknownReasonIsNeverEchoed) {
    const NotificationText text = notification_text(payload("buy", "failed", "call 254708374149"));
    EXPECT_FALSE(contains(text.body, "254708374149")) << text.body;
    EXPECT_TRUE(contains(text.body, "It could not be completed.")) << text.body;
}

TEST(NotificationText, LargeFiguresAreGroupedByThousands) {
    EXPECT_EQ(group_thousands("850.00"), "850.00");
    EXPECT_EQ(group_thousands("1000.00"), "1,000.00");
    EXPECT_EQ(group_thousands("123456789012.00"), "123,456,789,012.00");
    EXPECT_EQ(group_thousands("100000000.000000"), "100,000,000.000000");
    EXPECT_EQ(group_thousands("0.100000"), "0.100000");
    EXPECT_EQ(group_thousands("1234"), "1,234");
    auto big = payload("buy", "completed");
    big["amount_kes"] = "999999999999999.00";
    big["grams"] = "123456789.123456";
    const NotificationText text = notification_text(big);
    EXPECT_TRUE(contains(text.body, "KES 999,999,999,999,999.00")) << text.body;
    EXPECT_TRUE(contains(text.body, "123,456,789.123456 g")) << text.body;
}

TEST(NotificationText, AReceiptThatIsNotAShortCodeIsLeftOut) {
    for (const char* receipt : {"254708374149",
                                "0708374149",
                                "UKQ254708374149",
                                "UKQ 1ABC",
                                "UKQ1ABC2DE-X",
                                "ABCDEFGHIJKLMNOPQRSTU"}) {
        const NotificationText text = notification_text(payload("buy", "completed", "", receipt));
        EXPECT_FALSE(contains(text.body, "receipt")) << receipt << ": " << text.body;
    }
    EXPECT_TRUE(contains(notification_text(payload("buy", "completed", "", "ABC12345678")).body,
                         "receipt ABC12345678"))
        << "eight digits in a row are still a receipt";
}

TEST(NotificationText, NoTextCarriesANineDigitRun) {
    const std::vector<std::string> hostile{
        "254708374149", "0708374149", "123456789", "UKQ123456789"};
    for (const char* side : {"buy", "sell"}) {
        for (const char* status : {"completed", "failed"}) {
            for (const std::string& value : hostile) {
                auto message = payload(side, status, value, value);
                message["amount_kes"] = "254708374149.00";
                message["grams"] = "254708374.149000";
                const NotificationText text = notification_text(message);
                EXPECT_LE(longest_digit_run(text.title), 8u) << text.title;
                EXPECT_LE(longest_digit_run(text.body), 8u) << text.body;
            }
        }
    }
}

TEST(NotificationText, APayloadWithoutUserOrTradeIsRefused) {
    for (const char* field : {"user_id", "trade_id"}) {
        auto missing = payload("buy", "completed");
        missing.erase(field);
        EXPECT_THROW(notification_text(missing), std::invalid_argument) << field;
        auto not_uuid = payload("buy", "completed");
        not_uuid[field] = "254708374149";
        EXPECT_THROW(notification_text(not_uuid), std::invalid_argument) << field;
        auto not_string = payload("buy", "completed");
        not_string[field] = 42;
        EXPECT_THROW(notification_text(not_string), std::invalid_argument) << field;
    }
    EXPECT_THROW(notification_text(nlohmann::json::array()), std::invalid_argument);
    EXPECT_THROW(notification_text(nlohmann::json()), std::invalid_argument);
}

TEST(NotificationText, AnUnknownSideStatusOrFigureIsRefused) {
    EXPECT_THROW(notification_text(payload("swap", "completed")), std::invalid_argument);
    EXPECT_THROW(notification_text(payload("buy", "reserved")), std::invalid_argument);
    for (const char* figure :
         {"", ".5", "5.", "1,000.00", "-1.00", "1.0000000", "1e3", "1234567890123456"}) {
        auto grams = payload("buy", "completed");
        grams["grams"] = figure;
        EXPECT_THROW(notification_text(grams), std::invalid_argument) << figure;
        auto amount = payload("buy", "completed");
        amount["amount_kes"] = figure;
        EXPECT_THROW(notification_text(amount), std::invalid_argument) << figure;
    }
    auto whole = payload("buy", "completed");
    whole["amount_kes"] = "850";
    EXPECT_EQ(notification_text(whole).kind, "buy_completed")
        << "a whole number is a plain decimal";
}

}  // namespace
}  // namespace gw::trading
