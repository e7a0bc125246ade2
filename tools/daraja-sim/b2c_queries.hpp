#pragma once

// Transaction Status and Account Balance (DARAJA.md §7): request checks and the Result bodies
// posted to ResultURL. Pure functions, safe from any thread.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "daraja-sim/transaction.hpp"
#include "daraja-sim/wire.hpp"

namespace gw::sim {

struct StatusQueryRequest {
    std::string initiator;
    std::string security_credential;
    std::string transaction_id;              // receipt; may be empty
    std::string original_conversation_id;    // may be empty, not both
    std::string originator_conversation_id;  // the caller's own id, "" when none (generated)
    std::string party_a;
    std::string result_url;
    std::string queue_timeout_url;
    std::string occasion;
};

struct BalanceQueryRequest {
    std::string initiator;
    std::string security_credential;
    std::string originator_conversation_id;
    std::string party_a;
    std::string result_url;
    std::string queue_timeout_url;
};

// Checks a Transaction Status body, each failure 400.002.02 "Bad Request - Invalid <name>", in
// this order: Initiator, SecurityCredential, CommandID ("TransactionStatusQuery"),
// TransactionID (at least one of TransactionID and OriginalConversationID, each ≤ 128 chars),
// PartyA (5-12 digits), IdentifierType ("1", "2" or "4"), ResultURL, QueueTimeOutURL, Remarks
// (optional, ≤ 100), Occasion (optional, ≤ 100).
Checked<StatusQueryRequest> parse_status_query(const nlohmann::json& body);

// Checks an Account Balance body likewise: Initiator, SecurityCredential, CommandID
// ("AccountBalance"), PartyA (5-7 digits), IdentifierType ("4"), Remarks (optional),
// ResultURL, QueueTimeOutURL.
Checked<BalanceQueryRequest> parse_balance_query(const nlohmann::json& body);

// The identifiers of one asynchronous query's answer.
struct QueryIds {
    std::string originator_conversation_id;
    std::string conversation_id;
    std::string transaction_id;  // the query's own receipt
};

// The Result of a Transaction Status query that found `found`: ReceiptNo, TransactionStatus
// (Completed / Failed / Pending), Amount, InitiatedTime/FinalisedTime (yyyyMMddHHmmss numbers),
// DebitPartyName/CreditPartyName ("600980 - GOLD WALLET SIM", "254… - JANE DOE"), charges,
// account type, ReasonType, ConversationID, OriginatorConversationID, valueless
// TransactionReason.
std::string status_result_body(const QueryIds& ids,
                               const Transaction& found,
                               std::string_view occasion);

// The Result of an Account Balance query: AccountBalance lists the org's accounts joined by
// '&', each "Name|KES|available|current|reserved|uncleared"; BOCompletedTime is `completed`
// as a yyyyMMddHHmmss number.
std::string balance_result_body(const QueryIds& ids,
                                std::int64_t utility_balance_kes,
                                TimePoint completed);

// A failure Result (2001 wrong initiator, 2032 unknown receipt) for either query.
std::string query_failure_body(const QueryIds& ids, int result_code, std::string_view result_desc);

}  // namespace gw::sim
