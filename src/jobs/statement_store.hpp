#pragma once

// Imports an M-Pesa statement (mpesa/statement_parser.hpp) into mpesa_statements and
// mpesa_statement_lines (migrations/0009). Importing is idempotent: the same file again is
// recognised by its SHA-256 and adds nothing; an overlapping file (yesterday's and today's
// exports both list a late-night payment) adds only the lines not seen before. A line that
// contradicts one imported before (same receipt, other amount or direction) refuses the whole
// file: statements are evidence, and evidence that disagrees needs a human.

#include <cstddef>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "mpesa/statement_parser.hpp"

namespace gw::jobs {

struct StatementImport {
    std::string statement_id;
    std::string shortcode;
    TimePoint period_from;
    TimePoint period_to;
    std::size_t lines = 0;      // Completed rows in the file
    std::size_t new_lines = 0;  // of those, not seen in an earlier import
    std::size_t skipped_rows = 0;
    bool already_imported = false;  // this exact file was imported before; nothing was added
};

// Our two M-Pesa accounts: a statement must be of one of them.
struct StatementAccounts {
    std::string paybill_shortcode;
    std::string b2c_shortcode;
};

// Parses and stores `csv`, the statement of account `shortcode` (the file's own "Short Code:"
// row when `shortcode` is empty). `imported_by` is the admin (nullopt from the command line).
// Only an A/C No. that is one of our payment references (trading::payment_account_reference)
// is kept: customers type phone and ID numbers there.
// Errors: validation_failed when the file cannot be read (parse_statement), names no account
// or one that is not in `accounts` (or another than `shortcode`), covers no period, or
// contradicts an earlier import (nothing stored). Imports are serialized (advisory lock).
// REQUIRES: called inside a database transaction.
[[nodiscard]] Result<StatementImport> import_statement(pqxx::work& tx,
                                                       const StatementAccounts& accounts,
                                                       std::string_view shortcode,
                                                       std::string_view file_name,
                                                       std::string_view csv,
                                                       const std::optional<std::string>& imported_by,
                                                       TimePoint now);

}  // namespace gw::jobs
