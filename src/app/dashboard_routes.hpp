#pragma once

#include "db/pool.hpp"
#include "http/router.hpp"
#include "jobs/reconciliation_reports.hpp"
#include "trading/pool_service.hpp"

namespace gw::app {

// The admin console's front page in one call (ISSUE 9), for admin and treasury:
// GET /admin/dashboard → 200 {
//   gold: {total_grams, available_grams, reserved_grams, held_by_users_grams, being_sold_grams}
//         summed over every pool, retired ones included (their gold is still held);
//   pools: {active, retired};
//   pending_stk_pushes: buys reserved or waiting for their M-Pesa payment;
//   pending_payouts: {count, manual, b2c}: payouts not yet paid or failed;
//   last_reconciliation: null | the newest run (run_json) with unresolved_critical }
// It lives in app because it reads trading and jobs together (STYLE §2 arrows).
// REQUIRES: every argument outlives the router.
void add_dashboard_routes(http::Router& router,
                          db::ConnectionPool& database,
                          trading::PoolService& pools,
                          jobs::ReconciliationReports& reports);

}  // namespace gw::app
