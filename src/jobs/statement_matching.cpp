#include "jobs/statement_matching.hpp"

#include "core/time_text.hpp"

namespace gw::jobs {
namespace {

// Paid In lines of the window, each with the buy its receipt (or, for a buy confirmed by STK
// Query, its AccountReference) credited, and the buy its A/C No. names. 'GW' || upper(…) is
// trading::payment_account_reference in SQL.
constexpr const char* kMoneyIn =
    "WITH lines AS ("
    "  SELECT receipt, amount_cents, account_no FROM mpesa_statement_lines"
    "  WHERE direction = 'in' AND shortcode IN ($3, '') AND completed_at >= $1::timestamptz"
    "    AND completed_at < $2::timestamptz"
    "), by_receipt AS ("
    "  SELECT DISTINCT ON (e.receipt) e.receipt, e.trade_id, t.amount_cents, e.status"
    "  FROM trade_events e JOIN trades t ON t.id = e.trade_id AND t.side = 'buy'"
    "  WHERE e.receipt IN (SELECT receipt FROM lines) AND e.status IN ('completed', 'late_payment')"
    "  ORDER BY e.receipt, e.id"
    "), by_query AS ("
    "  SELECT DISTINCT ON (e.trade_id) 'GW' || upper(substr(replace(e.trade_id::text, '-', ''), 1, 10)) AS reference,"
    "         e.trade_id, t.amount_cents"
    "  FROM trade_events e JOIN trades t ON t.id = e.trade_id AND t.side = 'buy'"
    "  WHERE e.status = 'completed' AND e.receipt LIKE 'stk:%'"
    "), named AS ("
    "  SELECT 'GW' || upper(substr(replace(id::text, '-', ''), 1, 10)) AS reference, id FROM trades WHERE side = 'buy'"
    ")"
    "SELECT l.receipt, l.amount_cents, coalesce(r.trade_id, q.trade_id)::text,"
    "       coalesce(r.amount_cents, q.amount_cents), coalesce(r.status, 'completed'),"
    "       n.id::text "
    "FROM lines l"
    "  LEFT JOIN by_receipt r ON r.receipt = l.receipt"
    "  LEFT JOIN by_query q ON r.trade_id IS NULL AND q.reference = l.account_no"
    "  LEFT JOIN named n ON n.reference = l.account_no "
    "ORDER BY l.receipt";

// Buys completed in the window whose money is on no statement, where a paybill statement
// covers their completion.
constexpr const char* kCreditsWithoutMoney =
    "SELECT e.trade_id::text, e.receipt, t.amount_cents "
    "FROM trade_events e JOIN trades t ON t.id = e.trade_id AND t.side = 'buy' "
    "WHERE e.status = 'completed' AND e.created_at >= $1::timestamptz"
    "  AND e.created_at < $2::timestamptz"
    "  AND NOT EXISTS (SELECT 1 FROM mpesa_statement_lines l"
    "                  WHERE l.receipt = e.receipt AND l.direction = 'in')"
    "  AND NOT (e.receipt LIKE 'stk:%' AND EXISTS ("
    "      SELECT 1 FROM mpesa_statement_lines l WHERE l.direction = 'in'"
    "        AND l.account_no = 'GW' || upper(substr(replace(e.trade_id::text, '-', ''), 1, 10))))"
    "  AND EXISTS (SELECT 1 FROM mpesa_statements s WHERE s.shortcode IN ($3, '')"
    "      AND e.created_at >= s.period_from AND e.created_at < s.period_to + interval '1 second') "
    "ORDER BY e.created_at, e.trade_id";

// Payouts completed in the window, with their statement line (if any) and whether a B2C
// statement covers their completion.
constexpr const char* kPayouts =
    "SELECT p.id::text, p.trade_id::text, p.mpesa_transaction_id, p.amount_cents, l.amount_cents,"
    "       EXISTS (SELECT 1 FROM mpesa_statements s WHERE s.shortcode IN ($3, '')"
    "         AND p.updated_at >= s.period_from"
    "         AND p.updated_at < s.period_to + interval '1 second') "
    "FROM payouts p LEFT JOIN mpesa_statement_lines l"
    "  ON l.receipt = p.mpesa_transaction_id AND l.direction = 'out' AND l.shortcode IN ($3, '') "
    "WHERE p.status = 'completed' AND p.updated_at >= $1::timestamptz"
    "  AND p.updated_at < $2::timestamptz "
    "ORDER BY p.updated_at, p.id";

// Withdrawn lines of the window, with the payout their receipt paid (if any).
constexpr const char* kMoneyOut =
    "SELECT l.receipt, l.amount_cents, p.id::text, p.trade_id::text, p.status "
    "FROM mpesa_statement_lines l LEFT JOIN payouts p ON p.mpesa_transaction_id = l.receipt "
    "WHERE l.direction = 'out' AND l.shortcode IN ($3, '') AND l.completed_at >= $1::timestamptz"
    "  AND l.completed_at < $2::timestamptz "
    "ORDER BY l.receipt";

constexpr const char* kCovered =
    "SELECT EXISTS (SELECT 1 FROM mpesa_statements WHERE shortcode IN ($3, '')"
    "  AND period_from < $2::timestamptz AND period_to >= $1::timestamptz)";

std::string text(const pqxx::field& field) { return field.is_null() ? std::string() : field.as<std::string>(); }

Cents cents(const pqxx::field& field) { return Cents{field.as<std::int64_t>()}; }

pqxx::result run(pqxx::transaction_base& tx, const char* sql, const MatchWindow& window,
                 const std::string& shortcode) {
    return tx.exec_params(sql, format_rfc3339(window.from), format_rfc3339(window.to), shortcode);
}

void match_money_in(pqxx::transaction_base& tx, const MatchWindow& window, MatchReport& report) {
    for (const auto& row : run(tx, kMoneyIn, window, window.paybill_shortcode)) {
        ++report.lines_in;
        Finding finding;
        finding.receipt = text(row[0]);
        finding.actual = cents(row[1]);
        if (row[2].is_null()) {
            finding.finding_class = FindingClass::money_without_credit;
            finding.trade_id = text(row[5]);
            finding.detail = row[5].is_null()
                                 ? "a customer paid and no buy was credited with this receipt"
                                 : "a customer paid for this buy and it was not credited";
            report.findings.push_back(std::move(finding));
            continue;
        }
        finding.trade_id = text(row[2]);
        finding.expected = cents(row[3]);
        if (*finding.expected != *finding.actual) {
            finding.finding_class = FindingClass::amount_mismatch;
            finding.detail = "the statement's amount differs from the buy's";
            report.findings.push_back(std::move(finding));
            continue;
        }
        ++report.matched;  // credited, or a late payment credited or refunded
    }
}

void match_credits(pqxx::transaction_base& tx, const MatchWindow& window, MatchReport& report) {
    for (const auto& row : run(tx, kCreditsWithoutMoney, window, window.paybill_shortcode)) {
        const std::string receipt = text(row[1]);
        const bool by_query = receipt.starts_with("stk:");
        Finding finding;
        finding.finding_class = FindingClass::credit_without_money;
        finding.receipt = by_query ? std::string() : receipt;
        finding.trade_id = text(row[0]);
        finding.expected = cents(row[2]);
        finding.detail = by_query
                             ? "credited on STK Query's word; no statement line carries its reference"
                             : "credited, but its receipt is on no imported statement";
        report.findings.push_back(std::move(finding));
    }
}

void match_payouts(pqxx::transaction_base& tx, const MatchWindow& window, MatchReport& report) {
    for (const auto& row : run(tx, kPayouts, window, window.b2c_shortcode)) {
        Finding finding;
        finding.receipt = text(row[2]);
        finding.trade_id = text(row[1]);
        finding.payout_id = text(row[0]);
        finding.expected = cents(row[3]);
        if (row[4].is_null()) {
            if (!row[5].as<bool>()) {
                continue;  // no statement covers it yet
            }
            finding.finding_class = FindingClass::payout_not_on_statement;
            finding.detail = "recorded as paid, but its transaction id is on no imported statement";
        } else if (cents(row[4]) != *finding.expected) {
            finding.finding_class = FindingClass::amount_mismatch;
            finding.actual = cents(row[4]);
            finding.detail = "the statement's amount differs from the payout's";
        } else {
            continue;
        }
        report.findings.push_back(std::move(finding));
    }
}

void match_money_out(pqxx::transaction_base& tx, const MatchWindow& window, MatchReport& report) {
    for (const auto& row : run(tx, kMoneyOut, window, window.b2c_shortcode)) {
        ++report.lines_out;
        if (!row[2].is_null() && text(row[4]) == "completed") {
            ++report.matched;
            continue;
        }
        Finding finding;
        finding.finding_class = FindingClass::payout_not_recorded;
        finding.receipt = text(row[0]);
        finding.trade_id = text(row[3]);
        finding.payout_id = text(row[2]);
        finding.actual = cents(row[1]);
        finding.detail = row[2].is_null()
                             ? "money left the account and no payout records it"
                             : "money left the account for a payout recorded as " + text(row[4]);
        report.findings.push_back(std::move(finding));
    }
}

bool covered(pqxx::transaction_base& tx, const MatchWindow& window, const std::string& shortcode) {
    return run(tx, kCovered, window, shortcode)[0][0].as<bool>();
}

}  // namespace

MatchReport match_statements(pqxx::transaction_base& tx, const MatchWindow& window) {
    MatchReport report;
    report.paybill_covered = covered(tx, window, window.paybill_shortcode);
    report.b2c_covered = covered(tx, window, window.b2c_shortcode);
    match_money_in(tx, window, report);
    match_credits(tx, window, report);
    match_payouts(tx, window, report);
    match_money_out(tx, window, report);
    return report;
}

}  // namespace gw::jobs
