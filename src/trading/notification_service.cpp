#include "trading/notification_service.hpp"

#include <stdexcept>

#include "core/uuid_text.hpp"
#include "db/transaction.hpp"
#include "observability/log.hpp"

namespace gw::trading {

NotificationService::NotificationService(db::ConnectionPool& pool, const Clock& clock)
    : pool_(pool), clock_(clock) {}

void NotificationService::deliver(const db::OutboxMessage& message) {
    if (message.key.empty()) {
        throw std::invalid_argument("notification message: the key is empty");
    }
    const NotificationText text = notification_text(message.payload);
    const TimePoint now = clock_.now();
    const bool inserted = db::with_transaction(pool_, "notification.deliver", [&](pqxx::work& tx) {
        return insert_notification(tx, message.key, text, now);
    });
    if (!inserted) {
        obs::log_info("notification.repeated", {{"trade_id", text.trade_id}, {"kind", text.kind}});
    }
}

std::vector<NotificationView> NotificationService::list(
    const std::string& user_id,
    const std::optional<NotificationCursor>& before,
    std::size_t limit) {
    return db::with_transaction(pool_, "notification.list", [&](pqxx::work& tx) {
        return select_user_notifications(tx, user_id, before, limit);
    });
}

Result<NotificationView> NotificationService::mark_read(const std::string& user_id,
                                                        const std::string& notification_id) {
    std::optional<NotificationView> marked;
    if (is_uuid(notification_id)) {
        const TimePoint now = clock_.now();
        marked = db::with_transaction(pool_, "notification.mark_read", [&](pqxx::work& tx) {
            return mark_notification_read(tx, user_id, notification_id, now);
        });
    }
    if (!marked) {
        return make_error(ErrorCode::not_found, "no such notification");
    }
    return *marked;
}

}  // namespace gw::trading
