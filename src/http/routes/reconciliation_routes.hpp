#pragma once

#include <nlohmann/json.hpp>

#include "http/router.hpp"
#include "jobs/reconciler.hpp"
#include "jobs/reconciliation_reports.hpp"

namespace gw::http {

// Reconciliation, for admin and treasury (ISSUE 8):
// POST /admin/reconciliation/statements?file_name=   body text/csv: the M-Pesa portal export
//        → 201 {statement_id, shortcode, period_from, period_to, lines, new_lines, skipped_rows,
//        already_imported}; the same file again → 200 with already_imported true, nothing added.
// POST /admin/reconciliation/run {date?: "YYYY-MM-DD"} → 201 report_json: runs now over that
//        Nairobi day (default yesterday) and answers when it has finished.
// GET  /admin/reconciliation?limit=&before=<run_id> → 200 {items: [run_json…], next_before}
// GET  /admin/reconciliation/{run_id} → 200 report_json {run, items}; ?format=csv → the items as
//        a CSV download.
// POST /admin/reconciliation/{run_id}/items/{item_id}/resolve {note} → 200 item_json (audited).
// Errors: not_found, validation_failed, item_already_resolved, unsupported_media_type.
// REQUIRES: `reconciler` and `reports` outlive the router.
void add_reconciliation_routes(Router& router,
                               jobs::Reconciler& reconciler,
                               jobs::ReconciliationReports& reports);

nlohmann::json run_json(const jobs::RunView& run);
nlohmann::json item_json(const jobs::ItemView& item);

}  // namespace gw::http
