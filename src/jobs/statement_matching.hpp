#pragma once

// Matches the imported M-Pesa statements (jobs/statement_store.hpp) against our records for
// one window of time, by receipt and amount (ISSUE 8 item 2):
// - money in: each Paid In line of the paybill is a completed buy's receipt (or a late payment
//   we credited or refund), else money_without_credit; a buy confirmed by STK Query carries no
//   receipt and is found by its AccountReference (trading::payment_account_reference);
// - each buy completed in the window is on a statement, else credit_without_money, but only
//   when an imported paybill statement covers its completion (no statement, no verdict);
// - money out: each payout completed in the window is on a statement with its amount, else
//   payout_not_on_statement (when covered); each Withdrawn line is a completed payout, else
//   payout_not_recorded.
// Receipts are looked up across every statement ever imported, so a payment near midnight that
// one day's export lists and our records date the next day still matches.

#include <cstddef>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "jobs/reconciliation_finding.hpp"

namespace gw::jobs {

struct MatchWindow {
    TimePoint from;  // included
    TimePoint to;    // excluded
    std::string paybill_shortcode;  // where buys are paid (STK BusinessShortCode)
    std::string b2c_shortcode;      // where payouts are paid from
};

struct MatchReport {
    std::vector<Finding> findings;
    std::size_t lines_in = 0;  // statement lines in the window
    std::size_t lines_out = 0;
    std::size_t matched = 0;   // lines and records that agree
    bool paybill_covered = false;  // an imported paybill statement overlaps the window
    bool b2c_covered = false;
};

// REQUIRES: called inside a database transaction (REPEATABLE READ gives one snapshot).
MatchReport match_statements(pqxx::transaction_base& tx, const MatchWindow& window);

}  // namespace gw::jobs
