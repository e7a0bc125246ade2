#include "daraja-sim/stk.hpp"

#include <cctype>

#include "core/assert.hpp"
#include "daraja-sim/base64.hpp"
#include "daraja-sim/nairobi_time.hpp"

namespace gw::sim {
namespace {

constexpr std::size_t kShortcodeDigitsMin = 5;
constexpr std::size_t kShortcodeDigitsMax = 7;
constexpr std::size_t kPasswordCharsMax = 256;
constexpr std::size_t kCheckoutIdCharsMax = 64;
constexpr std::string_view kAcceptedText = "Success. Request accepted for processing";
constexpr std::string_view kQueryAcceptedText =
    "The service request has been accepted successfully";

std::optional<std::string> shortcode_field(const nlohmann::json& body, std::string_view key) {
    std::optional<std::string> text = digits_field(body, key, kShortcodeDigitsMax);
    if (!text || text->size() < kShortcodeDigitsMin) {
        return std::nullopt;
    }
    return text;
}

bool is_alphanumeric(std::string_view text) {
    for (char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
            return false;
        }
    }
    return true;
}

// The fields a push and a query share. Returns the failing field's error, or nullopt.
std::optional<DarajaError> read_merchant_fields(const nlohmann::json& body,
                                                std::string& shortcode,
                                                std::string& password,
                                                std::string& timestamp) {
    const auto code = shortcode_field(body, "BusinessShortCode");
    if (!code) {
        return invalid_field("BusinessShortCode");
    }
    const auto pass = text_field(body, "Password");
    if (!pass || pass->empty() || pass->size() > kPasswordCharsMax) {
        return invalid_field("Password");
    }
    const auto stamp = text_field(body, "Timestamp");
    if (!stamp || !is_compact_timestamp(*stamp)) {
        return invalid_field("Timestamp");
    }
    shortcode = *code;
    password = *pass;
    timestamp = *stamp;
    return std::nullopt;
}

// The fields after the merchant's, in the documented order. Returns the first failure.
std::optional<DarajaError> read_payment_fields(const nlohmann::json& body, StkPushRequest& out) {
    const auto type = text_field(body, "TransactionType");
    if (!type || (*type != "CustomerPayBillOnline" && *type != "CustomerBuyGoodsOnline")) {
        return invalid_field("TransactionType");
    }
    const auto amount = whole_shillings_field(body, "Amount", 1);
    if (!amount) {
        return invalid_field("Amount");
    }
    const auto party_a = text_field(body, "PartyA");
    if (!party_a || !is_mpesa_msisdn(*party_a)) {
        return invalid_field("PhoneNumber");
    }
    const auto party_b = shortcode_field(body, "PartyB");
    if (!party_b) {
        return invalid_field("PartyB");
    }
    const auto phone = text_field(body, "PhoneNumber");
    if (!phone || !is_mpesa_msisdn(*phone)) {
        return invalid_field("PhoneNumber");
    }
    out.transaction_type = *type;
    out.amount_kes = *amount;
    out.party_a = *party_a;
    out.party_b = *party_b;
    out.phone_number = *phone;
    return std::nullopt;
}

std::optional<DarajaError> read_text_fields(const nlohmann::json& body, StkPushRequest& out) {
    const auto url = text_field(body, "CallBackURL");
    if (!url || !is_callback_url(*url)) {
        return invalid_field("CallBackURL");
    }
    const auto reference = text_field(body, "AccountReference");
    if (!reference || reference->empty() || reference->size() > kAccountReferenceCharsMax ||
        !is_alphanumeric(*reference)) {
        return invalid_field("AccountReference");
    }
    // Omitting TransactionDesc answered "Invalid Remarks" in captures (DARAJA.md §3).
    const auto desc = text_field(body, "TransactionDesc");
    if (!desc || desc->empty() || desc->size() > kTransactionDescCharsMax) {
        return invalid_field("Remarks");
    }
    out.callback_url = *url;
    out.account_reference = *reference;
    out.transaction_desc = *desc;
    return std::nullopt;
}

WireJson metadata_item(std::string_view name, WireJson value) {
    WireJson item;
    item["Name"] = name;
    if (!value.is_null()) {
        item["Value"] = std::move(value);
    }
    return item;
}

std::uint64_t as_number(std::string_view digits) {
    std::uint64_t value = 0;
    for (char c : digits) {
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

}  // namespace

std::string stk_password(std::string_view shortcode,
                         std::string_view passkey,
                         std::string_view timestamp) {
    std::string plain(shortcode);
    plain.append(passkey);
    plain.append(timestamp);
    return base64_encode(plain);
}

Checked<StkPushRequest> parse_stk_push(const nlohmann::json& body) {
    StkPushRequest request;
    if (auto error =
            read_merchant_fields(body, request.shortcode, request.password, request.timestamp)) {
        return *error;
    }
    if (auto error = read_payment_fields(body, request)) {
        return *error;
    }
    if (auto error = read_text_fields(body, request)) {
        return *error;
    }
    return request;
}

std::optional<DarajaError> check_stk_merchant(std::string_view shortcode,
                                              std::string_view password,
                                              std::string_view timestamp,
                                              const StkMerchant& merchant) {
    if (shortcode != merchant.shortcode) {
        return daraja_error("500.001.1001", "Merchant does not exist");
    }
    if (password != stk_password(shortcode, merchant.passkey, timestamp)) {
        return daraja_error("500.001.1001", "Wrong credentials");
    }
    return std::nullopt;
}

Checked<StkQueryRequest> parse_stk_query(const nlohmann::json& body) {
    StkQueryRequest request;
    if (auto error =
            read_merchant_fields(body, request.shortcode, request.password, request.timestamp)) {
        return *error;
    }
    const auto id = text_field(body, "CheckoutRequestID");
    if (!id || id->empty() || id->size() > kCheckoutIdCharsMax) {
        return invalid_field("CheckoutRequestID");
    }
    request.checkout_request_id = *id;
    return request;
}

std::string stk_accepted_body(const Transaction& transaction) {
    WireJson body;
    body["MerchantRequestID"] = transaction.request_id;
    body["CheckoutRequestID"] = transaction.id;
    body["ResponseCode"] = "0";
    body["ResponseDescription"] = kAcceptedText;
    body["CustomerMessage"] = kAcceptedText;
    return dump_wire(body);
}

std::string stk_callback_body(const Transaction& transaction) {
    GW_ASSERT(transaction.status != TransactionStatus::pending, "only final results are sent");
    GW_ASSERT(transaction.finalised_at.has_value(), "a final transaction has its time");
    WireJson callback;
    callback["MerchantRequestID"] = transaction.request_id;
    callback["CheckoutRequestID"] = transaction.id;
    callback["ResultCode"] = transaction.result_code;
    callback["ResultDesc"] = transaction.result_desc;
    if (transaction.status == TransactionStatus::completed) {
        WireJson items = WireJson::array();
        items.push_back(metadata_item("Amount",
                                      transaction.amount_with_decimals
                                          ? decimal_number(transaction.amount_kes)
                                          : WireJson(transaction.amount_kes)));
        items.push_back(metadata_item("MpesaReceiptNumber", transaction.receipt));
        items.push_back(metadata_item("Balance", nullptr));
        items.push_back(metadata_item("TransactionDate",
                                      as_number(nairobi_compact(*transaction.finalised_at))));
        items.push_back(metadata_item("PhoneNumber", as_number(transaction.msisdn)));
        callback["CallbackMetadata"]["Item"] = std::move(items);
    }
    WireJson body;
    body["Body"]["stkCallback"] = std::move(callback);
    return dump_wire(body);
}

std::string stk_query_final_body(const Transaction& transaction) {
    WireJson body;
    body["ResponseCode"] = "0";
    body["ResponseDescription"] = kQueryAcceptedText;
    body["MerchantRequestID"] = transaction.request_id;
    body["CheckoutRequestID"] = transaction.id;
    body["ResultCode"] = std::to_string(transaction.result_code);
    body["ResultDesc"] = transaction.result_desc;
    return dump_wire(body);
}

std::string stk_query_pending_body(const Transaction& transaction) {
    WireJson body;
    body["ResponseCode"] = "0";
    body["ResponseDescription"] = kQueryAcceptedText;
    body["MerchantRequestID"] = transaction.request_id;
    body["CheckoutRequestID"] = transaction.id;
    body["ResultCode"] = "4999";
    body["ResultDesc"] = "The transaction is still under processing";
    return dump_wire(body);
}

DarajaError stk_query_pending_error() {
    return daraja_error("500.001.1001", "The transaction is being processed");
}

DarajaError stk_query_unknown_error() {
    return daraja_error("500.001.1001", "The transaction does not Exist");
}

DarajaError stk_subscriber_locked_error() {
    return daraja_error(
        "500.001.1001",
        "Unable to lock subscriber, a transaction is already in process for the current "
        "subscriber");
}

}  // namespace gw::sim
