#pragma once

#include "http/router.hpp"
#include "trading/adjustment_service.hpp"
#include "trading/admin_ledger_service.hpp"

namespace gw::http {

// Admin side of trading: gold adjustments and the whole ledger.
// POST /admin/adjustments {user_id, grams, direction: credit|debit, reason}   (admin)
//   → 201 {adjustment_id, user_id, direction, grams, reason,
//          transfers: [{pool_id, grams, transfer_id}], created_at}
//   Fields are checked in that order (validation_failed naming the field; grams as for every
//   gram amount); then as trading::AdjustmentService::adjust: not_found (no such open user),
//   insufficient_gold (credit), insufficient_grams (debit).
// GET /admin/ledger?user_id=&kind=&status=&from=&to=&limit=&before=          (admin, treasury)
//   → {items: [{id, created_at, kind, debit_account, credit_account, amount_grams, status,
//               pending_id, trade_id, user_id, pool_id}], next_before}
//   Every gold transfer, newest first; limit 1–500 (default 50); `before` is the opaque
//   next_before of the previous page. Filters are optional and combine; an empty one is
//   absent. A bad filter, limit or cursor: validation_failed. Null where a transfer has none.
// REQUIRES: the services outlive the router.
void add_admin_trading_routes(Router& router,
                              trading::AdjustmentService& adjustments,
                              trading::AdminLedgerService& ledger);

}  // namespace gw::http
