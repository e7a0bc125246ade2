#pragma once

// B2C payouts as Daraja does them (DARAJA.md §6): request checks, the acknowledgement every
// asynchronous API shares, and the bodies posted later to ResultURL or QueueTimeOutURL.
// Pure functions, safe from any thread.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "daraja-sim/scenarios.hpp"
#include "daraja-sim/transaction.hpp"
#include "daraja-sim/wire.hpp"

namespace gw::sim {

inline constexpr std::int64_t kB2cMinKes = 10;
inline constexpr std::int64_t kB2cMaxKes = 250'000;
// The org name the simulator shows for its own shortcodes ("600980 - GOLD WALLET SIM").
inline constexpr std::string_view kOrgName = "GOLD WALLET SIM";

enum class B2cApiVersion {
    v1,  // /mpesa/b2c/v1/paymentrequest: OriginatorConversationID optional (generated)
    v3,  // /mpesa/b2c/v3/paymentrequest: OriginatorConversationID required
};

struct B2cPaymentRequest {
    std::string originator_conversation_id;  // "" when a v1 caller sent none
    std::string initiator_name;
    std::string security_credential;
    std::string command_id;
    std::int64_t amount_kes = 0;
    std::string party_a;
    std::string party_b;
    std::string remarks;
    std::string queue_timeout_url;
    std::string result_url;
    std::string occasion;
};

// Checks a B2C body; the first failure in this order wins, each 400.002.02 "Bad Request -
// Invalid <name>": OriginatorConversationID (v3: required, 1-128 chars), InitiatorName,
// SecurityCredential (non-empty), CommandID (BusinessPayment | SalaryPayment |
// PromotionPayment), Amount (whole, 10-250,000), PartyA (must be `b2c_shortcode`), PartyB
// (^254[71]\d{8}$), Remarks (2-100 chars), QueueTimeOutURL, ResultURL, Occasion (optional,
// ≤ 100; the v3 doc's spelling "Occassion" is accepted too). Whether the InitiatorName and
// SecurityCredential are right is not checked here: Daraja reports that as Result 2001.
Checked<B2cPaymentRequest> parse_b2c_payment(const nlohmann::json& body,
                                             B2cApiVersion version,
                                             std::string_view b2c_shortcode);

// 500.002.1001 "Duplicate OriginatorConversationID."
DarajaError duplicate_originator_error();

// The acknowledgement of B2C, Transaction Status and Account Balance requests.
std::string async_ack_body(std::string_view conversation_id,
                           std::string_view originator_conversation_id);

// The Result of a final payout: the eight ResultParameters and ReferenceData when completed,
// no ResultParameters when failed (TransactionID is kept). REQUIRES: status != pending.
std::string b2c_result_body(const Transaction& payout);

// The POST to QueueTimeOutURL: a Result envelope with kResultQueueTimeout and no
// TransactionID, since the caller cannot know whether the payout happened.
std::string b2c_queue_timeout_body(const Transaction& payout);

// A Result envelope that carries only an outcome: {"Result":{"ResultType":0,"ResultCode":…,
// "ResultDesc":…,"OriginatorConversationID":…,"ConversationID":…,"TransactionID":…,
// "ReferenceData":…}}. Used for failures of every asynchronous API.
WireJson result_envelope(const ResultOutcome& outcome,
                         std::string_view originator_conversation_id,
                         std::string_view conversation_id,
                         std::string_view transaction_id);

// "Business Payment to Customer via API" for BusinessPayment, and likewise for the others.
std::string b2c_reason_type(std::string_view command_id);

}  // namespace gw::sim
