#include "daraja-sim/b2c_queries.hpp"

#include "daraja-sim/b2c.hpp"
#include "daraja-sim/customers.hpp"
#include "daraja-sim/nairobi_time.hpp"

namespace gw::sim {
namespace {

constexpr std::size_t kIdCharsMax = 128;
constexpr std::size_t kInitiatorCharsMax = 64;
constexpr std::size_t kRemarksCharsMax = 100;
constexpr std::size_t kPartyDigitsMin = 5;
constexpr std::size_t kPartyDigitsMax = 12;
constexpr std::size_t kShortcodeDigitsMax = 7;

bool text_within(const nlohmann::json& body, std::string_view key, std::size_t max) {
    if (!body.contains(key)) {
        return true;
    }
    const auto text = text_field(body, key);
    return text && text->size() <= max;
}

std::optional<DarajaError> read_initiator(const nlohmann::json& body,
                                          std::string_view command,
                                          std::string& initiator,
                                          std::string& credential) {
    const auto name = text_field(body, "Initiator");
    if (!name || name->empty() || name->size() > kInitiatorCharsMax) {
        return invalid_field("Initiator");
    }
    const auto secret = text_field(body, "SecurityCredential");
    if (!secret || secret->empty()) {
        return invalid_field("SecurityCredential");
    }
    if (text_field(body, "CommandID") != std::optional<std::string>(command)) {
        return invalid_field("CommandID");
    }
    initiator = *name;
    credential = *secret;
    return std::nullopt;
}

std::optional<DarajaError> read_urls(const nlohmann::json& body,
                                     std::string& result_url,
                                     std::string& queue_url) {
    const auto result = text_field(body, "ResultURL");
    if (!result || !is_callback_url(*result)) {
        return invalid_field("ResultURL");
    }
    const auto queue = text_field(body, "QueueTimeOutURL");
    if (!queue || !is_callback_url(*queue)) {
        return invalid_field("QueueTimeOutURL");
    }
    if (!text_within(body, "Remarks", kRemarksCharsMax)) {
        return invalid_field("Remarks");
    }
    result_url = *result;
    queue_url = *queue;
    return std::nullopt;
}

std::string optional_text(const nlohmann::json& body, std::string_view key) {
    return text_field(body, key).value_or("");
}

WireJson parameter(std::string_view key, WireJson value) {
    WireJson item;
    item["Key"] = key;
    if (!value.is_null()) {
        item["Value"] = std::move(value);
    }
    return item;
}

std::uint64_t compact_number(TimePoint at) {
    return std::stoull(nairobi_compact(at));
}

std::string status_text(TransactionStatus status) {
    switch (status) {
        case TransactionStatus::completed:
            return "Completed";
        case TransactionStatus::failed:
            return "Failed";
        case TransactionStatus::pending:
            return "Pending";
    }
    return "Pending";
}

}  // namespace

Checked<StatusQueryRequest> parse_status_query(const nlohmann::json& body) {
    StatusQueryRequest request;
    if (auto error = read_initiator(
            body, "TransactionStatusQuery", request.initiator, request.security_credential)) {
        return *error;
    }
    request.transaction_id = optional_text(body, "TransactionID");
    request.original_conversation_id = optional_text(body, "OriginalConversationID");
    if ((request.transaction_id.empty() && request.original_conversation_id.empty()) ||
        request.transaction_id.size() > kIdCharsMax ||
        request.original_conversation_id.size() > kIdCharsMax) {
        return invalid_field("TransactionID");
    }
    const auto party = digits_field(body, "PartyA", kPartyDigitsMax);
    if (!party || party->size() < kPartyDigitsMin) {
        return invalid_field("PartyA");
    }
    const auto type = text_field(body, "IdentifierType");
    if (!type || (*type != "1" && *type != "2" && *type != "4")) {
        return invalid_field("IdentifierType");
    }
    request.party_a = *party;
    if (auto error = read_urls(body, request.result_url, request.queue_timeout_url)) {
        return *error;
    }
    if (!text_within(body, "Occasion", kRemarksCharsMax)) {
        return invalid_field("Occasion");
    }
    request.occasion = optional_text(body, "Occasion");
    request.originator_conversation_id = optional_text(body, "OriginatorConversationID");
    request.originator_conversation_id.resize(
        std::min(request.originator_conversation_id.size(), kIdCharsMax));
    return request;
}

Checked<BalanceQueryRequest> parse_balance_query(const nlohmann::json& body) {
    BalanceQueryRequest request;
    if (auto error = read_initiator(
            body, "AccountBalance", request.initiator, request.security_credential)) {
        return *error;
    }
    const auto party = digits_field(body, "PartyA", kShortcodeDigitsMax);
    if (!party || party->size() < kPartyDigitsMin) {
        return invalid_field("PartyA");
    }
    if (text_field(body, "IdentifierType") != std::optional<std::string>("4")) {
        return invalid_field("IdentifierType");
    }
    request.party_a = *party;
    if (auto error = read_urls(body, request.result_url, request.queue_timeout_url)) {
        return *error;
    }
    request.originator_conversation_id = optional_text(body, "OriginatorConversationID");
    request.originator_conversation_id.resize(
        std::min(request.originator_conversation_id.size(), kIdCharsMax));
    return request;
}

std::string status_result_body(const QueryIds& ids,
                               const Transaction& found,
                               std::string_view occasion) {
    const bool payout = found.kind == TransactionKind::b2c;
    const std::string org = found.shortcode + " - " + std::string(kOrgName);
    const std::string customer = found.msisdn + " - " + customer_name(found.msisdn);
    const TimePoint finalised = found.finalised_at.value_or(found.initiated_at);
    WireJson list = WireJson::array();
    list.push_back(parameter("DebitPartyName", payout ? org : customer));
    list.push_back(parameter("CreditPartyName", payout ? customer : org));
    list.push_back(parameter("OriginatorConversationID", found.request_id));
    list.push_back(parameter("InitiatedTime", compact_number(found.initiated_at)));
    list.push_back(
        parameter("DebitAccountType", payout ? "Utility Account" : "MMF Account For Customer"));
    list.push_back(parameter("DebitPartyCharges", payout ? "Fee For B2C Payment|KES|0.00" : ""));
    list.push_back(parameter("TransactionReason", nullptr));
    list.push_back(parameter(
        "ReasonType",
        payout ? b2c_reason_type(found.transaction_type) : std::string("Pay Bill Online")));
    list.push_back(parameter("TransactionStatus", status_text(found.status)));
    list.push_back(parameter("FinalisedTime", compact_number(finalised)));
    list.push_back(parameter("Amount", found.amount_kes));
    list.push_back(parameter("ConversationID", found.id));
    list.push_back(parameter("ReceiptNo", found.receipt));
    WireJson envelope = result_envelope(
        kResultSuccess, ids.originator_conversation_id, ids.conversation_id, ids.transaction_id);
    envelope["Result"]["ResultParameters"]["ResultParameter"] = std::move(list);
    envelope["Result"]["ReferenceData"]["ReferenceItem"] =
        parameter("Occasion", occasion.empty() ? WireJson() : WireJson(occasion));
    return dump_wire(envelope);
}

std::string balance_result_body(const QueryIds& ids,
                                std::int64_t utility_balance_kes,
                                TimePoint completed) {
    const std::string zero = "|KES|0.00|0.00|0.00|0.00";
    const std::string utility = kes_text(utility_balance_kes);
    const std::string balances = "Working Account" + zero + "&Float Account" + zero +
                                 "&Utility Account|KES|" + utility + "|" + utility +
                                 "|0.00|0.00&Charges Paid Account" + zero +
                                 "&Organization Settlement Account" + zero;
    WireJson list = WireJson::array();
    list.push_back(parameter("AccountBalance", balances));
    list.push_back(parameter("BOCompletedTime", compact_number(completed)));
    WireJson envelope = result_envelope(
        kResultSuccess, ids.originator_conversation_id, ids.conversation_id, ids.transaction_id);
    envelope["Result"]["ResultParameters"]["ResultParameter"] = std::move(list);
    envelope["Result"]["ReferenceData"]["ReferenceItem"] = parameter(
        "QueueTimeoutURL", "https://internalsandbox.safaricom.co.ke/mpesa/abresults/v1/submit");
    return dump_wire(envelope);
}

std::string query_failure_body(const QueryIds& ids, int result_code, std::string_view result_desc) {
    WireJson envelope = result_envelope(ResultOutcome{result_code, result_desc},
                                        ids.originator_conversation_id,
                                        ids.conversation_id,
                                        ids.transaction_id);
    envelope["Result"]["ReferenceData"]["ReferenceItem"] = parameter("Occasion", nullptr);
    return dump_wire(envelope);
}

}  // namespace gw::sim
