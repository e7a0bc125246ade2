#pragma once

#include <nlohmann/json.hpp>

#include "http/router.hpp"
#include "jobs/reconciler.hpp"
#include "jobs/reconciliation_reports.hpp"

namespace gw::app {

// Reconciliation, for admin and treasury (ISSUE 8). These routes live in app, not http: they
// call the reconciler and reports of jobs, and http may not depend on jobs (STYLE §2 arrows);
// app is where the two meet. They use http's router and helpers like any other route.
// POST /admin/reconciliation/statements?file_name=&shortcode=   body text/csv: the M-Pesa portal
//        export of our paybill or B2C account (shortcode: when the file has no Short Code row)
//        → 201 {statement_id, shortcode, period_from, period_to, lines, new_lines, skipped_rows,
//        already_imported}; the same file again → 200 with already_imported true, nothing added.
// POST /admin/reconciliation/run {date?: "YYYY-MM-DD"} → 201 report_json: runs now over that
//        Nairobi day (default yesterday) and answers when it has finished.
// GET  /admin/reconciliation?limit=&before=<run_id> → 200 {items: [run_json…], next_before}
// GET  /admin/reconciliation/{run_id} → 200 report_json {run, items}; ?format=csv → the items as
//        a CSV download.
// POST /admin/reconciliation/{run_id}/items/{item_id}/resolve {note} → 200 item_json (audited).
// Errors: not_found, validation_failed, item_already_resolved, reconciliation_running (another
// run, on any node, is in progress), unsupported_media_type.
// REQUIRES: `reconciler` and `reports` outlive the router.
void add_reconciliation_routes(http::Router& router,
                               jobs::Reconciler& reconciler,
                               jobs::ReconciliationReports& reports);

nlohmann::json run_json(const jobs::RunView& run);
nlohmann::json item_json(const jobs::ItemView& item);
// run_json of the report's run with unresolved_critical: its critical items nobody resolved.
nlohmann::json run_summary_json(const jobs::RunReport& report);

}  // namespace gw::app
