#include "core/error.hpp"

namespace gw {

std::string_view to_string(ErrorCode code) {
    // No default: -Wswitch -Werror makes a new code without a name a compile error.
    switch (code) {
        case ErrorCode::internal_error: return "internal_error";
        case ErrorCode::not_found: return "not_found";
        case ErrorCode::method_not_allowed: return "method_not_allowed";
        case ErrorCode::payload_too_large: return "payload_too_large";
        case ErrorCode::unsupported_media_type: return "unsupported_media_type";
        case ErrorCode::malformed_json: return "malformed_json";
        case ErrorCode::validation_failed: return "validation_failed";
        case ErrorCode::service_unavailable: return "service_unavailable";
        case ErrorCode::invalid_number_format: return "invalid_number_format";
        case ErrorCode::negative_amount: return "negative_amount";
        case ErrorCode::zero_amount: return "zero_amount";
        case ErrorCode::too_many_decimals: return "too_many_decimals";
        case ErrorCode::amount_too_large: return "amount_too_large";
        case ErrorCode::inexact_number: return "inexact_number";
        case ErrorCode::json_too_deep: return "json_too_deep";
        case ErrorCode::migration_checksum_mismatch: return "migration_checksum_mismatch";
        case ErrorCode::migration_unknown_version: return "migration_unknown_version";
        case ErrorCode::migration_failed: return "migration_failed";
        case ErrorCode::request_too_large: return "request_too_large";
        case ErrorCode::invalid_configuration: return "invalid_configuration";
        case ErrorCode::not_whole_shillings: return "not_whole_shillings";
        case ErrorCode::unauthorized: return "unauthorized";
        case ErrorCode::token_expired: return "token_expired";
        case ErrorCode::forbidden: return "forbidden";
        case ErrorCode::rate_limited: return "rate_limited";
        case ErrorCode::username_taken: return "username_taken";
        case ErrorCode::email_taken: return "email_taken";
        case ErrorCode::phone_taken: return "phone_taken";
        case ErrorCode::invalid_phone: return "invalid_phone";
        case ErrorCode::invalid_email: return "invalid_email";
        case ErrorCode::weak_password: return "weak_password";
        case ErrorCode::invalid_credentials: return "invalid_credentials";
        case ErrorCode::invalid_refresh_token: return "invalid_refresh_token";
        case ErrorCode::account_not_empty: return "account_not_empty";
        case ErrorCode::kyc_already_verified: return "kyc_already_verified";
        case ErrorCode::pool_retired: return "pool_retired";
        case ErrorCode::pool_name_taken: return "pool_name_taken";
        case ErrorCode::price_not_set: return "price_not_set";
        case ErrorCode::ledger_rejected: return "ledger_rejected";
        case ErrorCode::malformed_callback: return "malformed_callback";
        case ErrorCode::payment_in_progress: return "payment_in_progress";
        case ErrorCode::price_expired: return "price_expired";
        case ErrorCode::insufficient_gold: return "insufficient_gold";
        case ErrorCode::trade_limit_exceeded: return "trade_limit_exceeded";
        case ErrorCode::kyc_required: return "kyc_required";
        case ErrorCode::idempotency_key_required: return "idempotency_key_required";
        case ErrorCode::idempotency_key_reused: return "idempotency_key_reused";
        case ErrorCode::quote_used: return "quote_used";
        case ErrorCode::insufficient_grams: return "insufficient_grams";
        case ErrorCode::payout_out_of_range: return "payout_out_of_range";
        case ErrorCode::payout_not_manual: return "payout_not_manual";
        case ErrorCode::payout_phone_not_registered: return "payout_phone_not_registered";
        case ErrorCode::item_already_resolved: return "item_already_resolved";
        case ErrorCode::reconciliation_running: return "reconciliation_running";
    }
    return "internal_error";  // Unreachable for valid enumerators; keeps -Wreturn-type quiet.
}

}  // namespace gw
