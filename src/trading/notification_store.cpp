#include "trading/notification_store.hpp"

#include <cstdint>

#include "core/time_text.hpp"
#include "db/prepared.hpp"

namespace gw::trading {
namespace {

constexpr const char* kNotificationColumns =
    "id, user_id, kind, title, body, coalesce(trade_id::text, ''), created_at, read_at";

NotificationView notification_from_row(const pqxx::row& row) {
    NotificationView view;
    view.id = row[0].as<std::string>();
    view.user_id = row[1].as<std::string>();
    view.kind = row[2].as<std::string>();
    view.title = row[3].as<std::string>();
    view.body = row[4].as<std::string>();
    view.trade_id = row[5].as<std::string>();
    view.created_at = time_from_pg(row[6].as<std::string>());
    if (!row[7].is_null()) {
        view.read_at = time_from_pg(row[7].as<std::string>());
    }
    return view;
}

}  // namespace

bool insert_notification(pqxx::work& tx,
                         const std::string& key,
                         const NotificationText& text,
                         TimePoint now) {
    const pqxx::result inserted = db::exec_prepared(tx,
        "INSERT INTO notifications (user_id, key, kind, title, body, trade_id, created_at) "
        "VALUES ($1::uuid, $2, $3, $4, $5, $6::uuid, $7::timestamptz) "
        "ON CONFLICT (key) DO NOTHING RETURNING id",
        text.user_id,
        key,
        text.kind,
        text.title,
        text.body,
        text.trade_id,
        format_rfc3339(now));
    return !inserted.empty();
}

std::vector<NotificationView> select_user_notifications(
    pqxx::work& tx,
    const std::string& user_id,
    const std::optional<NotificationCursor>& before,
    std::size_t limit) {
    const pqxx::result rows = db::exec_prepared(tx,
        std::string("SELECT ") + kNotificationColumns +
            " FROM notifications WHERE user_id = $1::uuid AND ($2::timestamptz IS NULL OR "
            "(created_at, id) < ($2::timestamptz, $3::uuid)) ORDER BY created_at DESC, id DESC "
            "LIMIT $4",
        user_id,
        before ? std::optional(format_rfc3339(before->created_at)) : std::nullopt,
        before ? std::optional(before->id) : std::nullopt,
        static_cast<std::int64_t>(limit));
    std::vector<NotificationView> notifications;
    notifications.reserve(rows.size());
    for (const auto& row : rows) {
        notifications.push_back(notification_from_row(row));
    }
    return notifications;
}

std::optional<NotificationView> mark_notification_read(pqxx::work& tx,
                                                       const std::string& user_id,
                                                       const std::string& id,
                                                       TimePoint now) {
    const pqxx::result rows = db::exec_prepared(tx,
        std::string("UPDATE notifications SET read_at = coalesce(read_at, $3::timestamptz) "
                    "WHERE id = $1::uuid AND user_id = $2::uuid RETURNING ") +
            kNotificationColumns,
        id,
        user_id,
        format_rfc3339(now));
    if (rows.empty()) {
        return std::nullopt;
    }
    return notification_from_row(rows[0]);
}

}  // namespace gw::trading
