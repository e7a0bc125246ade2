#pragma once

// Parsers for the bodies Daraja POSTs to us (DARAJA.md §4, §6, §7, §10): the STK callback, and
// the "Result" envelope of B2C payouts, queue timeouts, Transaction Status and Account Balance.
// Daraja does not sign these bodies, so they are untrusted input. Every parser here is strict
// and total: it returns a value or ErrorCode::malformed_callback, and never throws, crashes or
// asserts on input. Pure functions, no I/O, no state: safe from any thread.
//
// Money never passes through binary floating point. A JSON number with a fraction ("250.00")
// is kept as its exact source text and turned into Cents by gw::parse_kes; integers are read
// as int64/uint64 and kept as decimal text.
//
// Rules shared by every parser (breaking any one gives malformed_callback):
//   - The body is at most kCallbackBodyBytesMax bytes of JSON (RFC 8259; a leading UTF-8 BOM
//     is ignored as §8.1 allows), its top level is an object, nesting is at most
//     kCallbackJsonDepthMax, no number uses an exponent ("1e3"), no object repeats a member.
//   - A member whose value is null counts as absent. Unknown members are ignored, because
//     Daraja adds fields.
//   - Every text read is at most kCallbackTextBytesMax bytes and holds no control characters
//     (PostgreSQL text cannot hold NUL, and logs must not be forged with newlines).
//   - Result codes and result types are integers or strings ("0", "1032", "SFC_IC0003"), kept
//     as text; an integer becomes its decimal text, so 0 and "0" are the same code.
//   - A list (CallbackMetadata.Item, ResultParameters.ResultParameter,
//     ReferenceData.ReferenceItem) is an object or an array of at most kCallbackItemsMax
//     objects. Each entry has a non-empty string Name (Item) or Key (the others) and an
//     optional Value that is a string or a number; a Value that is a boolean, object or array
//     is malformed. A name repeated with the same value text is kept once; with a different
//     value it is malformed. Entries are looked up by name, never by position.
//   - An amount is a number or a string holding a plain decimal ("250", 250.00, "250.5") with
//     at most 2 decimals, in [KES 0.01, kCallbackAmountMax]. Zero, negative, fractional-cent
//     and larger amounts are malformed.
//   - A receipt (MpesaReceiptNumber, TransactionReceipt, ReceiptNo) is exactly
//     kReceiptChars upper-case ASCII letters or digits.
// Error::detail names the field and the problem in one short sentence. It never echoes a value
// from the body (phone numbers are personal data, STYLE 15), so it is safe to log.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/money.hpp"

namespace gw::mpesa {

// Largest body accepted; a real callback is under 2 KiB.
inline constexpr std::size_t kCallbackBodyBytesMax = std::size_t{64} * 1024;
// Deepest nesting of objects and arrays accepted; the STK callback uses 6 levels.
inline constexpr std::size_t kCallbackJsonDepthMax = 8;
// Longest text accepted in any field we read (ids, codes, descriptions, names, values).
inline constexpr std::size_t kCallbackTextBytesMax = 200;
// Most entries accepted in one Item / ResultParameter / ReferenceItem list.
inline constexpr std::size_t kCallbackItemsMax = 64;
// Largest amount accepted: KES 1,000,000, four times M-Pesa's per-transaction limit.
inline constexpr Cents kCallbackAmountMax{100'000'000};
// An M-Pesa receipt is 10 upper-case alphanumerics ("TC14XK2Q9P").
inline constexpr std::size_t kReceiptChars = 10;
// TransactionDate is yyyyMMddHHmmss (Nairobi time).
inline constexpr std::size_t kTransactionDateDigits = 14;

// The ResultCode of success in every Daraja result.
inline constexpr std::string_view kResultCodeSuccess = "0";

// The STK Push result POSTed to our CallBackURL (DARAJA.md §4).
struct StkCallback {
    std::string merchant_request_id;  // empty when absent
    std::string checkout_request_id;  // never empty
    std::string result_code;          // never empty: an integer's decimal text, or the string
    std::string result_desc;          // empty when absent; wording drifts, branch on the code
    // From CallbackMetadata.Item, looked up by Name; set only when present with a Value.
    // When succeeded(), amount and receipt are always set.
    std::optional<Cents> amount;                  // Amount
    std::optional<std::string> receipt;           // MpesaReceiptNumber, kReceiptChars long
    std::optional<std::string> transaction_date;  // TransactionDate: 14 digits, as sent
    // PhoneNumber: a number or a string, as sent (digits today; Daraja may mask or hash it,
    // DARAJA.md §4). Use the MSISDN stored at initiation, and never log this one.
    std::optional<std::string> phone;

    // True when result_code is "0" (the customer paid).
    bool succeeded() const { return result_code == kResultCodeSuccess; }

    friend bool operator==(const StkCallback&, const StkCallback&) = default;
};

// One Key/Value entry of ResultParameters or ReferenceData.
struct ResultParameter {
    std::string key;                   // never empty
    std::optional<std::string> value;  // a string as sent, a number as its exact decimal text
                                       // ("1500", "98500.00", "-33.00"); absent without Value

    friend bool operator==(const ResultParameter&, const ResultParameter&) = default;
};

// The "Result" envelope shared by B2C results, queue timeouts, Transaction Status and Account
// Balance results (DARAJA.md §6, §7).
struct DarajaResult {
    std::string result_type;  // "0" final, "1" more to come; empty when absent
    std::string result_code;  // never empty
    std::string result_desc;  // empty when absent
    // At least one of the two conversation ids is non-empty; the other is empty when absent.
    std::string originator_conversation_id;
    std::string conversation_id;
    std::string transaction_id;                    // may be empty
    std::vector<ResultParameter> parameters;       // ResultParameters.ResultParameter, in order
    std::vector<ResultParameter> reference_items;  // ReferenceData.ReferenceItem, in order

    // True when result_code is "0".
    bool succeeded() const { return result_code == kResultCodeSuccess; }

    // Returns the Value of the parameter named `key`, or nullopt when there is no such
    // parameter or it has no Value.
    std::optional<std::string> parameter(std::string_view key) const;

    friend bool operator==(const DarajaResult&, const DarajaResult&) = default;
};

// A B2C payout result (DARAJA.md §6). When result.succeeded(), amount and receipt are set.
struct B2cPayoutResult {
    DarajaResult result;
    std::optional<Cents> amount;              // TransactionAmount
    std::optional<std::string> receipt;       // TransactionReceipt
    std::optional<std::string> completed_at;  // TransactionCompletedDateTime, as sent
                                              // ("01.03.2025 14:41:07", Nairobi time)

    friend bool operator==(const B2cPayoutResult&, const B2cPayoutResult&) = default;
};

// A Transaction Status result (DARAJA.md §7). When result.succeeded(), receipt and status are
// set. Other keys (DebitPartyName, DebitPartyCharges, …) are in result.parameters.
struct TransactionStatusResult {
    DarajaResult result;
    std::optional<std::string> receipt;       // ReceiptNo
    std::optional<std::string> status;        // TransactionStatus ("Completed", …)
    std::optional<Cents> amount;              // Amount
    std::optional<std::string> reason_type;   // ReasonType
    std::optional<std::string> initiated_at;  // InitiatedTime, as sent (yyyyMMddHHmmss)
    std::optional<std::string> finalised_at;  // FinalisedTime, as sent (yyyyMMddHHmmss)

    friend bool operator==(const TransactionStatusResult&,
                           const TransactionStatusResult&) = default;
};

// Returns whether `text` is an M-Pesa receipt: exactly kReceiptChars characters, each an ASCII
// upper-case letter or digit.
bool is_mpesa_receipt(std::string_view text);

// Parses an STK callback {"Body":{"stkCallback":{…}}}.
// Returns the callback when Body.stkCallback is an object with a non-empty CheckoutRequestID
// (string) and a ResultCode; MerchantRequestID and ResultDesc are optional strings.
// CallbackMetadata is optional (failures have none) but must be an object when present, and
// its items are checked whatever the code: Amount is an amount, MpesaReceiptNumber a string
// receipt, TransactionDate kTransactionDateDigits digits (number or string), PhoneNumber a
// number or a string. A success (code "0") must carry Amount and MpesaReceiptNumber.
// Errors: malformed_callback for any violation of these rules or the shared ones above.
[[nodiscard]] Result<StkCallback> parse_stk_callback(std::string_view body);

// Parses the generic envelope {"Result":{…}}; queue-timeout POSTs use it directly.
// Returns the result when Result is an object with a ResultCode and at least one non-empty
// ConversationID / OriginatorConversationID (strings). ResultType (integer or string),
// ResultDesc and TransactionID (strings) are optional. ResultParameters and ReferenceData are
// optional objects holding the ResultParameter / ReferenceItem lists.
// Errors: malformed_callback for any violation of these rules or the shared ones above.
[[nodiscard]] Result<DarajaResult> parse_daraja_result(std::string_view body);

// Parses a B2C payout result: parse_daraja_result, then TransactionAmount must be an amount,
// TransactionReceipt a receipt (both required on success), TransactionCompletedDateTime text.
// Errors: malformed_callback, as for parse_daraja_result or when those rules are broken.
[[nodiscard]] Result<B2cPayoutResult> parse_b2c_result(std::string_view body);

// Parses a Transaction Status result: parse_daraja_result, then ReceiptNo must be a receipt,
// Amount an amount, and ReceiptNo and TransactionStatus are required on success.
// Errors: malformed_callback, as for parse_daraja_result or when those rules are broken.
[[nodiscard]] Result<TransactionStatusResult> parse_transaction_status_result(
    std::string_view body);

}  // namespace gw::mpesa
