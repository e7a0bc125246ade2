#pragma once

// The small vocabulary every Daraja endpoint of the simulator shares: the synchronous error
// envelope (DARAJA.md §1), lenient field readers (numbers and numeric strings are both accepted,
// §3) and JSON text with exact decimal amounts. Written independently of src/mpesa on purpose
// (STYLE §2). Pure functions, safe from any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

namespace gw::sim {

// Documents the simulator writes keep Daraja's key order.
using WireJson = nlohmann::ordered_json;

// One synchronous Daraja error. The HTTP status is always the first group of `error_code`.
struct DarajaError {
    int http_status = 500;
    std::string error_code;
    std::string error_message;

    friend bool operator==(const DarajaError&, const DarajaError&) = default;
};

// Returns the error for `error_code` ("500.001.1001") with the HTTP status taken from its first
// group (500). A code whose first group is not a number gets 500.
DarajaError daraja_error(std::string_view error_code, std::string_view error_message);

// Returns 400.002.02 "Bad Request - Invalid <field>", the answer to every failed field check.
DarajaError invalid_field(std::string_view field);

// Returns {"requestId":…,"errorCode":…,"errorMessage":…} in Daraja's key order.
std::string error_envelope(const DarajaError& error, std::string_view request_id);

// A parsed request or the Daraja error that refused it (STYLE 8a: expected outcomes are values).
template <typename T>
class [[nodiscard]] Checked {
public:
    // Implicit by design, like gw::Result: `return request;` and `return error;` read well.
    // NOLINTNEXTLINE(google-explicit-constructor)
    Checked(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    // NOLINTNEXTLINE(google-explicit-constructor)
    Checked(DarajaError error) : state_(std::in_place_index<1>, std::move(error)) {}

    bool has_value() const { return state_.index() == 0; }
    const T& value() const { return std::get<0>(state_); }
    T& value() { return std::get<0>(state_); }
    const DarajaError& error() const { return std::get<1>(state_); }

private:
    std::variant<T, DarajaError> state_;
};

// The longest text any field reader accepts; longer values are treated as invalid, which bounds
// the work done on hostile input (STYLE 11).
inline constexpr std::size_t kFieldBytesMax = 2048;

// Returns the field as text when it is a JSON string (at most kFieldBytesMax bytes) or a
// non-negative JSON integer (Daraja accepts numbers for numeric fields and clients send
// AccountReference as a number too). Returns nullopt when absent, null, a float, negative,
// boolean, object, array or too long.
std::optional<std::string> text_field(const nlohmann::json& body, std::string_view key);

// Returns the field as text when text_field reads it and it is 1..`digits_max` ASCII digits.
std::optional<std::string> digits_field(const nlohmann::json& body,
                                        std::string_view key,
                                        std::size_t digits_max);

// Returns a whole number of shillings from a JSON integer or a string of digits ("100").
// Returns nullopt for floats (100.5, and 100.0 too), "100.00", signs, exponents, empty text,
// more than 12 digits, or values below `min_kes`. Daraja refuses "100.00" (DARAJA.md §10).
std::optional<std::int64_t> whole_shillings_field(const nlohmann::json& body,
                                                  std::string_view key,
                                                  std::int64_t min_kes);

// True when `text` is 1..`digits_max` ASCII digits.
bool all_digits(std::string_view text, std::size_t digits_max);

// True for an M-Pesa MSISDN: ^254[71]\d{8}$ (DARAJA.md §3).
bool is_mpesa_msisdn(std::string_view text);

// True for an absolute http:// or https:// URL with a host and no whitespace or control bytes.
bool is_callback_url(std::string_view text);

// A JSON value that serialises as a decimal number with exactly two places ("250.00",
// "-33.00"). nlohmann would print a double, which money must never be (STYLE 5), so the value
// travels as a marked string and dump_wire() writes it out as a bare number.
WireJson decimal_number(std::int64_t kes);

// Serialises `document` compactly, writing every decimal_number() value as a bare number.
std::string dump_wire(const WireJson& document);

// Returns "1500.00" for 1500 and "-33.00" for -33: whole shillings with two decimals, no
// thousands separators.
std::string kes_text(std::int64_t kes);

}  // namespace gw::sim
