#pragma once

#include "http/router.hpp"
#include "trading/payout_service.hpp"

namespace gw::http {

// The payout queue, for admin and treasury:
// GET  /admin/payouts?status=pending|sent|completed|failed&limit=&after=
//        → 200 {items: [payout_json…], next_after}: oldest first (a queue to work through);
//        `after` is the opaque next_after of the previous page.
// POST /admin/payouts/{id}/complete {mpesa_transaction_id} → 200 payout_json: a manual payout
//        was paid by hand; its sell completes (audited payout.complete).
// POST /admin/payouts/{id}/fail {reason} → 200 payout_json: it could not be paid; the sell
//        fails and the grams are the user's again (audited payout.fail).
// Errors: not_found, payout_not_manual, validation_failed. REQUIRES: `payouts` outlives the router.
void add_admin_payout_routes(Router& router, trading::PayoutService& payouts);

nlohmann::json payout_json(const trading::PayoutView& payout);

}  // namespace gw::http
