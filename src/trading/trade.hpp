#pragma once

// A trade as the product shows it: what was agreed (side, grams, KES, price), where its gold
// sits (allocations per pool) and its status, derived from its latest event (DESIGN §5).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/money.hpp"
#include "identity/trade_limits.hpp"

namespace gw::trading {

// Buy: reserved -> awaiting_payment -> completed | failed (reserved -> failed when the push
// fails). Sell: reserved -> awaiting_payout -> completed | failed.
enum class TradeStatus { reserved, awaiting_payment, awaiting_payout, completed, failed };

std::string_view to_string(TradeStatus status);
std::optional<TradeStatus> parse_trade_status(std::string_view text);
inline bool is_open(TradeStatus status) {
    return status == TradeStatus::reserved || status == TradeStatus::awaiting_payment ||
           status == TradeStatus::awaiting_payout;
}

struct TradeAllocation {
    std::string pool_id;
    Micrograms grams;
    std::string transfer_id;  // the pending ledger transfer
};

struct TradeView {
    std::string id;
    std::string user_id;
    identity::TradeSide side = identity::TradeSide::buy;
    TradeStatus status = TradeStatus::reserved;
    std::string reason;   // why it failed (cancelled, wrong_pin, …); empty otherwise
    std::string receipt;  // the M-Pesa receipt once paid
    std::optional<std::string> quote_id;
    std::int64_t price_id = 0;
    PricePerGram price_per_gram;
    Micrograms grams;
    Cents amount;
    bool partial = false;  // filled less than asked (allow_partial)
    std::string phone_masked;
    TimePoint payment_due_at;
    TimePoint created_at;
    TimePoint updated_at;
    std::vector<TradeAllocation> allocations;
};

// Why a payment failed, as a stable word, from the M-Pesa ResultCode (DARAJA.md §4):
// 1032 cancelled, 2001 wrong_pin, 1 insufficient_funds, 1037 timeout, anything else
// payment_failed.
std::string failure_reason(std::string_view result_code);

// The AccountReference of a buy's STK Push, shown on the customer's phone and in the statement's
// A/C No. column: "GW" and the first 10 hex digits of the trade id, upper case (12 characters,
// Daraja's limit). It ties a statement line to its buy when the payment was confirmed by STK
// Query, which carries no receipt. SQL: 'GW' || upper(substr(replace(id::text, '-', ''), 1, 10)).
std::string payment_account_reference(std::string_view trade_id);

}  // namespace gw::trading
