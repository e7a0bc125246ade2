#include "mpesa/callback_parser.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mpesa/callback_json.hpp"

namespace gw::mpesa {
namespace {

using callback_json::Accept;
using callback_json::Json;
using callback_json::malformed;
using callback_json::NamedText;

bool is_ascii_digits(std::string_view text) {
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return !text.empty();
}

// Copies a string member of `object` into `out`, which stays empty when the member is absent.
Result<void> read_optional_string(const Json& object, std::string_view key, std::string& out) {
    Result<std::optional<std::string>> text =
        callback_json::optional_text(object, key, Accept::string);
    if (!text) {
        return text.error();
    }
    out = text->value_or(std::string{});
    return {};
}

// ---- STK callback ----

// Reads the ids, code and description of Body.stkCallback.
Result<void> read_stk_header(const Json& callback, StkCallback& out) {
    Result<std::string> checkout =
        callback_json::required_text(callback, "CheckoutRequestID", Accept::string);
    if (!checkout) {
        return checkout.error();
    }
    out.checkout_request_id = std::move(*checkout);
    Result<std::string> code =
        callback_json::required_text(callback, "ResultCode", Accept::integer_or_string);
    if (!code) {
        return code.error();
    }
    out.result_code = std::move(*code);
    if (Result<void> read =
            read_optional_string(callback, "MerchantRequestID", out.merchant_request_id);
        !read) {
        return read;
    }
    return read_optional_string(callback, "ResultDesc", out.result_desc);
}

// Parses an optional amount `value` of the field `name`.
Result<std::optional<Cents>> amount_of(const std::optional<std::string>& value,
                                       std::string_view name) {
    if (!value) {
        return std::optional<Cents>{};
    }
    Result<Cents> amount = callback_json::amount_from_text(*value, name);
    if (!amount) {
        return amount.error();
    }
    return std::optional<Cents>{*amount};
}

// Checks an optional receipt `value` of the field `name`.
Result<std::optional<std::string>> receipt_of(std::optional<std::string> value,
                                              std::string_view name) {
    if (value && !is_mpesa_receipt(*value)) {
        return malformed(std::string(name) + " is not " + std::to_string(kReceiptChars) +
                         " upper-case letters or digits");
    }
    return value;
}

// Reads the typed metadata items of `items` into `out`.
Result<void> read_stk_items(const std::vector<NamedText>& items, StkCallback& out) {
    using callback_json::named_value;
    Result<std::optional<std::string>> amount =
        named_value(items, "Amount", Accept::number_or_string);
    if (!amount) {
        return amount.error();
    }
    Result<std::optional<Cents>> cents = amount_of(*amount, "Amount");
    if (!cents) {
        return cents.error();
    }
    Result<std::optional<std::string>> receipt =
        named_value(items, "MpesaReceiptNumber", Accept::string);
    if (!receipt) {
        return receipt.error();
    }
    Result<std::optional<std::string>> checked =
        receipt_of(std::move(*receipt), "MpesaReceiptNumber");
    if (!checked) {
        return checked.error();
    }
    Result<std::optional<std::string>> date =
        named_value(items, "TransactionDate", Accept::integer_or_string);
    if (!date) {
        return date.error();
    }
    if (*date && ((*date)->size() != kTransactionDateDigits || !is_ascii_digits(**date))) {
        return malformed("TransactionDate is not " + std::to_string(kTransactionDateDigits) +
                         " digits");
    }
    Result<std::optional<std::string>> phone =
        named_value(items, "PhoneNumber", Accept::integer_or_string);
    if (!phone) {
        return phone.error();
    }
    out.amount = *cents;
    out.receipt = std::move(*checked);
    out.transaction_date = std::move(*date);
    out.phone = std::move(*phone);
    return {};
}

// Reads the optional CallbackMetadata of Body.stkCallback into `out`.
Result<void> read_stk_metadata(const Json& callback, StkCallback& out) {
    Result<const Json*> metadata = callback_json::optional_object(callback, "CallbackMetadata");
    if (!metadata) {
        return metadata.error();
    }
    if (*metadata == nullptr) {
        return {};
    }
    Result<std::vector<NamedText>> items = callback_json::named_list(**metadata, "Item", "Name");
    if (!items) {
        return items.error();
    }
    return read_stk_items(*items, out);
}

// ---- Result envelope ----

// Reads the scalar members of the Result object.
Result<void> read_result_header(const Json& result, DarajaResult& out) {
    Result<std::string> code =
        callback_json::required_text(result, "ResultCode", Accept::integer_or_string);
    if (!code) {
        return code.error();
    }
    out.result_code = std::move(*code);
    Result<std::optional<std::string>> type =
        callback_json::optional_text(result, "ResultType", Accept::integer_or_string);
    if (!type) {
        return type.error();
    }
    out.result_type = type->value_or(std::string{});
    const std::pair<std::string_view, std::string*> strings[] = {
        {"ResultDesc", &out.result_desc},
        {"OriginatorConversationID", &out.originator_conversation_id},
        {"ConversationID", &out.conversation_id},
        {"TransactionID", &out.transaction_id},
    };
    for (const auto& [key, field] : strings) {
        if (Result<void> read = read_optional_string(result, key, *field); !read) {
            return read;
        }
    }
    if (out.originator_conversation_id.empty() && out.conversation_id.empty()) {
        return malformed("ConversationID and OriginatorConversationID are both missing");
    }
    return {};
}

// Reads the list `list_key` inside the optional object `holder_key` of `result`.
Result<std::vector<ResultParameter>> read_parameters(const Json& result,
                                                     std::string_view holder_key,
                                                     std::string_view list_key) {
    Result<const Json*> holder = callback_json::optional_object(result, holder_key);
    if (!holder) {
        return holder.error();
    }
    std::vector<ResultParameter> parameters;
    if (*holder == nullptr) {
        return parameters;
    }
    Result<std::vector<NamedText>> named = callback_json::named_list(**holder, list_key, "Key");
    if (!named) {
        return named.error();
    }
    parameters.reserve(named->size());
    for (NamedText& entry : *named) {
        parameters.push_back(ResultParameter{std::move(entry.name), std::move(entry.value)});
    }
    return parameters;
}

}  // namespace

bool is_mpesa_receipt(std::string_view text) {
    if (text.size() != kReceiptChars) {
        return false;
    }
    for (const char c : text) {
        const bool upper = c >= 'A' && c <= 'Z';
        const bool digit = c >= '0' && c <= '9';
        if (!upper && !digit) {
            return false;
        }
    }
    return true;
}

std::optional<std::string> DarajaResult::parameter(std::string_view key) const {
    for (const ResultParameter& entry : parameters) {
        if (entry.key == key) {
            return entry.value;
        }
    }
    return std::nullopt;
}

Result<StkCallback> parse_stk_callback(std::string_view body) {
    Result<Json> root = callback_json::parse_document(body);
    if (!root) {
        return root.error();
    }
    Result<const Json*> envelope = callback_json::required_object(*root, "Body");
    if (!envelope) {
        return envelope.error();
    }
    Result<const Json*> callback = callback_json::required_object(**envelope, "stkCallback");
    if (!callback) {
        return callback.error();
    }
    StkCallback out;
    if (Result<void> header = read_stk_header(**callback, out); !header) {
        return header.error();
    }
    if (Result<void> metadata = read_stk_metadata(**callback, out); !metadata) {
        return metadata.error();
    }
    if (out.succeeded() && !out.amount) {
        return malformed("a successful STK callback lacks Amount");
    }
    if (out.succeeded() && !out.receipt) {
        return malformed("a successful STK callback lacks MpesaReceiptNumber");
    }
    return out;
}

Result<DarajaResult> parse_daraja_result(std::string_view body) {
    Result<Json> root = callback_json::parse_document(body);
    if (!root) {
        return root.error();
    }
    Result<const Json*> result = callback_json::required_object(*root, "Result");
    if (!result) {
        return result.error();
    }
    DarajaResult out;
    if (Result<void> header = read_result_header(**result, out); !header) {
        return header.error();
    }
    Result<std::vector<ResultParameter>> parameters =
        read_parameters(**result, "ResultParameters", "ResultParameter");
    if (!parameters) {
        return parameters.error();
    }
    out.parameters = std::move(*parameters);
    Result<std::vector<ResultParameter>> references =
        read_parameters(**result, "ReferenceData", "ReferenceItem");
    if (!references) {
        return references.error();
    }
    out.reference_items = std::move(*references);
    return out;
}

Result<B2cPayoutResult> parse_b2c_result(std::string_view body) {
    Result<DarajaResult> result = parse_daraja_result(body);
    if (!result) {
        return result.error();
    }
    Result<std::optional<Cents>> amount =
        amount_of(result->parameter("TransactionAmount"), "TransactionAmount");
    if (!amount) {
        return amount.error();
    }
    Result<std::optional<std::string>> receipt =
        receipt_of(result->parameter("TransactionReceipt"), "TransactionReceipt");
    if (!receipt) {
        return receipt.error();
    }
    if (result->succeeded() && !amount->has_value()) {
        return malformed("a successful B2C result lacks TransactionAmount");
    }
    if (result->succeeded() && !receipt->has_value()) {
        return malformed("a successful B2C result lacks TransactionReceipt");
    }
    B2cPayoutResult out;
    out.amount = *amount;
    out.receipt = std::move(*receipt);
    out.completed_at = result->parameter("TransactionCompletedDateTime");
    out.result = std::move(*result);
    return out;
}

Result<TransactionStatusResult> parse_transaction_status_result(std::string_view body) {
    Result<DarajaResult> result = parse_daraja_result(body);
    if (!result) {
        return result.error();
    }
    Result<std::optional<std::string>> receipt =
        receipt_of(result->parameter("ReceiptNo"), "ReceiptNo");
    if (!receipt) {
        return receipt.error();
    }
    Result<std::optional<Cents>> amount = amount_of(result->parameter("Amount"), "Amount");
    if (!amount) {
        return amount.error();
    }
    TransactionStatusResult out;
    out.receipt = std::move(*receipt);
    out.amount = *amount;
    out.status = result->parameter("TransactionStatus");
    if (result->succeeded() && !out.receipt) {
        return malformed("a successful Transaction Status result lacks ReceiptNo");
    }
    if (result->succeeded() && !out.status) {
        return malformed("a successful Transaction Status result lacks TransactionStatus");
    }
    out.reason_type = result->parameter("ReasonType");
    out.initiated_at = result->parameter("InitiatedTime");
    out.finalised_at = result->parameter("FinalisedTime");
    out.result = std::move(*result);
    return out;
}

}  // namespace gw::mpesa
