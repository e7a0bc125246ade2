#include "trading/trade.hpp"

#include <cctype>

namespace gw::trading {

std::string_view to_string(TradeStatus status) {
    switch (status) {
        case TradeStatus::reserved: return "reserved";
        case TradeStatus::awaiting_payment: return "awaiting_payment";
        case TradeStatus::awaiting_payout: return "awaiting_payout";
        case TradeStatus::completed: return "completed";
        case TradeStatus::failed: return "failed";
    }
    return "reserved";
}

std::optional<TradeStatus> parse_trade_status(std::string_view text) {
    for (TradeStatus status : {TradeStatus::reserved, TradeStatus::awaiting_payment,
                               TradeStatus::awaiting_payout, TradeStatus::completed, TradeStatus::failed}) {
        if (to_string(status) == text) {
            return status;
        }
    }
    return std::nullopt;
}

std::string failure_reason(std::string_view result_code) {
    if (result_code == "1032") {
        return "cancelled";
    }
    if (result_code == "2001") {
        return "wrong_pin";
    }
    if (result_code == "1") {
        return "insufficient_funds";
    }
    if (result_code == "1037") {
        return "timeout";
    }
    return "payment_failed";
}

std::string payment_account_reference(std::string_view trade_id) {
    std::string reference = "GW";
    for (char c : trade_id) {
        if (reference.size() == 12) {
            break;
        }
        if (c != '-') {
            reference += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
    }
    return reference;
}

}  // namespace gw::trading
