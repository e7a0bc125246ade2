#pragma once

// The JSON layer under callback_parser.cpp, kept apart so each file has one job: a strict
// document parser that keeps every JSON number exact, and typed readers for members and
// Name/Value lists. Internal to gw_mpesa: other modules use mpesa/callback_parser.hpp, whose
// header comment states the rules enforced here. Every function returns malformed_callback
// with a detail that names the field, never a value from the body.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/money.hpp"

namespace gw::mpesa::callback_json {

using Json = nlohmann::json;

// Which JSON types a field may hold.
enum class Accept {
    string,             // ids, descriptions, receipts
    integer_or_string,  // result codes and types, dates, phone numbers
    number_or_string,   // amounts and list Values
};

// How a list Value was written in the body.
enum class ValueType { string, integer, decimal };

// A list entry: its Name (or Key) and its Value as text. A string Value is kept as sent, an
// integer as decimal text, a number with a fraction as its exact source text ("250.00").
struct NamedText {
    std::string name;
    std::optional<std::string> value;    // absent when the entry has no Value (or null)
    ValueType type = ValueType::string;  // meaningful only when value is set
};

// Builds malformed_callback with `detail`.
Error malformed(std::string detail);

// Parses `body` into a document whose top level is an object. A JSON number with a fraction is
// stored as a binary node holding its source text, so no digit is ever lost; binary nodes
// cannot come from JSON text, so the tag is unambiguous.
// Errors: malformed_callback when the body is too large, not JSON (syntax, invalid UTF-8,
// trailing data), not an object, nested too deeply, uses an exponent or repeats a member.
[[nodiscard]] Result<Json> parse_document(std::string_view body);

// Returns the object at member `key` of `parent`.
// Errors: malformed_callback when it is absent, null or not an object.
// REQUIRES: parent.is_object().
[[nodiscard]] Result<const Json*> required_object(const Json& parent, std::string_view key);

// Returns the object at member `key` of `parent`, or nullptr when absent or null.
// Errors: malformed_callback when present but not an object.
// REQUIRES: parent.is_object().
[[nodiscard]] Result<const Json*> optional_object(const Json& parent, std::string_view key);

// Returns `value` as text when its type is in `accept` (see NamedText for the forms).
// Errors: malformed_callback (detail starts with `field`) for another type, text longer than
// kCallbackTextBytesMax, or a control character.
[[nodiscard]] Result<std::string> scalar_text(const Json& value,
                                              Accept accept,
                                              std::string_view field);

// Returns member `key` of `object` as text, or nullopt when absent or null.
// Errors: those of scalar_text. REQUIRES: object.is_object().
[[nodiscard]] Result<std::optional<std::string>> optional_text(const Json& object,
                                                               std::string_view key,
                                                               Accept accept);

// Returns member `key` of `object` as non-empty text.
// Errors: malformed_callback when absent, null or empty, plus those of scalar_text.
// REQUIRES: object.is_object().
[[nodiscard]] Result<std::string> required_text(const Json& object,
                                                std::string_view key,
                                                Accept accept);

// Reads the list at member `list_key` of `parent` (an object or an array of objects), each
// entry named by its `name_key` member. Returns an empty list when the member is absent or
// null. Entries keep their order; an entry repeating an earlier name with the same value text
// is dropped. Errors: malformed_callback for a list that is neither object nor array, more than
// kCallbackItemsMax entries, an entry that is not an object or lacks its name, a Value of the
// wrong type, or a repeated name with a different value. REQUIRES: parent.is_object().
[[nodiscard]] Result<std::vector<NamedText>> named_list(const Json& parent,
                                                        std::string_view list_key,
                                                        std::string_view name_key);

// Returns the entry of `list` named `name`, or nullptr.
const NamedText* find_named(const std::vector<NamedText>& list, std::string_view name);

// Returns the Value of the entry of `list` named `name`, or nullopt when there is no such
// entry or it has no Value.
// Errors: malformed_callback (detail starts with `name`) when the Value's type is not in
// `accept`.
[[nodiscard]] Result<std::optional<std::string>> named_value(const std::vector<NamedText>& list,
                                                             std::string_view name,
                                                             Accept accept);

// Parses `text` (the value of `field`) as an amount in [KES 0.01, kCallbackAmountMax].
// Errors: malformed_callback with parse_kes's reason after `field`.
[[nodiscard]] Result<Cents> amount_from_text(std::string_view text, std::string_view field);

}  // namespace gw::mpesa::callback_json
