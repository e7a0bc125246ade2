#include "daraja-sim/b2c.hpp"

#include "core/assert.hpp"
#include "daraja-sim/customers.hpp"
#include "daraja-sim/nairobi_time.hpp"

namespace gw::sim {
namespace {

constexpr std::size_t kOriginatorIdCharsMax = 128;
constexpr std::size_t kInitiatorCharsMax = 64;
constexpr std::size_t kRemarksCharsMin = 2;
constexpr std::size_t kRemarksCharsMax = 100;
constexpr std::size_t kOccasionCharsMax = 100;
constexpr std::string_view kB2cReferenceUrl =
    "https://internalsandbox.safaricom.co.ke/mpesa/b2cresults/v1/submit";

bool valid_length(const std::optional<std::string>& text, std::size_t min, std::size_t max) {
    return text && text->size() >= min && text->size() <= max;
}

std::optional<DarajaError> read_identity(const nlohmann::json& body,
                                         B2cApiVersion version,
                                         B2cPaymentRequest& out) {
    const auto originator = text_field(body, "OriginatorConversationID");
    if (version == B2cApiVersion::v3 || originator) {
        if (!valid_length(originator, 1, kOriginatorIdCharsMax)) {
            return invalid_field("OriginatorConversationID");
        }
        out.originator_conversation_id = *originator;
    }
    const auto initiator = text_field(body, "InitiatorName");
    if (!valid_length(initiator, 1, kInitiatorCharsMax)) {
        return invalid_field("InitiatorName");
    }
    const auto credential = text_field(body, "SecurityCredential");
    if (!valid_length(credential, 1, kFieldBytesMax)) {
        return invalid_field("SecurityCredential");
    }
    out.initiator_name = *initiator;
    out.security_credential = *credential;
    return std::nullopt;
}

std::optional<DarajaError> read_payment(const nlohmann::json& body,
                                        std::string_view b2c_shortcode,
                                        B2cPaymentRequest& out) {
    const auto command = text_field(body, "CommandID");
    if (!command || (*command != "BusinessPayment" && *command != "SalaryPayment" &&
                     *command != "PromotionPayment")) {
        return invalid_field("CommandID");
    }
    const auto amount = whole_shillings_field(body, "Amount", kB2cMinKes);
    if (!amount || *amount > kB2cMaxKes) {
        return invalid_field("Amount");
    }
    const auto party_a = text_field(body, "PartyA");
    if (!party_a || *party_a != b2c_shortcode) {
        return invalid_field("PartyA");
    }
    const auto party_b = text_field(body, "PartyB");
    if (!party_b || !is_mpesa_msisdn(*party_b)) {
        return invalid_field("PartyB");
    }
    out.command_id = *command;
    out.amount_kes = *amount;
    out.party_a = *party_a;
    out.party_b = *party_b;
    return std::nullopt;
}

std::optional<DarajaError> read_texts(const nlohmann::json& body, B2cPaymentRequest& out) {
    const auto remarks = text_field(body, "Remarks");
    if (!valid_length(remarks, kRemarksCharsMin, kRemarksCharsMax)) {
        return invalid_field("Remarks");
    }
    const auto queue_url = text_field(body, "QueueTimeOutURL");
    if (!queue_url || !is_callback_url(*queue_url)) {
        return invalid_field("QueueTimeOutURL");
    }
    const auto result_url = text_field(body, "ResultURL");
    if (!result_url || !is_callback_url(*result_url)) {
        return invalid_field("ResultURL");
    }
    auto occasion = text_field(body, "Occasion");
    if (!occasion) {
        occasion = text_field(body, "Occassion");
    }
    if (occasion && occasion->size() > kOccasionCharsMax) {
        return invalid_field("Occasion");
    }
    out.remarks = *remarks;
    out.queue_timeout_url = *queue_url;
    out.result_url = *result_url;
    out.occasion = occasion.value_or("");
    return std::nullopt;
}

WireJson parameter(std::string_view key, WireJson value) {
    WireJson item;
    item["Key"] = key;
    item["Value"] = std::move(value);
    return item;
}

WireJson success_parameters(const Transaction& payout) {
    WireJson list = WireJson::array();
    list.push_back(parameter("TransactionAmount", payout.amount_kes));
    list.push_back(parameter("TransactionReceipt", payout.receipt));
    list.push_back(
        parameter("ReceiverPartyPublicName", payout.msisdn + " - " + customer_name(payout.msisdn)));
    list.push_back(parameter("TransactionCompletedDateTime", nairobi_dotted(*payout.finalised_at)));
    list.push_back(
        parameter("B2CUtilityAccountAvailableFunds", decimal_number(payout.balance_after_kes)));
    list.push_back(parameter("B2CWorkingAccountAvailableFunds", decimal_number(0)));
    list.push_back(parameter("B2CRecipientIsRegisteredCustomer", "Y"));
    // The simulator charges no fees, so the charges account never moves.
    list.push_back(parameter("B2CChargesPaidAccountAvailableFunds", decimal_number(0)));
    WireJson parameters;
    parameters["ResultParameter"] = std::move(list);
    return parameters;
}

}  // namespace

Checked<B2cPaymentRequest> parse_b2c_payment(const nlohmann::json& body,
                                             B2cApiVersion version,
                                             std::string_view b2c_shortcode) {
    B2cPaymentRequest request;
    if (auto error = read_identity(body, version, request)) {
        return *error;
    }
    if (auto error = read_payment(body, b2c_shortcode, request)) {
        return *error;
    }
    if (auto error = read_texts(body, request)) {
        return *error;
    }
    return request;
}

DarajaError duplicate_originator_error() {
    return daraja_error("500.002.1001", "Duplicate OriginatorConversationID.");
}

std::string async_ack_body(std::string_view conversation_id,
                           std::string_view originator_conversation_id) {
    WireJson body;
    body["ConversationID"] = conversation_id;
    body["OriginatorConversationID"] = originator_conversation_id;
    body["ResponseCode"] = "0";
    body["ResponseDescription"] = "Accept the service request successfully.";
    return dump_wire(body);
}

WireJson result_envelope(const ResultOutcome& outcome,
                         std::string_view originator_conversation_id,
                         std::string_view conversation_id,
                         std::string_view transaction_id) {
    WireJson result;
    result["ResultType"] = 0;
    result["ResultCode"] = outcome.code;
    result["ResultDesc"] = outcome.description;
    result["OriginatorConversationID"] = originator_conversation_id;
    result["ConversationID"] = conversation_id;
    if (!transaction_id.empty()) {
        result["TransactionID"] = transaction_id;
    }
    WireJson envelope;
    envelope["Result"] = std::move(result);
    return envelope;
}

std::string b2c_result_body(const Transaction& payout) {
    GW_ASSERT(payout.status != TransactionStatus::pending, "only final results are sent");
    GW_ASSERT(payout.finalised_at.has_value(), "a final payout has its time");
    WireJson envelope = result_envelope(ResultOutcome{payout.result_code, payout.result_desc},
                                        payout.request_id,
                                        payout.id,
                                        payout.receipt);
    WireJson& result = envelope["Result"];
    if (payout.status == TransactionStatus::completed) {
        result["ResultParameters"] = success_parameters(payout);
    }
    result["ReferenceData"]["ReferenceItem"]["Key"] = "QueueTimeoutURL";
    result["ReferenceData"]["ReferenceItem"]["Value"] = kB2cReferenceUrl;
    return dump_wire(envelope);
}

std::string b2c_queue_timeout_body(const Transaction& payout) {
    WireJson envelope = result_envelope(kResultQueueTimeout, payout.request_id, payout.id, "");
    envelope["Result"]["ReferenceData"]["ReferenceItem"]["Key"] = "QueueTimeoutURL";
    envelope["Result"]["ReferenceData"]["ReferenceItem"]["Value"] = kB2cReferenceUrl;
    return dump_wire(envelope);
}

std::string b2c_reason_type(std::string_view command_id) {
    if (command_id == "SalaryPayment") {
        return "Salary Payment to Customer via API";
    }
    if (command_id == "PromotionPayment") {
        return "Promotion Payment to Customer via API";
    }
    return "Business Payment to Customer via API";
}

}  // namespace gw::sim
