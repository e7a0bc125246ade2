#pragma once

// The bodies we send to Daraja and what its synchronous answers mean (DARAJA.md §2–§7). Pure
// functions, no I/O: the client puts these on the wire, tests feed them recorded bodies.
//
// Every answer is sorted into one of three certainties (issue 6):
//   accepted — Daraja took the request; its final result comes later (callback or query);
//   rejected — Daraja definitely did not act on it (a documented error body); safe to give up
//              or retry with a new request;
//   unknown  — we cannot tell (timeout, connection lost, garbage, 5xx without a documented
//              meaning): the request may have been acted on and must be queried later.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/money.hpp"
#include "mpesa/settings.hpp"

namespace gw::mpesa {

inline constexpr std::size_t kAccountReferenceCharsMax = 12;
inline constexpr std::size_t kTransactionDescCharsMax = 13;
inline constexpr std::int64_t kStkShillingsMin = 1;
inline constexpr std::int64_t kB2cShillingsMin = 10;
inline constexpr std::int64_t kB2cShillingsMax = 250'000;

enum class Certainty { accepted, rejected, unknown };
std::string_view to_string(Certainty certainty);

// One HTTP exchange as the transport saw it. `transport_error` is set when no HTTP answer came
// (then http_status is 0); `nothing_sent` is true when the connection was never made, so the
// request cannot have reached Daraja.
struct Reply {
    int http_status = 0;
    std::string body;
    std::string transport_error;
    bool nothing_sent = false;
};

// Daraja's synchronous error envelope {"requestId","errorCode","errorMessage"}.
struct DarajaError {
    std::string error_code;     // "400.002.02"
    std::string error_message;  // "Bad Request - Invalid PhoneNumber"
};

// Returns the error envelope in `body`, or nullopt when the body is not one.
std::optional<DarajaError> parse_daraja_error(std::string_view body);

// Returns whether `reply` says our bearer token is bad or expired (404.001.03, 401.002.01,
// 400.003.01, or an HTTP 401), so the client refreshes the token and retries once.
bool is_invalid_token(const Reply& reply);

// ---- STK Push (§3) ----

struct StkPushOrder {
    Cents amount;                   // REQUIRES whole shillings (checked: not_whole_shillings)
    std::string msisdn;             // normalised 2547XXXXXXXX / 2541XXXXXXXX
    std::string account_reference;  // 1–12 letters and digits, shown on the prompt
    std::string description;        // TransactionDesc, 1–13 characters
    std::string callback_url;
};

// Returns `plain` in standard base64 with padding (RFC 4648 §4), as Daraja's Basic auth and
// STK Password use it.
std::string base64_encode(std::string_view plain);

// Returns base64(shortcode + passkey + timestamp), the STK Password.
std::string stk_password(std::string_view shortcode,
                         std::string_view passkey,
                         std::string_view timestamp);

// Returns the processrequest body for `order` at `now` (Nairobi Timestamp, Password).
// Errors: not_whole_shillings (amount has cents), zero_amount (below KES 1), invalid_phone,
// validation_failed (account reference or description empty, too long or not plain text).
[[nodiscard]] Result<nlohmann::json> stk_push_body(const Settings& settings,
                                                   const Credentials& credentials,
                                                   const StkPushOrder& order,
                                                   TimePoint now);

struct StkPushAnswer {
    Certainty certainty = Certainty::unknown;
    std::string merchant_request_id;  // set when accepted
    std::string checkout_request_id;  // set when accepted
    std::optional<DarajaError> error;
    bool retry_safe = false;  // rejected, or unknown but nothing reached Daraja
};
StkPushAnswer classify_stk_push(const Reply& reply);

// ---- STK Query (§5) ----

nlohmann::json stk_query_body(const Settings& settings,
                              const Credentials& credentials,
                              std::string_view checkout_request_id,
                              TimePoint now);

enum class StkQueryState {
    pending,      // the customer has not answered yet (either §5 shape)
    succeeded,    // final, ResultCode "0"
    failed,       // final, any other ResultCode
    not_found,    // "The transaction does not Exist"
    unavailable,  // no usable answer; ask again later
};
std::string_view to_string(StkQueryState state);

struct StkQueryAnswer {
    StkQueryState state = StkQueryState::unavailable;
    std::string result_code;  // as text; empty unless final
    std::string result_desc;
};
StkQueryAnswer classify_stk_query(const Reply& reply);

// ---- B2C payment (§6) and Transaction Status (§7) ----

struct B2cOrder {
    std::string originator_conversation_id;  // ours, unique per payout attempt
    Cents amount;                            // whole shillings, KES 10–250,000
    std::string msisdn;
    std::string remarks;   // 2–100 characters
    std::string occasion;  // optional, ≤ 100
    std::string result_url;
    std::string queue_timeout_url;
};

// Errors: not_whole_shillings, zero_amount / amount_too_large (outside KES 10–250,000),
// invalid_phone, validation_failed (remarks or occasion length).
[[nodiscard]] Result<nlohmann::json> b2c_payment_body(const Settings& settings,
                                                      const Credentials& credentials,
                                                      const B2cOrder& order);

struct StatusQuery {
    std::string transaction_id;              // receipt, may be empty
    std::string originator_conversation_id;  // may be empty; one of the two is required
    std::string result_url;
    std::string queue_timeout_url;
};
nlohmann::json transaction_status_body(const Settings& settings,
                                       const Credentials& credentials,
                                       const StatusQuery& query);

// The synchronous acknowledgement of B2C and Transaction Status requests.
struct AsyncAnswer {
    Certainty certainty = Certainty::unknown;
    std::string conversation_id;
    std::string originator_conversation_id;
    std::optional<DarajaError> error;
    bool duplicate = false;  // 500.002.1001: an earlier request with this id got through
    bool retry_safe = false;
};
AsyncAnswer classify_async_ack(const Reply& reply);

// ---- redaction ----

// Returns a copy of a request body fit to log and store: Password and SecurityCredential
// replaced by "[redacted]", the token segment of CallBackURL / ResultURL / QueueTimeOutURL by
// "[token]", MSISDN fields masked.
nlohmann::json redact_request(const nlohmann::json& body);

}  // namespace gw::mpesa
