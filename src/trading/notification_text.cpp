#include "trading/notification_text.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>

#include "core/uuid_text.hpp"

namespace gw::trading {
namespace {

constexpr std::size_t kWholeDigitsMax = 15;    // far beyond any trade's grams or KES
constexpr std::size_t kFractionDigitsMax = 6;  // grams have 6, KES 2
constexpr std::size_t kReceiptBytesMax = 20;   // M-Pesa receipts are 10 characters
constexpr std::size_t kDigitRunMax = 8;        // a phone number needs at least 9

struct ReasonWords {
    std::string_view reason;
    std::string_view words;
};

// The reasons trade settlement, the buy sweeper and the payout flow record (trade.cpp
// failure_reason and their callers). "expired" is side-specific and handled apart.
constexpr std::array<ReasonWords, 7> kReasonWords{{
    {"cancelled", "You cancelled the M-Pesa prompt"},
    {"wrong_pin", "The M-Pesa PIN was wrong"},
    {"insufficient_funds", "Your M-Pesa balance was too low"},
    {"timeout", "The M-Pesa prompt timed out"},
    {"stk_rejected", "M-Pesa did not accept the payment request"},
    {"payment_failed", "M-Pesa could not take the payment"},
    {"payout_failed", "M-Pesa could not pay the money out"},
}};

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
    return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// The string member `name`, or "" when it is absent or not a string.
std::string text_field(const nlohmann::json& payload, const char* name) {
    const auto found = payload.find(name);
    return found != payload.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::string required_uuid(const nlohmann::json& payload, const char* name) {
    std::string text = text_field(payload, name);
    if (!is_uuid(text)) {
        throw std::invalid_argument(std::string("notification payload: ") + name +
                                    " must be a UUID");
    }
    return text;
}

std::string required_choice(const nlohmann::json& payload,
                            const char* name,
                            std::string_view first,
                            std::string_view second) {
    std::string text = text_field(payload, name);
    if (text != first && text != second) {
        throw std::invalid_argument(std::string("notification payload: ") + name + " must be " +
                                    std::string(first) + " or " + std::string(second));
    }
    return text;
}

// Digits, optionally '.' and 1–6 digits: what format_grams and format_kes write.
std::string required_decimal(const nlohmann::json& payload, const char* name) {
    std::string text = text_field(payload, name);
    const std::size_t dot = text.find('.');
    const std::string_view whole = std::string_view(text).substr(0, dot);
    const std::string_view fraction =
        dot == std::string::npos ? std::string_view("0") : std::string_view(text).substr(dot + 1);
    const bool digits = std::all_of(whole.begin(), whole.end(), is_digit) &&
                        std::all_of(fraction.begin(), fraction.end(), is_digit);
    if (whole.empty() || whole.size() > kWholeDigitsMax || fraction.empty() ||
        fraction.size() > kFractionDigitsMax || !digits) {
        throw std::invalid_argument(std::string("notification payload: ") + name +
                                    " must be a decimal");
    }
    return text;
}

std::size_t longest_digit_run(std::string_view text) {
    std::size_t longest = 0;
    std::size_t run = 0;
    for (char c : text) {
        run = is_digit(c) ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}

// " M-Pesa receipt UKQ1ABC2DE." when the receipt is a short letters-and-digits code; "" when
// there is none or it looks like anything else (it is never worth leaking a phone number).
std::string receipt_sentence(std::string_view receipt) {
    const bool code = !receipt.empty() && receipt.size() <= kReceiptBytesMax &&
                      std::all_of(receipt.begin(), receipt.end(), is_alnum) &&
                      longest_digit_run(receipt) <= kDigitRunMax;
    return code ? " M-Pesa receipt " + std::string(receipt) + "." : std::string();
}

struct Figures {
    std::string grams;   // "0.100000 g of gold"
    std::string amount;  // "KES 850.00"
};

NotificationText completed_text(std::string_view side,
                                std::string_view reason,
                                const Figures& figures,
                                std::string_view receipt) {
    NotificationText text;
    if (side == "buy") {
        text.title = "Gold purchase complete";
        text.body = "You bought " + figures.grams + " for " + figures.amount +
                    ". It is in your wallet now.";
        if (reason == "late_payment") {
            text.body =
                "Your M-Pesa payment arrived after the purchase had timed out, and the gold was "
                "still "
                "available: you bought " +
                figures.grams + " for " + figures.amount + ". It is in your wallet now.";
        }
    } else {
        text.title = "Gold sale complete";
        text.body = "You sold " + figures.grams + " for " + figures.amount +
                    ". The money was sent to your M-Pesa.";
    }
    text.body += receipt_sentence(receipt);
    return text;
}

NotificationText failed_text(std::string_view side,
                             std::string_view reason,
                             const Figures& figures) {
    NotificationText text;
    const std::string why = failure_words(side, reason) + ".";
    if (side == "buy") {
        text.title = "Gold purchase failed";
        text.body = "Your purchase of " + figures.grams + " for " + figures.amount +
                    " did not go through. " + why + " No money was taken from your M-Pesa.";
        if (reason == "timeout" || reason == "expired") {
            text.body += " If a payment does arrive late, you will get the gold or a refund.";
        }
    } else {
        text.title = "Gold sale failed";
        text.body = "Your sale of " + figures.grams + " for " + figures.amount +
                    " did not go through. " + why + " The gold is back in your wallet.";
    }
    return text;
}

}  // namespace

std::string failure_words(std::string_view side, std::string_view reason) {
    if (reason == "expired") {
        return side == "sell" ? "The sale was not completed in time" : "No payment arrived in time";
    }
    for (const ReasonWords& entry : kReasonWords) {
        if (entry.reason == reason) {
            return std::string(entry.words);
        }
    }
    return "It could not be completed";
}

std::string group_thousands(std::string_view decimal) {
    const std::size_t whole = std::min(decimal.find('.'), decimal.size());
    std::string grouped;
    for (std::size_t i = 0; i < whole; ++i) {
        if (i > 0 && (whole - i) % 3 == 0) {
            grouped += ',';
        }
        grouped += decimal[i];
    }
    grouped += decimal.substr(whole);
    return grouped;
}

NotificationText notification_text(const nlohmann::json& payload) {
    if (!payload.is_object()) {
        throw std::invalid_argument("notification payload: must be a JSON object");
    }
    std::string user_id = required_uuid(payload, "user_id");
    std::string trade_id = required_uuid(payload, "trade_id");
    const std::string side = required_choice(payload, "side", "buy", "sell");
    const std::string status = required_choice(payload, "status", "completed", "failed");
    const Figures figures{group_thousands(required_decimal(payload, "grams")) + " g of gold",
                          "KES " + group_thousands(required_decimal(payload, "amount_kes"))};
    const std::string reason = text_field(payload, "reason");
    NotificationText text =
        status == "completed"
            ? completed_text(side, reason, figures, text_field(payload, "receipt"))
            : failed_text(side, reason, figures);
    text.user_id = std::move(user_id);
    text.trade_id = std::move(trade_id);
    text.kind = side + "_" + status;
    return text;
}

}  // namespace gw::trading
