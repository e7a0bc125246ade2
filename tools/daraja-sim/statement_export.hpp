#pragma once

// The org portal's statement export (DARAJA.md §9): a CSV per account with about six metadata
// rows, the confirmed column header and one row per completed transaction, named
// "ORG_<shortcode>_Utility Account_Completed_<yyyyMMddHHmmss>.csv". Reconciliation tests read
// it exactly as they would read a real export. Pure functions, safe from any thread.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "daraja-sim/transaction.hpp"

namespace gw::sim {

inline constexpr std::string_view kStatementHeader =
    "Receipt No.,Completion Time,Initiation Time,Details,Transaction Status,Paid In,Withdrawn,"
    "Balance,Balance Confirmed,Reason Type,Other Party Info,Linked Transaction ID,A/C No.";

// Returns `field` as one CSV field: unchanged when plain, otherwise wrapped in double quotes
// with inner quotes doubled (when it holds a comma, a quote, CR, LF, or starts or ends with a
// space).
std::string csv_field(std::string_view field);

// One statement line for a completed transaction (REQUIRES: status == completed and
// finalised_at set). STK payments are Paid In with Reason Type "Pay Bill Online" and the
// AccountReference as A/C No.; B2C payouts are Withdrawn, written negative ("-1500.00")
// as portal exports show debits (the sign is unverified, DARAJA.md §9). Other Party Info is masked
// ("2547******149 - JANE DOE"); times are Nairobi dd-MM-yyyy HH:mm:ss; amounts have two
// decimals and no thousands separators.
std::string statement_row(const Transaction& transaction);

struct StatementQuery {
    std::string shortcode;
    std::chrono::sys_days from;            // first Nairobi day included
    std::chrono::sys_days to;              // last Nairobi day included (REQUIRES: from <= to)
    std::int64_t initial_balance_kes = 0;  // the account's balance before any transaction
    TimePoint exported_at;
};

struct StatementFile {
    std::string file_name;
    std::string csv;
};

// Builds the export of `query.shortcode` from `transactions` (any order, any kind): the
// completed ones of that shortcode finalised within [from 00:00:00, to 23:59:59] Nairobi, in
// completion order. Opening balance = the balance after the last earlier completed transaction
// of the account (or the initial balance); closing balance = after the last row (or opening).
StatementFile build_statement(const std::vector<Transaction>& transactions,
                              const StatementQuery& query);

}  // namespace gw::sim
