#include "daraja-sim/statement_export.hpp"

#include <algorithm>

#include "core/assert.hpp"
#include "daraja-sim/b2c.hpp"
#include "daraja-sim/customers.hpp"
#include "daraja-sim/nairobi_time.hpp"
#include "daraja-sim/wire.hpp"

namespace gw::sim {
namespace {

constexpr std::string_view kAccountName = "Utility Account";

std::string join_row(const std::vector<std::string>& fields) {
    std::string row;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) {
            row += ',';
        }
        row += csv_field(fields[i]);
    }
    return row + "\r\n";
}

bool completed_in_account(const Transaction& t, std::string_view shortcode) {
    return t.status == TransactionStatus::completed && t.shortcode == shortcode &&
           t.finalised_at.has_value();
}

}  // namespace

std::string csv_field(std::string_view field) {
    const bool needs_quotes = field.find_first_of(",\"\r\n") != std::string_view::npos ||
                              (!field.empty() && (field.front() == ' ' || field.back() == ' '));
    if (!needs_quotes) {
        return std::string(field);
    }
    std::string quoted = "\"";
    for (char c : field) {
        if (c == '"') {
            quoted += '"';
        }
        quoted += c;
    }
    return quoted + "\"";
}

std::string statement_row(const Transaction& t) {
    GW_ASSERT(t.status == TransactionStatus::completed, "statements list completed transactions");
    GW_ASSERT(t.finalised_at.has_value(), "a completed transaction has its time");
    const bool paid_in = t.kind == TransactionKind::stk;
    const std::string party = mask_phone(t.msisdn) + " - " + customer_name(t.msisdn);
    const std::string details =
        paid_in ? "Pay Bill Online from " + party + " Acc. " + t.account_reference
                : b2c_reason_type(t.transaction_type) + " to " + party;
    return join_row({
        t.receipt,
        nairobi_dashed(*t.finalised_at),
        nairobi_dashed(t.initiated_at),
        details,
        "Completed",
        paid_in ? kes_text(t.amount_kes) : "",
        paid_in ? "" : kes_text(-t.amount_kes),
        kes_text(t.balance_after_kes),
        "true",
        paid_in ? "Pay Bill Online" : b2c_reason_type(t.transaction_type),
        party,
        "",
        paid_in ? t.account_reference : "",
    });
}

StatementFile build_statement(const std::vector<Transaction>& transactions,
                              const StatementQuery& query) {
    GW_ASSERT(query.from <= query.to, "callers check the period");
    const TimePoint start = nairobi_day_start(query.from);
    const TimePoint end = nairobi_day_start(query.to + std::chrono::days(1));
    std::vector<const Transaction*> rows;
    const Transaction* before = nullptr;
    for (const Transaction& t : transactions) {
        if (!completed_in_account(t, query.shortcode)) {
            continue;
        }
        if (*t.finalised_at < start) {
            if (before == nullptr || *before->finalised_at <= *t.finalised_at) {
                before = &t;
            }
        } else if (*t.finalised_at < end) {
            rows.push_back(&t);
        }
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Transaction* a, const Transaction* b) {
        return *a->finalised_at < *b->finalised_at;
    });
    const std::int64_t opening = before ? before->balance_after_kes : query.initial_balance_kes;
    const std::int64_t closing = rows.empty() ? opening : rows.back()->balance_after_kes;
    const TimePoint last_second = end - std::chrono::seconds(1);
    std::string csv =
        join_row({"Account Holder:", query.shortcode + " - " + std::string(kOrgName)});
    csv += join_row({"Short Code:", query.shortcode});
    csv += join_row({"Account:", std::string(kAccountName)});
    csv += join_row(
        {"Time Period:", "From", nairobi_dashed(start), "To", nairobi_dashed(last_second)});
    csv += join_row({"Opening Balance:", kes_text(opening)});
    csv += join_row({"Closing Balance:", kes_text(closing)});
    csv += std::string(kStatementHeader) + "\r\n";
    for (const Transaction* t : rows) {
        csv += statement_row(*t);
    }
    return StatementFile{"ORG_" + query.shortcode + "_" + std::string(kAccountName) +
                             "_Completed_" + nairobi_compact(query.exported_at) + ".csv",
                         std::move(csv)};
}

}  // namespace gw::sim
