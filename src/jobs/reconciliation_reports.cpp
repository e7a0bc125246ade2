#include "jobs/reconciliation_reports.hpp"

#include "core/time_text.hpp"
#include "core/uuid_text.hpp"
#include "db/transaction.hpp"
#include "identity/audit_store.hpp"

namespace gw::jobs {
namespace {

std::string csv_field(std::string_view field) {
    // Quotes a field with a delimiter or quote in it, and neutralises spreadsheet formulas.
    std::string text(field);
    if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
        text.insert(0, "'");
    }
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
        return text;
    }
    std::string quoted = "\"";
    for (char c : text) {
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return quoted + "\"";
}

std::string kes_or_empty(const std::optional<Cents>& cents) { return cents ? format_kes(*cents) : ""; }

nlohmann::json item_audit_json(const ItemView& item) {
    return {{"run_id", item.run_id},
            {"class", std::string(to_string(item.finding.finding_class))},
            {"resolved", item.resolved_at.has_value()},
            {"resolution_note", item.resolution_note}};
}

}  // namespace

ReconciliationReports::ReconciliationReports(db::ConnectionPool& pool,
                                             const Clock& clock,
                                             StatementAccounts accounts)
    : pool_(pool), clock_(clock), accounts_(std::move(accounts)) {}

Result<StatementImport> ReconciliationReports::import_statement(const identity::Actor& actor,
                                                                std::string_view shortcode,
                                                                std::string_view file_name,
                                                                std::string_view csv) {
    return db::with_transaction(pool_, "reconciliation.import", [&](pqxx::work& tx) -> Result<StatementImport> {
        const TimePoint now = clock_.now();
        const std::optional<std::string> admin =
            actor.user_id.empty() ? std::nullopt : std::optional<std::string>(actor.user_id);
        auto imported = jobs::import_statement(tx, accounts_, shortcode, file_name, csv, admin, now);
        if (imported && admin && !imported->already_imported) {
            identity::append_audit(tx,
                                   actor,
                                   {"statement.import",
                                    "mpesa_statement",
                                    imported->statement_id,
                                    nullptr,
                                    {{"shortcode", imported->shortcode},
                                     {"lines", imported->lines},
                                     {"new_lines", imported->new_lines}},
                                    ""},
                                   now);
        }
        return imported;
    });
}

std::vector<RunView> ReconciliationReports::list(const std::string& before_id, std::size_t limit) {
    return db::with_transaction(pool_, "reconciliation.list", [&](pqxx::work& tx) {
        return list_runs(tx, before_id, limit);
    });
}

Result<RunReport> ReconciliationReports::report(const std::string& run_id) {
    if (!is_uuid(run_id)) {
        return make_error(ErrorCode::not_found, "no such reconciliation run");
    }
    return db::with_transaction(pool_, "reconciliation.report", [&](pqxx::work& tx) -> Result<RunReport> {
        auto run = find_run(tx, run_id);
        if (!run) {
            return make_error(ErrorCode::not_found, "no such reconciliation run");
        }
        return RunReport{std::move(*run), list_items(tx, run_id)};
    });
}

Result<ItemView> ReconciliationReports::resolve(const identity::Actor& actor,
                                                const std::string& run_id,
                                                std::int64_t item_id,
                                                const std::string& note) {
    if (note.empty() || note.size() > kResolutionNoteMax) {
        return make_error(ErrorCode::validation_failed, "note: 1-1000 characters saying what was done");
    }
    return db::with_transaction(pool_, "reconciliation.resolve", [&](pqxx::work& tx) -> Result<ItemView> {
        const auto item = find_item(tx, item_id, true);
        if (!item || item->run_id != run_id) {
            return make_error(ErrorCode::not_found, "no such item in this run");
        }
        if (item->resolved_at) {
            return make_error(ErrorCode::item_already_resolved, "this item was resolved before");
        }
        const TimePoint now = clock_.now();
        resolve_item(tx, item_id, actor.user_id, note, now);
        const ItemView after = *find_item(tx, item_id, false);
        identity::append_audit(tx,
                               actor,
                               {"reconciliation.resolve",
                                "reconciliation_item",
                                std::to_string(item_id),
                                item_audit_json(*item),
                                item_audit_json(after),
                                note},
                               now);
        return after;
    });
}

std::optional<RunView> ReconciliationReports::latest_completed() {
    return db::with_transaction(pool_, "reconciliation.latest", [&](pqxx::work& tx) {
        return latest_completed_run(tx);
    });
}

std::string report_csv(const RunReport& report) {
    std::string csv =
        "run_id,day,item_id,class,severity,receipt,trade_id,payout_id,expected_kes,actual_kes,"
        "detail,resolved_at,resolution_note\r\n";
    for (const ItemView& item : report.items) {
        const std::vector<std::string> fields = {
            report.run.id,
            format_iso_day(report.run.day),
            std::to_string(item.id),
            std::string(to_string(item.finding.finding_class)),
            std::string(to_string(item.severity)),
            item.finding.receipt,
            item.finding.trade_id,
            item.finding.payout_id,
            kes_or_empty(item.finding.expected),
            kes_or_empty(item.finding.actual),
            item.finding.detail,
            item.resolved_at ? format_rfc3339(*item.resolved_at) : "",
            item.resolution_note};
        for (std::size_t i = 0; i < fields.size(); ++i) {
            csv += (i == 0 ? "" : ",") + csv_field(fields[i]);
        }
        csv += "\r\n";
    }
    return csv;
}

}  // namespace gw::jobs
