// Fuzz entry point for the Daraja callback parsers (mpesa/callback_parser.hpp). Every input is
// fed to all four parsers. Properties, any violation traps:
//   - no parser crashes or throws, and a rejection is always malformed_callback with a short
//     detail that holds no control character and no run of 9+ digits (so it cannot echo a
//     phone number or an amount from the body);
//   - an accepted STK callback has a non-empty CheckoutRequestID and ResultCode, text fields
//     within kCallbackTextBytesMax, any amount in [1 cent, kCallbackAmountMax], any receipt of
//     10 upper-case alphanumerics, any TransactionDate of 14 digits; a success always has both
//     an amount and a receipt;
//   - parse(format(x)) == x: an accepted callback or result, written back as JSON with every
//     value as a string (amounts via format_kes), parses to the same value;
//   - the B2C and Transaction Status parsers accept exactly when the generic envelope does and
//     their typed fields are consistent with it (a B2C success has an amount and a receipt).
// Under GCC the checked-in corpus replays through corpus_replay_main.cpp as a unit test.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/money.hpp"
#include "mpesa/callback_parser.hpp"

namespace {

using Json = nlohmann::json;
namespace mpesa = gw::mpesa;

void require(bool property) {
    if (!property) {
        __builtin_trap();
    }
}

bool fits(const std::string& text) {
    return text.size() <= mpesa::kCallbackTextBytesMax;
}

bool fits(const std::optional<std::string>& text) {
    return !text || fits(*text);
}

// A rejection: the one code, and a detail that is short, printable, and echoes no number.
template <typename T>
void check_rejection(const gw::Result<T>& result) {
    const gw::Error& error = result.error();
    require(error.code == gw::ErrorCode::malformed_callback);
    require(!error.detail.empty() && error.detail.size() <= 120);
    std::size_t digits = 0;
    for (const char c : error.detail) {
        require(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F);
        digits = (c >= '0' && c <= '9') ? digits + 1 : 0;
        require(digits < 9);
    }
}

void check_amount(const std::optional<gw::Cents>& amount) {
    require(!amount || (amount->value() >= 1 && *amount <= mpesa::kCallbackAmountMax));
}

void check_receipt(const std::optional<std::string>& receipt) {
    require(!receipt || mpesa::is_mpesa_receipt(*receipt));
}

// Writes `callback` back as an STK callback body, every value a string.
std::string format_stk(const mpesa::StkCallback& callback) {
    Json items = Json::array();
    const auto add = [&items](const char* name, const std::optional<std::string>& value) {
        if (value) {
            items.push_back({{"Name", name}, {"Value", *value}});
        }
    };
    add("Amount", callback.amount ? std::optional(gw::format_kes(*callback.amount)) : std::nullopt);
    add("MpesaReceiptNumber", callback.receipt);
    add("TransactionDate", callback.transaction_date);
    add("PhoneNumber", callback.phone);
    Json stk = {{"MerchantRequestID", callback.merchant_request_id},
                {"CheckoutRequestID", callback.checkout_request_id},
                {"ResultCode", callback.result_code},
                {"ResultDesc", callback.result_desc}};
    if (!items.empty()) {
        stk["CallbackMetadata"] = {{"Item", items}};
    }
    return Json{{"Body", {{"stkCallback", stk}}}}.dump();
}

Json format_list(const std::vector<mpesa::ResultParameter>& parameters) {
    Json list = Json::array();
    for (const mpesa::ResultParameter& parameter : parameters) {
        Json entry = {{"Key", parameter.key}};
        if (parameter.value) {
            entry["Value"] = *parameter.value;
        }
        list.push_back(entry);
    }
    return list;
}

// Writes `result` back as a Result envelope, every value a string.
std::string format_result(const mpesa::DarajaResult& result) {
    Json envelope = {{"ResultCode", result.result_code},
                     {"ResultDesc", result.result_desc},
                     {"OriginatorConversationID", result.originator_conversation_id},
                     {"ConversationID", result.conversation_id},
                     {"TransactionID", result.transaction_id}};
    if (!result.result_type.empty()) {
        envelope["ResultType"] = result.result_type;
    }
    if (!result.parameters.empty()) {
        envelope["ResultParameters"] = {{"ResultParameter", format_list(result.parameters)}};
    }
    if (!result.reference_items.empty()) {
        envelope["ReferenceData"] = {{"ReferenceItem", format_list(result.reference_items)}};
    }
    return Json{{"Result", envelope}}.dump();
}

void check_stk(std::string_view text) {
    const gw::Result<mpesa::StkCallback> parsed = mpesa::parse_stk_callback(text);
    if (!parsed) {
        check_rejection(parsed);
        return;
    }
    const mpesa::StkCallback& callback = *parsed;
    require(!callback.checkout_request_id.empty() && !callback.result_code.empty());
    require(fits(callback.merchant_request_id) && fits(callback.checkout_request_id));
    require(fits(callback.result_code) && fits(callback.result_desc) && fits(callback.phone));
    check_amount(callback.amount);
    check_receipt(callback.receipt);
    require(!callback.transaction_date ||
            callback.transaction_date->size() == mpesa::kTransactionDateDigits);
    require(!callback.succeeded() || (callback.amount && callback.receipt));
    const gw::Result<mpesa::StkCallback> again = mpesa::parse_stk_callback(format_stk(callback));
    require(again.has_value() && *again == callback);
}

void check_results(std::string_view text) {
    const gw::Result<mpesa::DarajaResult> generic = mpesa::parse_daraja_result(text);
    const gw::Result<mpesa::B2cPayoutResult> b2c = mpesa::parse_b2c_result(text);
    const gw::Result<mpesa::TransactionStatusResult> status =
        mpesa::parse_transaction_status_result(text);
    if (!generic) {
        check_rejection(generic);
        require(!b2c && b2c.error() == generic.error());
        require(!status && status.error() == generic.error());
        return;
    }
    const mpesa::DarajaResult& result = *generic;
    require(!result.result_code.empty());
    require(!result.conversation_id.empty() || !result.originator_conversation_id.empty());
    require(result.parameters.size() <= mpesa::kCallbackItemsMax);
    for (const mpesa::ResultParameter& parameter : result.parameters) {
        require(!parameter.key.empty() && fits(parameter.key) && fits(parameter.value));
    }
    const gw::Result<mpesa::DarajaResult> again = mpesa::parse_daraja_result(format_result(result));
    require(again.has_value() && *again == result);
    if (b2c) {
        require(b2c->result == result);
        check_amount(b2c->amount);
        check_receipt(b2c->receipt);
        require(!result.succeeded() || (b2c->amount && b2c->receipt));
        const gw::Result<mpesa::B2cPayoutResult> b2c_again =
            mpesa::parse_b2c_result(format_result(result));
        require(b2c_again.has_value() && *b2c_again == *b2c);
    } else {
        check_rejection(b2c);
    }
    if (status) {
        require(status->result == result);
        check_amount(status->amount);
        check_receipt(status->receipt);
        require(!result.succeeded() || (status->receipt && status->status));
    } else {
        check_rejection(status);
    }
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the libFuzzer entry point name is fixed.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    check_stk(text);
    check_results(text);
    return 0;
}
