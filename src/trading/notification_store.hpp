#pragma once

// SQL of in-app notifications (migrations/0008_payouts_notifications.sql `notifications`).
// Every function REQUIRES being called inside a database transaction. Times are parameters
// (the caller's Clock), never the database's now().

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/clock.hpp"
#include "trading/notification_text.hpp"

namespace gw::trading {

struct NotificationView {
    std::string id;
    std::string user_id;
    std::string kind;
    std::string title;
    std::string body;
    std::string trade_id;  // empty when the notification is about no trade
    TimePoint created_at;
    std::optional<TimePoint> read_at;  // nullopt while unread
};

// Position in a user's notifications, newest first: those strictly older than (created_at, id).
struct NotificationCursor {
    TimePoint created_at;
    std::string id;  // canonical UUID
};

// Inserts the notification under `key`, created at `now`. Returns true when inserted, false
// (nothing changed) when one with that key exists already: a repeated delivery is a no-op.
// REQUIRES: text.user_id names a user and text.trade_id a trade (foreign keys).
bool insert_notification(pqxx::work& tx,
                         const std::string& key,
                         const NotificationText& text,
                         TimePoint now);

// Up to `limit` notifications of the user, newest first (created_at DESC, id DESC), strictly
// older than `before` when given.
// REQUIRES: user_id and before->id are canonical UUIDs.
std::vector<NotificationView> select_user_notifications(
    pqxx::work& tx,
    const std::string& user_id,
    const std::optional<NotificationCursor>& before,
    std::size_t limit);

// Marks notification `id` of `user_id` read at `now` unless it was read before (the first
// read_at is kept) and returns it; nullopt when there is no such notification of that user.
// REQUIRES: id and user_id are canonical UUIDs.
std::optional<NotificationView> mark_notification_read(pqxx::work& tx,
                                                       const std::string& user_id,
                                                       const std::string& id,
                                                       TimePoint now);

}  // namespace gw::trading
