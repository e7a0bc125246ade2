#pragma once

#include "http/router.hpp"
#include "trading/notification_service.hpp"

namespace gw::http {

// The signed-in caller's own in-app notifications (any role); the user id comes from the
// session only, so nobody can read or mark another user's notifications.
// GET /user/notifications?limit=50&before=<cursor>
//   → {items: [{id, kind, title, body, trade_id, created_at, read_at}], next_before}
//   Newest first; limit 1–100 (default 50); `before` is the opaque next_before of the previous
//   page (null when the page came back short). A bad limit or cursor: validation_failed.
//   trade_id and read_at are null when there is none.
// POST /user/notifications/{id}/read → 200 the notification, read_at set (kept from the first
//   time on repeats); not_found when it is not the caller's (or no such id exists).
// REQUIRES: `notifications` outlives the router.
void add_notification_routes(Router& router, trading::NotificationService& notifications);

}  // namespace gw::http
