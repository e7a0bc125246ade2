#pragma once

// One STK payment or B2C payout as the simulator remembers it: what was asked, what the
// simulated world answered, and where money moved. The record is the simulator's whole memory
// of an operation (STK Query, Transaction Status, the statement and the state file all read
// it). Plain data plus its JSON forms.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"

namespace gw::sim {

enum class TransactionKind { stk, b2c };

enum class TransactionStatus {
    pending,    // the prompt is open / the payout is queued
    completed,  // money moved; a receipt exists
    failed,     // final, nothing moved
};

std::string_view to_string(TransactionKind kind);
std::string_view to_string(TransactionStatus status);

struct Transaction {
    TransactionKind kind = TransactionKind::stk;
    // STK: CheckoutRequestID. B2C: ConversationID.
    std::string id;
    // STK: MerchantRequestID. B2C: OriginatorConversationID.
    std::string request_id;
    // The org account the money moves through: STK BusinessShortCode or B2C PartyA.
    std::string shortcode;
    // STK: PhoneNumber (the prompted payer). B2C: PartyB (the receiver).
    std::string msisdn;
    std::int64_t amount_kes = 0;
    // STK: TransactionType and PartyB. B2C: CommandID and Occasion.
    std::string transaction_type;
    std::string party_b;
    std::string account_reference;  // STK only
    std::string description;        // STK TransactionDesc or B2C Remarks
    // STK: CallBackURL. B2C: ResultURL (and QueueTimeOutURL).
    std::string callback_url;
    std::string queue_timeout_url;
    std::string scenario;  // the scenario name in force when the request arrived
    // B2C: whether the SecurityCredential decrypted to the initiator password and the
    // InitiatorName matched (a mismatch becomes Result 2001).
    bool initiator_valid = true;
    // STK: whether the callback writes Amount as 250.00 (true) or 250.
    bool amount_with_decimals = false;

    TransactionStatus status = TransactionStatus::pending;
    int result_code = 0;
    std::string result_desc;
    std::string receipt;  // STK MpesaReceiptNumber / B2C TransactionID; "" until final
    TimePoint initiated_at;
    std::optional<TimePoint> finalised_at;
    // The org account's balance right after this transaction moved money (completed only).
    std::int64_t balance_after_kes = 0;
};

// The full record, for the state file. Times are microseconds since the Unix epoch.
nlohmann::json to_state_json(const Transaction& transaction);

// Reads what to_state_json wrote. Throws nlohmann::json::exception when a key is missing or of
// the wrong type (a corrupt state file is an infrastructure failure, STYLE 8b).
Transaction from_state_json(const nlohmann::json& json);

// The record for GET /sim/transactions: as to_state_json, but the callback URLs are reduced to
// their paths and times are Nairobi yyyyMMddHHmmss text.
nlohmann::json to_view_json(const Transaction& transaction);

}  // namespace gw::sim
