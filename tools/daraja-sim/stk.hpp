#pragma once

// M-Pesa Express (STK Push) as Daraja does it: request checks (DARAJA.md §3), the synchronous
// answers, the callback body (§4) and the STK Query answers (§5). Pure functions, safe from any
// thread; the simulator decides what happens and when, these only say what it looks like.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "daraja-sim/transaction.hpp"
#include "daraja-sim/wire.hpp"

namespace gw::sim {

// The sandbox passkey of shortcode 174379 (DARAJA.md §1).
inline constexpr std::string_view kSandboxPasskey =
    "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919";

inline constexpr std::size_t kAccountReferenceCharsMax = 12;
inline constexpr std::size_t kTransactionDescCharsMax = 13;

struct StkMerchant {
    std::string shortcode;
    std::string passkey;
};

struct StkPushRequest {
    std::string shortcode;
    std::string password;
    std::string timestamp;
    std::string transaction_type;
    std::int64_t amount_kes = 0;
    std::string party_a;
    std::string party_b;
    std::string phone_number;
    std::string callback_url;
    std::string account_reference;
    std::string transaction_desc;
};

struct StkQueryRequest {
    std::string shortcode;
    std::string password;
    std::string timestamp;
    std::string checkout_request_id;
};

// Returns base64(shortcode + passkey + timestamp), the STK Password.
std::string stk_password(std::string_view shortcode,
                         std::string_view passkey,
                         std::string_view timestamp);

// Checks every field of an STK Push body; the first failure in this order wins, each as
// 400.002.02 "Bad Request - Invalid <name>":
//   BusinessShortCode (5-7 digits), Password (non-empty text), Timestamp (yyyyMMddHHmmss),
//   TransactionType (CustomerPayBillOnline | CustomerBuyGoodsOnline), Amount (whole ≥ 1),
//   PartyA -> PhoneNumber (^254[71]\d{8}$), PartyB (5-7 digits), PhoneNumber, CallBackURL
//   (absolute http(s), no spaces), AccountReference, TransactionDesc -> Remarks.
// Deliberately stricter than the sandbox, which accepted a 15-character AccountReference
// (DARAJA.md §3): AccountReference must be 1-12 ASCII alphanumerics and TransactionDesc 1-13
// characters, the documented limits, so a client that overflows them fails here rather than
// on a production prompt.
Checked<StkPushRequest> parse_stk_push(const nlohmann::json& body);

// Checks the request's merchant: a BusinessShortCode other than the configured one answers
// 500.001.1001 "Merchant does not exist"; a Password other than stk_password(...) answers
// 500.001.1001 "Wrong credentials". Returns nullopt when both match.
std::optional<DarajaError> check_stk_merchant(std::string_view shortcode,
                                              std::string_view password,
                                              std::string_view timestamp,
                                              const StkMerchant& merchant);

// Checks an STK Query body: BusinessShortCode, Password, Timestamp as for a push, then
// CheckoutRequestID (non-empty, at most 64 characters). Errors are 400.002.02.
Checked<StkQueryRequest> parse_stk_query(const nlohmann::json& body);

// The HTTP 200 answer to an accepted push.
std::string stk_accepted_body(const Transaction& transaction);

// The callback body of a final STK transaction (§4): with CallbackMetadata (Amount, receipt,
// Balance without Value, numeric TransactionDate and PhoneNumber) when completed, without it
// when failed. REQUIRES: transaction.status != pending and finalised_at is set.
std::string stk_callback_body(const Transaction& transaction);

// STK Query's HTTP 200 answer for a final transaction, with ResultCode as a string.
std::string stk_query_final_body(const Transaction& transaction);

// STK Query's 2025-style HTTP 200 answer while the prompt is open: ResultCode "4999".
std::string stk_query_pending_body(const Transaction& transaction);

// The legacy HTTP 500 pending answer and the unknown-ID answer (both 500.001.1001).
DarajaError stk_query_pending_error();
DarajaError stk_query_unknown_error();

// 500.001.1001 "Unable to lock subscriber, …": a prompt is already open for the number.
DarajaError stk_subscriber_locked_error();

}  // namespace gw::sim
