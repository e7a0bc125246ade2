#include "jobs/statement_matching.hpp"

#include "core/time_text.hpp"
#include "db/prepared.hpp"

namespace gw::jobs {
namespace {

// Paid In lines of the window, each with:
// - the buy its receipt credited, or the trade of a late payment with that receipt (then
//   whether the late payment was refunded rather than credited, and whether a refund of it is
//   still open or paid: a refund that failed with no other open leaves the money unaccounted);
// - the buy its A/C No. names (trading::payment_account_reference: "GW" and the first 10 hex
//   digits of the trade id, found as a range of the primary key), whether STK Query confirmed
//   that buy (no receipt to match), and whether an earlier line already named it (one buy is
//   paid once; a second payment with its reference is money without credit).
// Every lookup is an index probe per line, so the cost stays O(n log n) whatever the planner's
// statistics say about freshly imported lines.
constexpr const char* kMoneyIn =
    "SELECT l.receipt, l.amount_cents, r.trade_id::text, r.amount_cents,"
    "       r.status = 'late_payment' AND r.reason = 'refund_due' AND NOT r.refund_live,"
    "       n.id::text, n.amount_cents, n.confirmed_by_query, n.paid_before "
    "FROM mpesa_statement_lines l "
    "LEFT JOIN LATERAL ("
    "  SELECT e.trade_id, t.amount_cents, e.status, e.reason,"
    "         EXISTS (SELECT 1 FROM payouts p WHERE p.trade_id = e.trade_id AND p.kind = 'refund'"
    "                   AND p.status <> 'failed') AS refund_live"
    "  FROM trade_events e JOIN trades t ON t.id = e.trade_id AND t.side = 'buy'"
    "  WHERE e.receipt = l.receipt AND e.status IN ('completed', 'late_payment')"
    "  ORDER BY e.id LIMIT 1"
    ") r ON true "
    "LEFT JOIN LATERAL ("
    "  SELECT t.id, t.amount_cents,"
    "         EXISTS (SELECT 1 FROM trade_events e WHERE e.trade_id = t.id AND e.status = 'completed'"
    "                   AND e.receipt LIKE 'stk:%') AS confirmed_by_query,"
    "         EXISTS (SELECT 1 FROM mpesa_statement_lines o WHERE o.direction = 'in'"
    "                   AND o.shortcode = l.shortcode AND o.account_no = l.account_no"
    "                   AND (o.completed_at, o.seq) < (l.completed_at, l.seq)) AS paid_before"
    "  FROM trades t"
    "  WHERE r.trade_id IS NULL AND l.account_no <> '' AND t.side = 'buy'"
    "    AND t.id BETWEEN (lower(substr(l.account_no, 3, 8)) || '-' || lower(substr(l.account_no, 11, 2))"
    "                      || '00-0000-0000-000000000000')::uuid"
    "                 AND (lower(substr(l.account_no, 3, 8)) || '-' || lower(substr(l.account_no, 11, 2))"
    "                      || 'ff-ffff-ffff-ffffffffffff')::uuid"
    "  ORDER BY t.id LIMIT 1"
    ") n ON true "
    "WHERE l.direction = 'in' AND l.shortcode = $3 AND l.completed_at >= $1::timestamptz"
    "  AND l.completed_at < $2::timestamptz "
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
    "  AND EXISTS (SELECT 1 FROM mpesa_statements s WHERE s.shortcode = $3"
    "      AND e.created_at >= s.period_from AND e.created_at < s.period_to + interval '1 second') "
    "ORDER BY e.created_at, e.trade_id";

// Payouts completed in the window, with their statement line (if any) and whether a B2C
// statement covers their completion.
constexpr const char* kPayouts =
    "SELECT p.id::text, p.trade_id::text, p.mpesa_transaction_id, p.amount_cents, l.amount_cents,"
    "       EXISTS (SELECT 1 FROM mpesa_statements s WHERE s.shortcode = $3"
    "         AND p.updated_at >= s.period_from"
    "         AND p.updated_at < s.period_to + interval '1 second') "
    "FROM payouts p LEFT JOIN mpesa_statement_lines l"
    "  ON l.receipt = p.mpesa_transaction_id AND l.direction = 'out' AND l.shortcode = $3 "
    "WHERE p.status = 'completed' AND p.updated_at >= $1::timestamptz"
    "  AND p.updated_at < $2::timestamptz "
    "ORDER BY p.updated_at, p.id";

// Withdrawn lines of the window, with the payout their receipt paid (if any, its amount and
// whether it completed inside the window, where kPayouts compares amounts), else a B2C payout
// still waiting for its result that this line may be (same amount, created the day before the
// line at most).
constexpr const char* kMoneyOut =
    "SELECT l.receipt, l.amount_cents, p.id::text, p.trade_id::text, p.status, p.amount_cents,"
    "       p.updated_at >= $1::timestamptz AND p.updated_at < $2::timestamptz,"
    "       w.id::text, w.trade_id::text "
    "FROM mpesa_statement_lines l LEFT JOIN payouts p ON p.mpesa_transaction_id = l.receipt "
    "LEFT JOIN LATERAL ("
    "  SELECT o.id, o.trade_id FROM payouts o"
    "  WHERE p.id IS NULL AND o.mode = 'b2c' AND o.status IN ('pending', 'sent')"
    "    AND o.amount_cents = l.amount_cents AND o.created_at <= l.completed_at + interval '1 minute'"
    "    AND o.created_at >= l.completed_at - interval '1 day'"
    "  ORDER BY o.created_at LIMIT 1"
    ") w ON true "
    "WHERE l.direction = 'out' AND l.shortcode = $3 AND l.completed_at >= $1::timestamptz"
    "  AND l.completed_at < $2::timestamptz "
    "ORDER BY l.receipt";

constexpr const char* kCovered =
    "SELECT EXISTS (SELECT 1 FROM mpesa_statements WHERE shortcode = $3"
    "  AND period_from < $2::timestamptz AND period_to >= $1::timestamptz)";

std::string text(const pqxx::field& field) { return field.is_null() ? std::string() : field.as<std::string>(); }

Cents cents(const pqxx::field& field) { return Cents{field.as<std::int64_t>()}; }

pqxx::result run(pqxx::transaction_base& tx, const char* sql, const MatchWindow& window,
                 const std::string& shortcode) {
    return db::exec_prepared(tx, sql, format_rfc3339(window.from), format_rfc3339(window.to), shortcode);
}

// A Paid In line: matched, money_without_credit, or amount_mismatch (see kMoneyIn's columns).
void match_money_in(pqxx::transaction_base& tx, const MatchWindow& window, MatchReport& report) {
    for (const auto& row : run(tx, kMoneyIn, window, window.paybill_shortcode)) {
        ++report.lines_in;
        Finding finding;
        finding.receipt = text(row[0]);
        finding.actual = cents(row[1]);
        const bool by_receipt = !row[2].is_null();
        const bool refund_lost = by_receipt && row[4].as<bool>();
        const bool by_reference = !by_receipt && !row[5].is_null() && row[7].as<bool>() && !row[8].as<bool>();
        if (refund_lost || (!by_receipt && !by_reference)) {
            finding.finding_class = FindingClass::money_without_credit;
            finding.trade_id = by_receipt ? text(row[2]) : text(row[5]);
            finding.detail = refund_lost           ? "a late payment was to be refunded and no refund is open or paid"
                             : row[5].is_null()    ? "a customer paid and no buy was credited with this receipt"
                             : row[8].as<bool>()   ? "a second payment for a buy that was paid once already"
                                                   : "a customer paid for this buy and it was not credited";
            report.findings.push_back(std::move(finding));
            continue;
        }
        finding.trade_id = by_receipt ? text(row[2]) : text(row[5]);
        finding.expected = by_receipt ? cents(row[3]) : cents(row[6]);
        if (*finding.expected != *finding.actual) {
            finding.finding_class = FindingClass::amount_mismatch;
            finding.detail = "the statement's amount differs from the buy's";
            report.findings.push_back(std::move(finding));
            continue;
        }
        ++report.matched;  // credited, or a late payment credited or being refunded
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

// A Withdrawn line: matched, amount_mismatch (payout completed outside the window),
// payout_awaiting_result, or payout_not_recorded.
void match_money_out(pqxx::transaction_base& tx, const MatchWindow& window, MatchReport& report) {
    for (const auto& row : run(tx, kMoneyOut, window, window.b2c_shortcode)) {
        ++report.lines_out;
        const bool paid = !row[2].is_null() && text(row[4]) == "completed";
        if (paid && cents(row[5]) == cents(row[1])) {
            ++report.matched;
            continue;
        }
        Finding finding;
        finding.receipt = text(row[0]);
        finding.actual = cents(row[1]);
        finding.trade_id = !row[2].is_null() ? text(row[3]) : text(row[8]);
        finding.payout_id = !row[2].is_null() ? text(row[2]) : text(row[7]);
        if (paid) {
            if (row[6].as<bool>()) {
                continue;  // completed in the window: kPayouts reports the mismatch
            }
            finding.finding_class = FindingClass::amount_mismatch;
            finding.expected = cents(row[5]);
            finding.detail = "the statement's amount differs from the payout's";
        } else if (row[2].is_null() && !row[7].is_null()) {
            finding.finding_class = FindingClass::payout_awaiting_result;
            finding.detail = "money left, likely for this B2C payout still waiting for its result";
        } else {
            finding.finding_class = FindingClass::payout_not_recorded;
            finding.detail = row[2].is_null() ? "money left the account and no payout records it"
                                              : "money left the account for a payout recorded as " + text(row[4]);
        }
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
    for (const auto& [shortcode, is_covered] : {std::pair{window.paybill_shortcode, report.paybill_covered},
                                                std::pair{window.b2c_shortcode, report.b2c_covered}}) {
        if (!is_covered) {
            Finding finding;
            finding.finding_class = FindingClass::statement_missing;
            finding.detail = "no imported statement of account " + shortcode +
                             " covers this day: its money is unchecked";
            report.findings.push_back(std::move(finding));
        }
    }
    match_money_in(tx, window, report);
    match_credits(tx, window, report);
    match_payouts(tx, window, report);
    match_money_out(tx, window, report);
    return report;
}

}  // namespace gw::jobs
