#include "jobs/reconciliation_store.hpp"

#include <pqxx/stream_to>
#include <tuple>

#include "core/time_text.hpp"
#include "db/prepared.hpp"
#include "identity/uuid.hpp"

namespace gw::jobs {
namespace {

constexpr const char* kRunColumns =
    "id, day::text, trigger, coalesce(requested_by::text, ''), status, summary::text, "
    "critical_count, coalesce(failure, ''), started_at, finished_at";

constexpr const char* kItemColumns =
    "id, run_id, class, severity, coalesce(receipt, ''), coalesce(trade_id::text, ''), "
    "coalesce(payout_id::text, ''), expected_cents, actual_cents, detail, resolved_at, "
    "coalesce(resolved_by::text, ''), coalesce(resolution_note, '')";

RunTrigger trigger_from(std::string_view text) {
    if (text == "schedule") {
        return RunTrigger::schedule;
    }
    return text == "api" ? RunTrigger::api : RunTrigger::command;
}

RunStatus status_from(std::string_view text) {
    if (text == "completed") {
        return RunStatus::completed;
    }
    return text == "failed" ? RunStatus::failed : RunStatus::running;
}

std::optional<TimePoint> optional_time(const pqxx::field& field) {
    return field.is_null() ? std::nullopt : std::optional<TimePoint>(time_from_pg(field.c_str()));
}

std::optional<Cents> optional_cents(const pqxx::field& field) {
    return field.is_null() ? std::nullopt : std::optional<Cents>(Cents{field.as<std::int64_t>()});
}

RunView run_from(const pqxx::row& row) {
    RunView run;
    run.id = row[0].as<std::string>();
    run.day = parse_iso_day(row[1].c_str()).value_or(std::chrono::sys_days{});
    run.trigger = trigger_from(row[2].c_str());
    run.requested_by = row[3].as<std::string>();
    run.status = status_from(row[4].c_str());
    run.summary = nlohmann::json::parse(row[5].c_str());
    run.critical_count = row[6].as<std::int64_t>();
    run.failure = row[7].as<std::string>();
    run.started_at = time_from_pg(row[8].c_str());
    run.finished_at = optional_time(row[9]);
    return run;
}

ItemView item_from(const pqxx::row& row) {
    ItemView item;
    item.id = row[0].as<std::int64_t>();
    item.run_id = row[1].as<std::string>();
    item.finding.finding_class =
        parse_finding_class(row[2].c_str()).value_or(FindingClass::ledger_invariant);
    item.severity = std::string_view(row[3].c_str()) == "warning" ? Severity::warning
                                                                  : Severity::critical;
    item.finding.receipt = row[4].as<std::string>();
    item.finding.trade_id = row[5].as<std::string>();
    item.finding.payout_id = row[6].as<std::string>();
    item.finding.expected = optional_cents(row[7]);
    item.finding.actual = optional_cents(row[8]);
    item.finding.detail = row[9].as<std::string>();
    item.resolved_at = optional_time(row[10]);
    item.resolved_by = row[11].as<std::string>();
    item.resolution_note = row[12].as<std::string>();
    return item;
}

std::optional<std::string> text_or_null(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

}  // namespace

std::string_view to_string(RunTrigger trigger) {
    switch (trigger) {
        case RunTrigger::schedule:
            return "schedule";
        case RunTrigger::command:
            return "command";
        case RunTrigger::api:
            return "api";
    }
    return "command";
}

std::string_view to_string(RunStatus status) {
    switch (status) {
        case RunStatus::running:
            return "running";
        case RunStatus::completed:
            return "completed";
        case RunStatus::failed:
            return "failed";
    }
    return "running";
}

std::optional<RunView> insert_run(pqxx::work& tx,
                                  std::chrono::sys_days day,
                                  RunTrigger trigger,
                                  const std::string& requested_by,
                                  TimePoint now) {
    const pqxx::result rows = db::exec_prepared(tx,
        std::string("INSERT INTO reconciliation_runs (id, day, trigger, requested_by, started_at) "
                    "VALUES ($1::uuid, $2::date, $3, $4::uuid, $5::timestamptz) "
                    "ON CONFLICT (day) WHERE trigger = 'schedule' AND status <> 'failed' DO NOTHING "
                    "RETURNING ") +
            kRunColumns,
        identity::random_uuid(),
        format_iso_day(day),
        std::string(to_string(trigger)),
        text_or_null(requested_by),
        format_rfc3339(now));
    if (rows.empty()) {
        return std::nullopt;
    }
    return run_from(rows[0]);
}

void insert_findings(pqxx::work& tx, const std::string& run_id, const std::vector<Finding>& findings) {
    if (findings.empty()) {
        return;
    }
    // COPY: a bad day can find as many items as there are trades.
    pqxx::stream_to stream(tx,
                           "reconciliation_items",
                           std::vector<std::string>{"run_id", "class", "severity", "receipt",
                                                    "trade_id", "payout_id", "expected_cents",
                                                    "actual_cents", "detail"});
    // A null is written as a null const char* (COPY's \N).
    const auto nullable = [](const std::string& text) { return text.empty() ? nullptr : text.c_str(); };
    for (const Finding& finding : findings) {
        const std::string expected = finding.expected ? std::to_string(finding.expected->value()) : "";
        const std::string actual = finding.actual ? std::to_string(finding.actual->value()) : "";
        stream << std::make_tuple(run_id,
                                  std::string(to_string(finding.finding_class)),
                                  std::string(to_string(severity_of(finding.finding_class))),
                                  nullable(finding.receipt),
                                  nullable(finding.trade_id),
                                  nullable(finding.payout_id),
                                  nullable(expected),
                                  nullable(actual),
                                  finding.detail);
    }
    stream.complete();
}

void complete_run(pqxx::work& tx,
                  const std::string& run_id,
                  const nlohmann::json& summary,
                  std::int64_t critical_count,
                  TimePoint now) {
    db::exec_prepared0(tx,
        "UPDATE reconciliation_runs SET status = 'completed', summary = $2::jsonb, "
        "critical_count = $3, finished_at = $4::timestamptz WHERE id = $1::uuid",
        run_id,
        summary.dump(),
        critical_count,
        format_rfc3339(now));
}

void fail_run(pqxx::work& tx, const std::string& run_id, const std::string& failure, TimePoint now) {
    db::exec_prepared0(tx,
        "UPDATE reconciliation_runs SET status = 'failed', failure = $2, "
        "finished_at = $3::timestamptz WHERE id = $1::uuid AND status = 'running'",
        run_id,
        failure.substr(0, 500),
        format_rfc3339(now));
}

std::optional<RunView> find_run(pqxx::work& tx, const std::string& run_id) {
    const pqxx::result rows = db::exec_prepared(tx,
        std::string("SELECT ") + kRunColumns + " FROM reconciliation_runs WHERE id = $1::uuid",
        run_id);
    return rows.empty() ? std::nullopt : std::optional<RunView>(run_from(rows[0]));
}

std::vector<RunView> list_runs(pqxx::work& tx, const std::string& before_id, std::size_t limit) {
    const pqxx::result rows = db::exec_prepared(tx,
        std::string("SELECT ") + kRunColumns +
            " FROM reconciliation_runs r WHERE $1::uuid IS NULL OR (r.started_at, r.id) < "
            "(SELECT started_at, id FROM reconciliation_runs WHERE id = $1::uuid) "
            "ORDER BY r.started_at DESC, r.id DESC LIMIT $2",
        text_or_null(before_id),
        static_cast<std::int64_t>(limit));
    std::vector<RunView> runs;
    for (const auto& row : rows) {
        runs.push_back(run_from(row));
    }
    return runs;
}

std::optional<RunView> latest_completed_run(pqxx::work& tx) {
    const pqxx::result rows = tx.exec(
        std::string("SELECT ") + kRunColumns +
        " FROM reconciliation_runs WHERE status = 'completed' "
        "ORDER BY day DESC, finished_at DESC, id DESC LIMIT 1");
    return rows.empty() ? std::nullopt : std::optional<RunView>(run_from(rows[0]));
}

std::vector<ItemView> list_items(pqxx::work& tx, const std::string& run_id) {
    const pqxx::result rows = db::exec_prepared(tx,
        std::string("SELECT ") + kItemColumns +
            " FROM reconciliation_items WHERE run_id = $1::uuid ORDER BY id",
        run_id);
    std::vector<ItemView> items;
    items.reserve(rows.size());
    for (const auto& row : rows) {
        items.push_back(item_from(row));
    }
    return items;
}

std::optional<ItemView> find_item(pqxx::work& tx, std::int64_t item_id, bool lock) {
    const pqxx::result rows = db::exec_prepared(tx,
        std::string("SELECT ") + kItemColumns + " FROM reconciliation_items WHERE id = $1" +
            (lock ? " FOR UPDATE" : ""),
        item_id);
    return rows.empty() ? std::nullopt : std::optional<ItemView>(item_from(rows[0]));
}

void resolve_item(pqxx::work& tx,
                  std::int64_t item_id,
                  const std::string& admin_id,
                  const std::string& note,
                  TimePoint now) {
    db::exec_prepared0(tx,
        "UPDATE reconciliation_items SET resolved_at = $2::timestamptz, resolved_by = $3::uuid, "
        "resolution_note = $4 WHERE id = $1",
        item_id,
        format_rfc3339(now),
        admin_id,
        note);
}

bool scheduled_run_due(pqxx::work& tx,
                       std::chrono::sys_days day,
                       TimePoint now,
                       int attempts_max,
                       std::chrono::seconds retry_after) {
    const pqxx::row row = db::exec_prepared1(tx,
        "SELECT count(*) FILTER (WHERE status <> 'failed'), count(*) FILTER (WHERE status = 'failed'),"
        "       coalesce(max(finished_at) FILTER (WHERE status = 'failed' AND failure NOT LIKE 'abandoned:%') "
        "                > $2::timestamptz - $3 * interval '1 second', false) "
        "FROM reconciliation_runs WHERE day = $1::date AND trigger = 'schedule'",
        format_iso_day(day),
        format_rfc3339(now),
        static_cast<std::int64_t>(retry_after.count()));
    return row[0].as<std::int64_t>() == 0 && row[1].as<std::int64_t>() < attempts_max &&
           !row[2].as<bool>();
}

std::size_t fail_abandoned_scheduled_runs(pqxx::work& tx, TimePoint now) {
    const pqxx::result failed = db::exec_prepared(tx,
        "UPDATE reconciliation_runs SET status = 'failed', finished_at = $1::timestamptz, "
        "failure = 'abandoned: the node running it stopped' "
        "WHERE trigger = 'schedule' AND status = 'running'",
        format_rfc3339(now));
    return static_cast<std::size_t>(failed.affected_rows());
}

}  // namespace gw::jobs
