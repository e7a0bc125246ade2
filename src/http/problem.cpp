#include "http/problem.hpp"

#include <nlohmann/json.hpp>

namespace gw::http {

int http_status(ErrorCode code) {
    switch (code) {
        case ErrorCode::internal_error: return 500;
        case ErrorCode::not_found: return 404;
        case ErrorCode::method_not_allowed: return 405;
        case ErrorCode::payload_too_large: return 413;
        case ErrorCode::unsupported_media_type: return 415;
        case ErrorCode::malformed_json: return 400;
        case ErrorCode::validation_failed: return 400;
        case ErrorCode::service_unavailable: return 503;
        case ErrorCode::invalid_number_format: return 400;
        case ErrorCode::negative_amount: return 400;
        case ErrorCode::zero_amount: return 400;
        case ErrorCode::too_many_decimals: return 400;
        case ErrorCode::amount_too_large: return 400;
        case ErrorCode::inexact_number: return 400;
        case ErrorCode::json_too_deep: return 400;
        case ErrorCode::migration_checksum_mismatch: return 500;
        case ErrorCode::migration_unknown_version: return 500;
        case ErrorCode::migration_failed: return 500;
        case ErrorCode::request_too_large: return 431;
        case ErrorCode::invalid_configuration: return 500;
        case ErrorCode::not_whole_shillings: return 400;
        case ErrorCode::unauthorized: return 401;
        case ErrorCode::token_expired: return 401;
        case ErrorCode::forbidden: return 403;
        case ErrorCode::rate_limited: return 429;
        case ErrorCode::username_taken: return 409;
        case ErrorCode::email_taken: return 409;
        case ErrorCode::phone_taken: return 409;
        case ErrorCode::invalid_phone: return 400;
        case ErrorCode::invalid_email: return 400;
        case ErrorCode::weak_password: return 400;
        case ErrorCode::invalid_credentials: return 401;
        case ErrorCode::invalid_refresh_token: return 401;
        case ErrorCode::account_not_empty: return 409;
        case ErrorCode::kyc_already_verified: return 409;
        case ErrorCode::pool_retired: return 409;
        case ErrorCode::pool_name_taken: return 409;
        case ErrorCode::price_not_set: return 503;
        case ErrorCode::ledger_rejected: return 409;
        case ErrorCode::malformed_callback: return 400;
        case ErrorCode::payment_in_progress: return 409;
        case ErrorCode::price_expired: return 409;
        case ErrorCode::insufficient_gold: return 409;
        case ErrorCode::trade_limit_exceeded: return 422;
        case ErrorCode::kyc_required: return 403;
        case ErrorCode::idempotency_key_required: return 400;
        case ErrorCode::idempotency_key_reused: return 409;
        case ErrorCode::quote_used: return 409;
        case ErrorCode::insufficient_grams: return 409;
        case ErrorCode::payout_out_of_range: return 422;
        case ErrorCode::payout_not_manual: return 409;
        case ErrorCode::payout_phone_not_registered: return 422;
        case ErrorCode::item_already_resolved: return 409;
        case ErrorCode::reconciliation_running: return 409;
    }
    return 500;
}

std::string_view title(ErrorCode code) {
    switch (code) {
        case ErrorCode::internal_error: return "Internal server error";
        case ErrorCode::not_found: return "Not found";
        case ErrorCode::method_not_allowed: return "Method not allowed";
        case ErrorCode::payload_too_large: return "Request body too large";
        case ErrorCode::unsupported_media_type: return "Unsupported media type";
        case ErrorCode::malformed_json: return "Malformed JSON";
        case ErrorCode::validation_failed: return "Invalid request";
        case ErrorCode::service_unavailable: return "Service unavailable";
        case ErrorCode::invalid_number_format: return "Invalid number";
        case ErrorCode::negative_amount: return "Negative amount";
        case ErrorCode::zero_amount: return "Zero amount";
        case ErrorCode::too_many_decimals: return "Too many decimal places";
        case ErrorCode::amount_too_large: return "Amount too large";
        case ErrorCode::inexact_number: return "Inexact number";
        case ErrorCode::json_too_deep: return "JSON nested too deeply";
        case ErrorCode::migration_checksum_mismatch: return "Migration changed after apply";
        case ErrorCode::migration_unknown_version: return "Unknown migration applied";
        case ErrorCode::migration_failed: return "Migration failed";
        case ErrorCode::request_too_large: return "Request line or headers too large";
        case ErrorCode::invalid_configuration: return "Invalid configuration";
        case ErrorCode::not_whole_shillings: return "Whole shillings only";
        case ErrorCode::unauthorized: return "Authentication required";
        case ErrorCode::token_expired: return "Access token expired";
        case ErrorCode::forbidden: return "Forbidden";
        case ErrorCode::rate_limited: return "Too many requests";
        case ErrorCode::username_taken: return "Username taken";
        case ErrorCode::email_taken: return "Email taken";
        case ErrorCode::phone_taken: return "Phone number taken";
        case ErrorCode::invalid_phone: return "Invalid phone number";
        case ErrorCode::invalid_email: return "Invalid email";
        case ErrorCode::weak_password: return "Weak password";
        case ErrorCode::invalid_credentials: return "Invalid credentials";
        case ErrorCode::invalid_refresh_token: return "Invalid refresh token";
        case ErrorCode::account_not_empty: return "Account not empty";
        case ErrorCode::kyc_already_verified: return "KYC already verified";
        case ErrorCode::pool_retired: return "Pool retired";
        case ErrorCode::pool_name_taken: return "Pool name taken";
        case ErrorCode::price_not_set: return "No price";
        case ErrorCode::ledger_rejected: return "Ledger refused the transfer";
        case ErrorCode::malformed_callback: return "Callback body not understood";
        case ErrorCode::payment_in_progress: return "A payment for this is already in flight";
        case ErrorCode::price_expired: return "Quote expired";
        case ErrorCode::insufficient_gold: return "Not enough gold";
        case ErrorCode::trade_limit_exceeded: return "Trade limit exceeded";
        case ErrorCode::kyc_required: return "Identity verification required";
        case ErrorCode::idempotency_key_required: return "Idempotency-Key required";
        case ErrorCode::idempotency_key_reused: return "Idempotency-Key reused";
        case ErrorCode::quote_used: return "Quote already used";
        case ErrorCode::insufficient_grams: return "Not enough gold in the wallet";
        case ErrorCode::payout_out_of_range: return "Payout out of range";
        case ErrorCode::payout_not_manual: return "Payout is not manual";
        case ErrorCode::payout_phone_not_registered: return "Payout phone is not the account's";
        case ErrorCode::item_already_resolved: return "Reconciliation item already resolved";
        case ErrorCode::reconciliation_running: return "A reconciliation is running";
    }
    return "Internal server error";
}

void write_problem(httplib::Response& response, const Error& error, std::string_view request_id) {
    const int status = http_status(error.code);
    nlohmann::json body = {
        {"type", "/problems/" + std::string(to_string(error.code))},
        {"title", title(error.code)},
        {"status", status},
        {"code", to_string(error.code)},
    };
    if (!error.detail.empty()) {
        body["detail"] = error.detail;
    }
    for (const auto& [name, value] : error.extensions) {
        if (!body.contains(name)) {  // never overrides a standard member
            body[name] = value;
        }
    }
    if (!request_id.empty()) {
        body["request_id"] = request_id;
    }
    response.status = status;
    response.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                         "application/problem+json");
}

ErrorCode error_code_for_status(int status) {
    switch (status) {
        case 404: return ErrorCode::not_found;
        case 405: return ErrorCode::method_not_allowed;
        case 413: return ErrorCode::payload_too_large;
        case 414:
        case 431: return ErrorCode::request_too_large;
        case 415: return ErrorCode::unsupported_media_type;
        case 503: return ErrorCode::service_unavailable;
        default: return status < 500 ? ErrorCode::validation_failed : ErrorCode::internal_error;
    }
}

}  // namespace gw::http
