#pragma once

// An M-Pesa operation that waits for a result (an STK Push or a B2C payment), as stored in
// mpesa_requests, and the final result a callback or a query settles it with.

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/money.hpp"

namespace gw::mpesa {

enum class RequestKind { stk_push, b2c_payment };

// created -> accepted | rejected | unknown -> succeeded | failed. Final: rejected, succeeded,
// failed (the database refuses to move a final request).
enum class RequestStatus { created, accepted, rejected, unknown, succeeded, failed };

std::string_view to_string(RequestKind kind);
std::string_view to_string(RequestStatus status);
// Return nullopt for text that names no kind/status.
std::optional<RequestKind> parse_request_kind(std::string_view text);
std::optional<RequestStatus> parse_request_status(std::string_view text);
bool is_final(RequestStatus status);

struct MpesaRequest {
    std::string id;
    RequestKind kind = RequestKind::stk_push;
    std::string reference;  // what it pays for (a trade or payout id)
    Cents amount;
    std::string phone_masked;
    std::string phone_tag_hex;
    RequestStatus status = RequestStatus::created;
    std::string checkout_request_id;         // STK, once accepted
    std::string merchant_request_id;         // STK, once accepted
    std::string originator_conversation_id;  // B2C, ours
    std::string conversation_id;             // B2C, once accepted
    std::string error_code;
    std::string result_code;
    std::string result_desc;
    std::string receipt;
    TimePoint created_at;
    TimePoint updated_at;
    std::optional<TimePoint> completed_at;
};

// The final word on a request: paid (with the M-Pesa receipt) or not.
struct FinalResult {
    bool succeeded = false;
    std::string result_code;
    std::string result_desc;
    std::string receipt;  // REQUIRES: non-empty when succeeded
    std::string source;   // "callback", "stk_query", "transaction_status", "manual"
};

}  // namespace gw::mpesa
