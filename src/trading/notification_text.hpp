#pragma once

// What an in-app notification says about a settled trade: its kind, title and body, built from
// the payload trade settlement queues on the notify.trade topic (trade_settlement.hpp
// notify_trade). Pure; unit-tested in tests/unit/trading/notification_text_test.cpp.
//
// The text never carries a phone number: it quotes only the payload's grams, KES amount and
// M-Pesa receipt, writes figures with thousands separators, drops a receipt that is not a short
// code of letters and digits, and never echoes a reason it does not know. So no run of nine or
// more digits (the shape of a phone number) can appear in a title or body.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace gw::trading {

struct NotificationText {
    std::string user_id;   // whose notification it is (canonical UUID)
    std::string trade_id;  // the trade it is about (canonical UUID)
    std::string kind;      // buy_completed, buy_failed, sell_completed or sell_failed
    std::string title;
    std::string body;
};

// The notification of one notify.trade payload {user_id, trade_id, side, status, reason, grams,
// amount_kes, receipt} (all strings).
// Throws std::invalid_argument when user_id or trade_id is missing or not a UUID, side is not
// buy|sell, status is not completed|failed, or grams or amount_kes is not a plain decimal (1–15
// digits, then optionally a point and 1–6 digits): such a message cannot be delivered, and the
// outbox retries and then dead-letters it.
NotificationText notification_text(const nlohmann::json& payload);

// Why a trade failed, in words for its owner ("You cancelled the M-Pesa prompt"), for a
// reason code of trade settlement (cancelled, wrong_pin, insufficient_funds, timeout, expired,
// stk_rejected, payment_failed, payout_failed). Anything else, "" included, reads as a
// general "It could not be completed".
std::string failure_words(std::string_view side, std::string_view reason);

// "1234567.50" → "1,234,567.50": groups the whole part of a plain decimal by thousands.
// REQUIRES: `decimal` is digits with at most one '.' (notification_text checks it).
std::string group_thousands(std::string_view decimal);

}  // namespace gw::trading
