#pragma once

// What a reconciliation run can find (ISSUE 8), as plain values: the class of a mismatch, how
// bad it is, and what it is about. Critical findings mean money or gold may be wrong now: a
// customer paid and holds nothing, gold was credited without money, amounts differ, money left
// the business without a record, or a ledger invariant is broken.

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/money.hpp"

namespace gw::jobs {

enum class FindingClass {
    money_without_credit,     // on the paybill statement, but no buy credited it
    credit_without_money,     // a buy was credited, but its money is not on the statement
    amount_mismatch,          // the receipt matches, the amount does not
    payout_not_on_statement,  // a payout is recorded as paid, but is not on the statement
    payout_not_recorded,      // money left on the statement with no paid payout for it
    ledger_invariant,         // a ledger or gold invariant does not hold
    stale_buy,                // a buy still open past its payment deadline
    stale_payout,             // a B2C payout unresolved past its timeout, or a manual one queued a day
    payout_awaiting_result,   // money left, likely for a B2C payout whose result has not come
    statement_missing,        // no imported statement of one of our accounts covers the day
};

// Every class, in report order.
inline constexpr std::array<FindingClass, 10> kFindingClasses{
    FindingClass::money_without_credit, FindingClass::credit_without_money,
    FindingClass::amount_mismatch,      FindingClass::payout_not_on_statement,
    FindingClass::payout_not_recorded,  FindingClass::ledger_invariant,
    FindingClass::stale_buy,            FindingClass::stale_payout,
    FindingClass::payout_awaiting_result, FindingClass::statement_missing};

enum class Severity { critical, warning };

std::string_view to_string(FindingClass finding_class);
std::string_view to_string(Severity severity);
std::optional<FindingClass> parse_finding_class(std::string_view text);

// The severity of every finding of a class.
Severity severity_of(FindingClass finding_class);

struct Finding {
    FindingClass finding_class = FindingClass::money_without_credit;
    std::string receipt;    // '' when not about an M-Pesa transaction
    std::string trade_id;   // '' when none
    std::string payout_id;  // '' when none
    std::optional<Cents> expected;  // what our records say
    std::optional<Cents> actual;    // what the statement says
    std::string detail;
};

}  // namespace gw::jobs
