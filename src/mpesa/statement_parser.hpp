#pragma once

// Reads the M-Pesa organisation portal's statement export (DARAJA.md §9): optional metadata
// rows ("Short Code:", "Time Period:", …), then the header, then one row per transaction.
// Columns are found by header name, so the portal's export ("Receipt No.", "Paid In", …) and
// the upper-case raw extract ("RECEIPT_NUMBER", "CREDIT_AMOUNT", …) both read, in any order.
// Only rows whose status is Completed are kept; charge rows are skipped (they pay Safaricom, not
// a customer); blank rows are ignored. Amounts are exact: "1,500.00" and "-1500.00" are KES
// 1,500.00 (the sign of a withdrawal is dropped; the column says which way the money went; a
// negative Paid In is refused). Pure; safe from any thread.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/money.hpp"

namespace gw::mpesa {

enum class MoneyDirection { in, out };  // Paid In / Withdrawn

struct StatementLine {
    std::string receipt;
    MoneyDirection direction = MoneyDirection::in;
    Cents amount{0};
    TimePoint completed_at;
    std::optional<TimePoint> initiated_at;
    std::string reason_type;
    std::string account_no;  // the paybill account reference (A/C No.), '' when absent
};

struct Statement {
    std::string shortcode;  // from "Short Code:", '' when the file has no such row
    // From "Time Period:" (as declared, even when a line lies outside it), else the first and
    // last completion time of its lines (nullopt when the file has neither).
    std::optional<TimePoint> period_from;
    std::optional<TimePoint> period_to;
    std::vector<StatementLine> lines;
    std::size_t skipped_rows = 0;  // not Completed, or charges
};

// Largest file accepted, and largest amount on one line (far above M-Pesa's own limits).
inline constexpr std::size_t kStatementBytesMax = std::size_t{64} << 20;
inline constexpr std::int64_t kStatementLineCentsMax = std::int64_t{1'000'000'000} * 100;

// Parses `csv`. Error validation_failed (detail names the row and what is wrong) when there is
// no header with a receipt, amount and completion time column, the Time Period row is not
// readable, or a kept row has a bad receipt
// (1–40 letters and digits), time ("dd-MM-yyyy HH:mm:ss" or "yyyy-MM-dd HH:mm:ss", Nairobi),
// or amount (exactly one of Paid In / Withdrawn, at most 2 decimals), or a receipt repeats.
[[nodiscard]] Result<Statement> parse_statement(std::string_view csv);

// Splits CSV text into rows of fields (RFC 4180: quoted fields, doubled quotes, CRLF or LF).
// Returns nullopt when a quoted field is never closed.
std::optional<std::vector<std::vector<std::string>>> split_csv(std::string_view csv);

// Returns a Nairobi "dd-MM-yyyy HH:mm:ss" or "yyyy-MM-dd HH:mm:ss" time, or nullopt.
std::optional<TimePoint> parse_statement_time(std::string_view text);

}  // namespace gw::mpesa
