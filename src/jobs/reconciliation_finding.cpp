#include "jobs/reconciliation_finding.hpp"

#include <array>
#include <utility>

namespace gw::jobs {
namespace {

constexpr std::array<std::pair<FindingClass, std::string_view>, 10> kClassNames{{
    {FindingClass::money_without_credit, "money_without_credit"},
    {FindingClass::credit_without_money, "credit_without_money"},
    {FindingClass::amount_mismatch, "amount_mismatch"},
    {FindingClass::payout_not_on_statement, "payout_not_on_statement"},
    {FindingClass::payout_not_recorded, "payout_not_recorded"},
    {FindingClass::ledger_invariant, "ledger_invariant"},
    {FindingClass::stale_buy, "stale_buy"},
    {FindingClass::stale_payout, "stale_payout"},
    {FindingClass::payout_awaiting_result, "payout_awaiting_result"},
    {FindingClass::statement_missing, "statement_missing"},
}};

}  // namespace

std::string_view to_string(FindingClass finding_class) {
    for (const auto& [known, name] : kClassNames) {
        if (known == finding_class) {
            return name;
        }
    }
    return "unknown";
}

std::string_view to_string(Severity severity) {
    return severity == Severity::critical ? "critical" : "warning";
}

std::optional<FindingClass> parse_finding_class(std::string_view text) {
    for (const auto& [known, name] : kClassNames) {
        if (name == text) {
            return known;
        }
    }
    return std::nullopt;
}

Severity severity_of(FindingClass finding_class) {
    switch (finding_class) {
        case FindingClass::money_without_credit:
        case FindingClass::credit_without_money:
        case FindingClass::amount_mismatch:
        case FindingClass::payout_not_on_statement:
        case FindingClass::payout_not_recorded:
        case FindingClass::ledger_invariant:
            return Severity::critical;
        case FindingClass::stale_buy:
        case FindingClass::stale_payout:
        case FindingClass::payout_awaiting_result:
        case FindingClass::statement_missing:
            return Severity::warning;
    }
    return Severity::critical;
}

}  // namespace gw::jobs
