#include "app/reconciliation_routes.hpp"

#include <charconv>

#include "core/time_text.hpp"
#include "core/uuid_text.hpp"
#include "http/requests/admin_requests.hpp"
#include "http/route_support.hpp"

namespace gw::app {

using http::Access;
using http::BodyKind;
using http::RouteRequest;
using http::write_error;
using http::write_json;
using http::decode_reconciliation_run;
using http::decode_resolution;
using http::limit_param;
namespace {

constexpr std::size_t kPageDefault = 30;
constexpr std::size_t kPageMax = 100;

Access reconciliation_staff() {
    return Access::only({identity::Role::admin, identity::Role::treasury});
}

nlohmann::json text_or_null(const std::string& text) {
    return text.empty() ? nlohmann::json() : nlohmann::json(text);
}

nlohmann::json kes_or_null(const std::optional<Cents>& cents) {
    return cents ? nlohmann::json(format_kes(*cents)) : nlohmann::json();
}

nlohmann::json time_or_null(const std::optional<TimePoint>& at) {
    return at ? nlohmann::json(format_rfc3339(*at)) : nlohmann::json();
}

nlohmann::json report_json(const jobs::RunReport& report) {
    nlohmann::json items = nlohmann::json::array();
    for (const jobs::ItemView& item : report.items) {
        items.push_back(item_json(item));
    }
    return {{"run", run_summary_json(report)}, {"items", items}};
}

void import_statement(jobs::ReconciliationReports& reports,
                      const RouteRequest& request,
                      httplib::Response& response) {
    std::string file_name = request.http.get_param_value("file_name");
    if (file_name.empty()) {
        file_name = "statement.csv";
    }
    const auto imported = reports.import_statement(
        identity::Actor::of(request.caller(), std::string(request.request_id)),
        request.http.get_param_value("shortcode"),
        file_name,
        request.http.body);
    if (!imported) {
        write_error(response, request, imported.error());
        return;
    }
    write_json(response,
               imported->already_imported ? 200 : 201,
               {{"statement_id", imported->statement_id},
                {"shortcode", imported->shortcode},
                {"period_from", format_rfc3339(imported->period_from)},
                {"period_to", format_rfc3339(imported->period_to)},
                {"lines", imported->lines},
                {"new_lines", imported->new_lines},
                {"skipped_rows", imported->skipped_rows},
                {"already_imported", imported->already_imported}});
}

void run_now(jobs::Reconciler& reconciler,
             jobs::ReconciliationReports& reports,
             const RouteRequest& request,
             httplib::Response& response) {
    auto day = decode_reconciliation_run(request.json);
    if (!day) {
        write_error(response, request, day.error());
        return;
    }
    if (*day && !reconciler.day_has_begun(**day)) {
        write_error(response, request,
                    make_error(ErrorCode::validation_failed, "date: a day as YYYY-MM-DD, today or earlier"));
        return;
    }
    const auto run = reconciler.run(
        jobs::ReconcileRequest{*day, jobs::RunTrigger::api, request.caller().user_id});
    if (!run) {
        write_error(response, request, run.error());
        return;
    }
    const auto report = reports.report(run->id);  // a run that started is stored
    response.set_header("Location", "/admin/reconciliation/" + run->id);
    write_json(response, 201, report_json(*report));
}

void list_runs(jobs::ReconciliationReports& reports,
               const RouteRequest& request,
               httplib::Response& response) {
    auto limit = limit_param(request.http, kPageDefault, kPageMax);
    const std::string before = request.http.get_param_value("before");
    if (!limit || (!before.empty() && !is_uuid(before))) {
        write_error(response, request,
                    limit ? make_error(ErrorCode::validation_failed, "before: a run id")
                          : limit.error());
        return;
    }
    const auto runs = reports.list(before, *limit);
    nlohmann::json items = nlohmann::json::array();
    for (const jobs::RunView& run : runs) {
        items.push_back(run_json(run));
    }
    const nlohmann::json next = runs.size() == *limit ? nlohmann::json(runs.back().id) : nlohmann::json();
    write_json(response, 200, {{"items", items}, {"next_before", next}});
}

void show_run(jobs::ReconciliationReports& reports,
              const RouteRequest& request,
              httplib::Response& response) {
    const auto report = reports.report(request.param("run_id"));
    if (!report) {
        write_error(response, request, report.error());
        return;
    }
    if (request.http.get_param_value("format") == "csv") {
        response.status = 200;
        response.set_header("Content-Disposition",
                            "attachment; filename=\"reconciliation-" +
                                format_iso_day(report->run.day) + "-" + report->run.id + ".csv\"");
        response.set_content(jobs::report_csv(*report), "text/csv; charset=utf-8");
        return;
    }
    write_json(response, 200, report_json(*report));
}

void resolve(jobs::ReconciliationReports& reports,
             const RouteRequest& request,
             httplib::Response& response) {
    const std::string& text = request.param("item_id");
    std::int64_t item_id = 0;
    const auto parsed = std::from_chars(text.data(), text.data() + text.size(), item_id);
    auto note = decode_resolution(request.json);
    if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size() || item_id <= 0 ||
        !is_uuid(request.param("run_id"))) {
        write_error(response, request, make_error(ErrorCode::not_found, "no such item in this run"));
        return;
    }
    const auto resolved =
        note ? reports.resolve(identity::Actor::of(request.caller(), std::string(request.request_id)),
                               request.param("run_id"),
                               item_id,
                               *note)
             : Result<jobs::ItemView>(note.error());
    resolved ? write_json(response, 200, item_json(*resolved))
             : write_error(response, request, resolved.error());
}

}  // namespace

nlohmann::json run_json(const jobs::RunView& run) {
    return {{"run_id", run.id},
            {"day", format_iso_day(run.day)},
            {"trigger", std::string(jobs::to_string(run.trigger))},
            {"requested_by", text_or_null(run.requested_by)},
            {"status", std::string(jobs::to_string(run.status))},
            {"critical_count", run.critical_count},
            {"failure", text_or_null(run.failure)},
            {"summary", run.summary},
            {"started_at", format_rfc3339(run.started_at)},
            {"finished_at", time_or_null(run.finished_at)}};
}

nlohmann::json run_summary_json(const jobs::RunReport& report) {
    std::int64_t unresolved_critical = 0;
    for (const jobs::ItemView& item : report.items) {
        if (item.severity == jobs::Severity::critical && !item.resolved_at) {
            ++unresolved_critical;
        }
    }
    nlohmann::json run = run_json(report.run);
    run["unresolved_critical"] = unresolved_critical;
    return run;
}

nlohmann::json item_json(const jobs::ItemView& item) {
    return {{"item_id", item.id},
            {"class", std::string(jobs::to_string(item.finding.finding_class))},
            {"severity", std::string(jobs::to_string(item.severity))},
            {"receipt", text_or_null(item.finding.receipt)},
            {"trade_id", text_or_null(item.finding.trade_id)},
            {"payout_id", text_or_null(item.finding.payout_id)},
            {"expected_kes", kes_or_null(item.finding.expected)},
            {"actual_kes", kes_or_null(item.finding.actual)},
            {"detail", item.finding.detail},
            {"resolved_at", time_or_null(item.resolved_at)},
            {"resolved_by", text_or_null(item.resolved_by)},
            {"resolution_note", text_or_null(item.resolution_note)}};
}

void add_reconciliation_routes(http::Router& router,
                               jobs::Reconciler& reconciler,
                               jobs::ReconciliationReports& reports) {
    router.add("POST", "/admin/reconciliation/statements", BodyKind::csv,
               [&reports](const RouteRequest& r, httplib::Response& w) { import_statement(reports, r, w); },
               reconciliation_staff());
    router.add("POST", "/admin/reconciliation/run", BodyKind::json,
               [&reconciler, &reports](const RouteRequest& r, httplib::Response& w) {
                   run_now(reconciler, reports, r, w);
               },
               reconciliation_staff());
    router.add("GET", "/admin/reconciliation", BodyKind::none,
               [&reports](const RouteRequest& r, httplib::Response& w) { list_runs(reports, r, w); },
               reconciliation_staff());
    router.add("GET", "/admin/reconciliation/{run_id}", BodyKind::none,
               [&reports](const RouteRequest& r, httplib::Response& w) { show_run(reports, r, w); },
               reconciliation_staff());
    router.add("POST", "/admin/reconciliation/{run_id}/items/{item_id}/resolve", BodyKind::json,
               [&reports](const RouteRequest& r, httplib::Response& w) { resolve(reports, r, w); },
               reconciliation_staff());
}

}  // namespace gw::app
