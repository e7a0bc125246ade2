#pragma once

// The one error vocabulary of Gold Wallet. ErrorCode is append-only: a code is never renamed or
// reused, because its name is the stable `code` member of every problem+json response and the
// key of docs/errors.md. Enumerators are snake_case so the C++ name *is* the wire string.

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace gw {

enum class ErrorCode {
    // Generic request and infrastructure outcomes.
    internal_error,
    not_found,
    method_not_allowed,
    payload_too_large,
    unsupported_media_type,
    malformed_json,
    validation_failed,
    service_unavailable,
    // Exact number parsing (core/money).
    invalid_number_format,
    negative_amount,
    zero_amount,
    too_many_decimals,
    amount_too_large,
    inexact_number,
    json_too_deep,
    // Schema migrations (db/migrate).
    migration_checksum_mismatch,
    migration_unknown_version,
    migration_failed,
    // Sizes of the request line and headers, enforced by the HTTP transport.
    request_too_large,
    // Start-up configuration (app/config).
    invalid_configuration,
    // M-Pesa moves whole shillings only.
    not_whole_shillings,
    // Identity: authentication, accounts, rate limits (identity, http/middleware).
    unauthorized,
    token_expired,
    forbidden,
    rate_limited,
    username_taken,
    email_taken,
    phone_taken,
    invalid_phone,
    invalid_email,
    weak_password,
    invalid_credentials,
    invalid_refresh_token,
    account_not_empty,
    kyc_already_verified,
    // Ledger and trading.
    pool_retired,
    pool_name_taken,
    price_not_set,
    ledger_rejected,
    // M-Pesa.
    malformed_callback,
    payment_in_progress,
    // Trading: a quote past its expiry can no longer fix the price of a trade.
    price_expired,
    // Trading: buys and sells.
    insufficient_gold,
    trade_limit_exceeded,
    kyc_required,
    idempotency_key_required,
    idempotency_key_reused,
    quote_used,
    insufficient_grams,
    payout_out_of_range,
    payout_not_manual,
    payout_phone_not_registered,
    // Reconciliation.
    item_already_resolved,
    reconciliation_running,
};

// The last enumerator; tests walk every code up to it. Move it when a code is appended.
inline constexpr ErrorCode kLastErrorCode = ErrorCode::reconciliation_running;

// Returns the wire name of `code`, e.g. "insufficient_gold". Never empty.
std::string_view to_string(ErrorCode code);

// An expected domain failure. `detail` is always safe to show to the client: anything internal
// goes to the log with the request id instead.
struct Error {
    ErrorCode code;
    std::string detail;
    // Facts a client can act on, as (name, value) pairs: RFC 9457 extension members at the
    // HTTP edge (e.g. insufficient_gold's available_grams). Safe to show the client.
    std::vector<std::pair<std::string, std::string>> extensions = {};

    friend bool operator==(const Error&, const Error&) = default;
};

// Holds a T or an Error. The member names follow std::expected (C++23) so this type can be
// swapped for it once the toolchain allows; GCC 12 offers <expected> only under -std=c++23.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
    Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    // REQUIRES: has_value().
    T& value() & { return checked_value(); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::move(checked_value()); }
    T& operator*() & { return checked_value(); }
    const T& operator*() const& { return std::get<0>(state_); }
    T* operator->() { return &checked_value(); }
    const T* operator->() const { return &std::get<0>(state_); }

    // REQUIRES: !has_value().
    const Error& error() const { return std::get<1>(state_); }

    T value_or(T fallback) const { return has_value() ? std::get<0>(state_) : fallback; }

private:
    T& checked_value() { return std::get<0>(state_); }

    std::variant<T, Error> state_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit by design

    bool has_value() const { return !failed_; }
    explicit operator bool() const { return has_value(); }
    // REQUIRES: !has_value().
    const Error& error() const { return error_; }

private:
    Error error_{ErrorCode::internal_error, {}};
    bool failed_ = false;
};

// Shorthand for building an Error.
inline Error make_error(ErrorCode code, std::string detail) {
    return Error{code, std::move(detail)};
}

}  // namespace gw
