#include "mpesa/daraja_messages.hpp"

#include <algorithm>
#include <vector>

#include <sodium.h>

#include "core/msisdn.hpp"
#include "core/rounding.hpp"
#include "mpesa/nairobi_time.hpp"

namespace gw::mpesa {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kRedacted = "[redacted]";

Json parse_object(std::string_view body) {
    Json parsed = Json::parse(body, nullptr, false);
    return parsed.is_object() ? parsed : Json();
}

// A field that Daraja sends as a string or a number, as text; empty when absent or other.
std::string text_field(const Json& object, const char* name) {
    const auto found = object.find(name);
    if (found == object.end()) {
        return {};
    }
    if (found->is_string()) {
        return found->get<std::string>();
    }
    if (found->is_number_integer()) {
        return found->dump();
    }
    return {};
}

bool is_plain_text(std::string_view text, bool allow_spaces) {
    return std::all_of(text.begin(), text.end(), [&](char c) {
        const bool alnum =
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        return alnum || (allow_spaces && c == ' ');
    });
}

Error invalid(std::string detail) {
    return make_error(ErrorCode::validation_failed, std::move(detail));
}

// Whole shillings of `amount` within [min, max]; the error codes of the header contract.
Result<std::int64_t> shillings_within(Cents amount, std::int64_t min, std::int64_t max) {
    auto whole = require_whole_shillings(amount);
    if (!whole) {
        return whole.error();
    }
    const std::int64_t shillings = amount.value() / kCentsPerShilling;
    if (shillings < min) {
        return make_error(ErrorCode::zero_amount,
                          "M-Pesa needs at least KES " + std::to_string(min));
    }
    if (shillings > max) {
        return make_error(ErrorCode::amount_too_large,
                          "M-Pesa moves at most KES " + std::to_string(max) + " at a time");
    }
    return shillings;
}

Result<std::string> canonical_msisdn(std::string_view msisdn) {
    auto normalized = normalize_msisdn(msisdn);
    if (!normalized || *normalized != msisdn) {
        return make_error(ErrorCode::invalid_phone,
                          "the phone must be 2547XXXXXXXX or 2541XXXXXXXX");
    }
    return normalized;
}

// Classifies an STK Push error envelope. Only refusals documented to happen before any
// processing are definite (DARAJA.md §3); 500.001.1001 means several things, so its message
// decides. Anything else may have been acted on.
Certainty certainty_of_stk_error(int http_status, const DarajaError& error) {
    if (http_status >= 400 && http_status < 500) {
        return Certainty::rejected;
    }
    if (error.error_code == "500.003.02" || error.error_code == "500.003.03") {
        return Certainty::rejected;  // spike arrest, quota: refused at the gateway
    }
    if (error.error_code != "500.001.1001") {
        return Certainty::unknown;
    }
    static const std::vector<std::string_view> refusals = {
        "Wrong credentials", "Merchant does not exist", "Unable to lock subscriber"};
    const bool refused = std::any_of(refusals.begin(), refusals.end(), [&](std::string_view text) {
        return error.error_message.find(text) != std::string::npos;
    });
    return refused ? Certainty::rejected : Certainty::unknown;
}

// Classifies a B2C or Transaction Status error envelope: a 4xx is a refusal of the request as
// sent; every 5xx may hide a payment, so it is unknown.
Certainty certainty_of_async_error(int http_status) {
    return http_status >= 400 && http_status < 500 ? Certainty::rejected : Certainty::unknown;
}

// Replaces the last path segment of a callback URL (our per-request token) with a marker.
std::string without_token(const std::string& url) {
    const std::size_t slash = url.rfind('/');
    return slash == std::string::npos ? std::string(kRedacted) : url.substr(0, slash + 1) + "[token]";
}

}  // namespace

std::string_view to_string(Certainty certainty) {
    switch (certainty) {
        case Certainty::accepted:
            return "accepted";
        case Certainty::rejected:
            return "rejected";
        case Certainty::unknown:
            return "unknown";
    }
    return "unknown";
}

std::string_view to_string(StkQueryState state) {
    switch (state) {
        case StkQueryState::pending:
            return "pending";
        case StkQueryState::succeeded:
            return "succeeded";
        case StkQueryState::failed:
            return "failed";
        case StkQueryState::not_found:
            return "not_found";
        case StkQueryState::unavailable:
            return "unavailable";
    }
    return "unavailable";
}

std::optional<DarajaError> parse_daraja_error(std::string_view body) {
    const Json object = parse_object(body);
    if (object.is_null()) {
        return std::nullopt;
    }
    DarajaError error{text_field(object, "errorCode"), text_field(object, "errorMessage")};
    if (error.error_code.empty()) {
        return std::nullopt;
    }
    return error;
}

bool is_invalid_token(const Reply& reply) {
    if (reply.http_status == 401) {
        return true;
    }
    const std::optional<DarajaError> error = parse_daraja_error(reply.body);
    if (!error) {
        return false;
    }
    return error->error_code == "404.001.03" || error->error_code == "401.002.01" ||
           error->error_code == "400.003.01";
}

std::string base64_encode(std::string_view plain) {
    const std::size_t encoded_size =
        sodium_base64_ENCODED_LEN(plain.size(), sodium_base64_VARIANT_ORIGINAL);
    std::string encoded(encoded_size, '\0');
    sodium_bin2base64(encoded.data(),
                      encoded.size(),
                      reinterpret_cast<const unsigned char*>(plain.data()),
                      plain.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    encoded.resize(encoded_size - 1);  // drop the terminating NUL
    return encoded;
}

std::string stk_password(std::string_view shortcode,
                         std::string_view passkey,
                         std::string_view timestamp) {
    std::string plain;
    plain.append(shortcode).append(passkey).append(timestamp);
    return base64_encode(plain);
}

Result<Json> stk_push_body(const Settings& settings,
                           const Credentials& credentials,
                           const StkPushOrder& order,
                           TimePoint now) {
    auto shillings = shillings_within(order.amount, kStkShillingsMin, kB2cShillingsMax);
    if (!shillings) {
        return shillings.error();
    }
    auto msisdn = canonical_msisdn(order.msisdn);
    if (!msisdn) {
        return msisdn.error();
    }
    if (order.account_reference.empty() ||
        order.account_reference.size() > kAccountReferenceCharsMax ||
        !is_plain_text(order.account_reference, false)) {
        return invalid("the account reference must be 1 to 12 letters and digits");
    }
    if (order.description.empty() || order.description.size() > kTransactionDescCharsMax ||
        !is_plain_text(order.description, true)) {
        return invalid("the description must be 1 to 13 letters, digits and spaces");
    }
    const std::string timestamp = daraja_timestamp(now);
    return Json{
        {"BusinessShortCode", settings.shortcode},
        {"Password", stk_password(settings.shortcode, credentials.passkey.reveal(), timestamp)},
        {"Timestamp", timestamp},
        {"TransactionType", settings.transaction_type},
        {"Amount", *shillings},
        {"PartyA", *msisdn},
        {"PartyB", settings.party_b},
        {"PhoneNumber", *msisdn},
        {"CallBackURL", order.callback_url},
        {"AccountReference", order.account_reference},
        {"TransactionDesc", order.description},
    };
}

StkPushAnswer classify_stk_push(const Reply& reply) {
    StkPushAnswer answer;
    if (!reply.transport_error.empty()) {
        answer.retry_safe = reply.nothing_sent;
        return answer;
    }
    const Json object = parse_object(reply.body);
    if (reply.http_status == 200 && !object.is_null() &&
        text_field(object, "ResponseCode") == "0" &&
        !text_field(object, "CheckoutRequestID").empty()) {
        answer.certainty = Certainty::accepted;
        answer.merchant_request_id = text_field(object, "MerchantRequestID");
        answer.checkout_request_id = text_field(object, "CheckoutRequestID");
        return answer;
    }
    const std::string response_code =
        object.is_null() ? std::string() : text_field(object, "ResponseCode");
    if (reply.http_status == 200 && !response_code.empty() && response_code != "0") {
        answer.certainty = Certainty::rejected;  // a non-zero ResponseCode: not accepted
        answer.error = DarajaError{text_field(object, "ResponseCode"),
                                   text_field(object, "ResponseDescription")};
        answer.retry_safe = true;
        return answer;
    }
    answer.error = parse_daraja_error(reply.body);
    if (answer.error) {
        answer.certainty = certainty_of_stk_error(reply.http_status, *answer.error);
        answer.retry_safe = answer.certainty == Certainty::rejected;
    }
    return answer;
}

Json stk_query_body(const Settings& settings,
                    const Credentials& credentials,
                    std::string_view checkout_request_id,
                    TimePoint now) {
    const std::string timestamp = daraja_timestamp(now);
    return Json{
        {"BusinessShortCode", settings.shortcode},
        {"Password", stk_password(settings.shortcode, credentials.passkey.reveal(), timestamp)},
        {"Timestamp", timestamp},
        {"CheckoutRequestID", std::string(checkout_request_id)},
    };
}

StkQueryAnswer classify_stk_query(const Reply& reply) {
    StkQueryAnswer answer;
    if (!reply.transport_error.empty()) {
        return answer;
    }
    if (const auto error = parse_daraja_error(reply.body); error) {
        if (error->error_message.find("being processed") != std::string::npos) {
            answer.state = StkQueryState::pending;  // the pre-2025 HTTP 500 shape
        } else if (error->error_message.find("does not Exist") != std::string::npos ||
                   error->error_message.find("does not exist") != std::string::npos) {
            answer.state = StkQueryState::not_found;
        }
        return answer;
    }
    const Json object = parse_object(reply.body);
    const std::string code = object.is_null() ? std::string() : text_field(object, "ResultCode");
    if (reply.http_status != 200 || code.empty()) {
        return answer;
    }
    if (code == "4999") {
        answer.state = StkQueryState::pending;  // the 2025 HTTP 200 shape
        return answer;
    }
    answer.state = code == "0" ? StkQueryState::succeeded : StkQueryState::failed;
    answer.result_code = code;
    answer.result_desc = text_field(object, "ResultDesc");
    return answer;
}

Result<Json> b2c_payment_body(const Settings& settings,
                              const Credentials& credentials,
                              const B2cOrder& order) {
    auto shillings = shillings_within(order.amount, kB2cShillingsMin, kB2cShillingsMax);
    if (!shillings) {
        return shillings.error();
    }
    auto msisdn = canonical_msisdn(order.msisdn);
    if (!msisdn) {
        return msisdn.error();
    }
    if (order.remarks.size() < 2 || order.remarks.size() > 100 || order.occasion.size() > 100) {
        return invalid("remarks must be 2 to 100 characters and the occasion at most 100");
    }
    Json body{
        {"OriginatorConversationID", order.originator_conversation_id},
        {"InitiatorName", settings.initiator_name},
        {"SecurityCredential", std::string(credentials.security_credential.reveal())},
        {"CommandID", settings.b2c_command_id},
        {"Amount", *shillings},
        {"PartyA", settings.b2c_shortcode},
        {"PartyB", *msisdn},
        {"Remarks", order.remarks},
        {"QueueTimeOutURL", order.queue_timeout_url},
        {"ResultURL", order.result_url},
    };
    if (!order.occasion.empty()) {
        body["Occasion"] = order.occasion;
    }
    return body;
}

Json transaction_status_body(const Settings& settings,
                             const Credentials& credentials,
                             const StatusQuery& query) {
    Json body{
        {"Initiator", settings.initiator_name},
        {"SecurityCredential", std::string(credentials.security_credential.reveal())},
        {"CommandID", "TransactionStatusQuery"},
        {"PartyA", settings.b2c_shortcode},
        {"IdentifierType", "4"},
        {"ResultURL", query.result_url},
        {"QueueTimeOutURL", query.queue_timeout_url},
        {"Remarks", "Payout status"},
        {"Occasion", ""},
    };
    if (!query.transaction_id.empty()) {
        body["TransactionID"] = query.transaction_id;
    }
    if (!query.originator_conversation_id.empty()) {
        body["OriginalConversationID"] = query.originator_conversation_id;
    }
    return body;
}

AsyncAnswer classify_async_ack(const Reply& reply) {
    AsyncAnswer answer;
    if (!reply.transport_error.empty()) {
        answer.retry_safe = reply.nothing_sent;
        return answer;
    }
    const Json object = parse_object(reply.body);
    if (reply.http_status == 200 && !object.is_null() &&
        text_field(object, "ResponseCode") == "0" && !text_field(object, "ConversationID").empty()) {
        answer.certainty = Certainty::accepted;
        answer.conversation_id = text_field(object, "ConversationID");
        answer.originator_conversation_id = text_field(object, "OriginatorConversationID");
        return answer;
    }
    answer.error = parse_daraja_error(reply.body);
    if (!answer.error) {
        return answer;
    }
    if (answer.error->error_code == "500.002.1001") {
        answer.duplicate = true;  // the first request with this id reached Daraja: query it
        return answer;
    }
    answer.certainty = certainty_of_async_error(reply.http_status);
    answer.retry_safe = answer.certainty == Certainty::rejected;
    return answer;
}

Json redact_request(const Json& body) {
    Json copy = body;
    for (const char* secret : {"Password", "SecurityCredential"}) {
        if (copy.contains(secret)) {
            copy[secret] = kRedacted;
        }
    }
    for (const char* url : {"CallBackURL", "ResultURL", "QueueTimeOutURL"}) {
        if (copy.contains(url) && copy[url].is_string()) {
            copy[url] = without_token(copy[url].get<std::string>());
        }
    }
    for (const char* phone : {"PartyA", "PartyB", "PhoneNumber"}) {
        if (copy.contains(phone) && copy[phone].is_string()) {
            const std::string value = copy[phone].get<std::string>();
            if (value.size() == 12 && value.starts_with("254")) {
                copy[phone] = mask_msisdn(value);
            }
        }
    }
    return copy;
}

}  // namespace gw::mpesa
