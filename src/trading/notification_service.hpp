#pragma once

// In-app notifications: the notifier that turns each notify.trade outbox message into one
// notification row, and the signed-in user's reads of their own notifications. A notification
// that is not the reader's reads exactly like one that does not exist. Thread-safe: it holds
// no state of its own beyond its references.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "db/outbox_store.hpp"
#include "db/pool.hpp"
#include "trading/notification_store.hpp"

namespace gw::trading {

class NotificationService {
public:
    // REQUIRES: `pool` and `clock` outlive the service.
    NotificationService(db::ConnectionPool& pool, const Clock& clock);

    // The outbox handler of kNotifyTopic (trade_settlement.hpp): stores the notification the
    // message's payload describes (notification_text.hpp), keyed by the message key, created
    // at the clock's now. Delivering the same message again is a no-op, so at-least-once
    // delivery shows each notification exactly once.
    // Throws std::invalid_argument for a payload notification_text refuses (no user_id or
    // trade_id, …) or an empty key; database failures propagate. Either way nothing is stored
    // and the outbox retries, then dead-letters the message.
    void deliver(const db::OutboxMessage& message);

    // Up to `limit` of the user's notifications, newest first (created_at DESC, id DESC),
    // strictly older than `before` when given.
    // REQUIRES: user_id is a canonical UUID (the session's); 1 <= limit.
    std::vector<NotificationView> list(const std::string& user_id,
                                       const std::optional<NotificationCursor>& before,
                                       std::size_t limit);

    // Marks the user's notification `notification_id` read and returns it. Idempotent: read_at
    // stays that of the first call.
    // Error: not_found when the id is not a UUID, unknown, or another user's (all alike).
    [[nodiscard]] Result<NotificationView> mark_read(const std::string& user_id,
                                                     const std::string& notification_id);

private:
    db::ConnectionPool& pool_;
    const Clock& clock_;
};

}  // namespace gw::trading
