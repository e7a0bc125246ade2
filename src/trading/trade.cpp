#include "trading/trade.hpp"

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

}  // namespace gw::trading
