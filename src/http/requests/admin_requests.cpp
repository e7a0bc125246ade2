#include "http/requests/admin_requests.hpp"

#include "core/time_text.hpp"
#include "http/route_support.hpp"

namespace gw::http {

Result<KycDecision> decode_kyc_decision(const nlohmann::json& body) {
    auto status = required_string(body, "status");
    if (!status) {
        return status.error();
    }
    auto reason = optional_string(body, "reason", "");
    if (!reason) {
        return reason.error();
    }
    return KycDecision{*status, *reason};
}

Result<LimitUpdate> decode_limit_update(const nlohmann::json& body) {
    auto status_name = required_string(body, "kyc_status");
    if (!status_name) {
        return status_name.error();
    }
    auto side_name = required_string(body, "side");
    if (!side_name) {
        return side_name.error();
    }
    const auto status = identity::parse_kyc_status(*status_name);
    const auto side = identity::parse_trade_side(*side_name);
    if (!status || !side) {
        return make_error(ErrorCode::validation_failed,
                          !status ? "kyc_status: pending, verified or rejected" : "side: buy or sell");
    }
    auto per_trade = required_kes(body, "per_trade_kes", kLimitMax, ZeroAmount::allowed);
    if (!per_trade) {
        return per_trade.error();
    }
    auto per_day = required_kes(body, "per_day_kes", kLimitMax, ZeroAmount::allowed);
    if (!per_day) {
        return per_day.error();
    }
    auto reason = required_string(body, "reason");
    if (!reason) {
        return reason.error();
    }
    return LimitUpdate{{*status, *side, *per_trade, *per_day}, *reason};
}

Result<std::string> decode_payout_completion(const nlohmann::json& body) {
    return required_string(body, "mpesa_transaction_id");
}

Result<std::string> decode_payout_failure(const nlohmann::json& body) {
    return required_string(body, "reason");
}

Result<trading::AdjustmentOrder> decode_adjustment(const nlohmann::json& body) {
    auto user_id = required_string(body, "user_id");
    if (!user_id) {
        return user_id.error();
    }
    auto grams = required_grams(body, "grams", kAdjustmentGramsMax);
    if (!grams) {
        return grams.error();
    }
    auto direction_text = required_string(body, "direction");
    const auto direction =
        direction_text ? trading::parse_adjustment_direction(*direction_text) : std::nullopt;
    if (!direction) {
        return make_error(ErrorCode::validation_failed, "direction: credit or debit");
    }
    auto reason = required_string(body, "reason");
    if (!reason) {
        return reason.error();
    }
    return trading::AdjustmentOrder{*user_id, *direction, *grams, *reason};
}

Result<std::optional<std::chrono::sys_days>> decode_reconciliation_run(const nlohmann::json& body) {
    auto date = optional_string(body, "date", "");
    if (!date) {
        return date.error();
    }
    if (date->empty()) {
        return std::optional<std::chrono::sys_days>();
    }
    const auto day = parse_iso_day(*date);
    if (!day) {
        return make_error(ErrorCode::validation_failed, "date: a day as YYYY-MM-DD, today or earlier");
    }
    return std::optional(*day);
}

Result<std::string> decode_resolution(const nlohmann::json& body) {
    return required_string(body, "note");
}

}  // namespace gw::http
