#include "http/routes/notification_routes.hpp"

#include "core/time_text.hpp"
#include "http/route_support.hpp"
#include "trading/wallet.hpp"

namespace gw::http {
namespace {

constexpr std::size_t kPageDefault = 50;
constexpr std::size_t kPageMax = 100;

nlohmann::json notification_json(const trading::NotificationView& notification) {
    return {
        {"id", notification.id},
        {"kind", notification.kind},
        {"title", notification.title},
        {"body", notification.body},
        {"trade_id",
         notification.trade_id.empty() ? nlohmann::json() : nlohmann::json(notification.trade_id)},
        {"created_at", format_rfc3339(notification.created_at)},
        {"read_at",
         notification.read_at ? nlohmann::json(format_rfc3339(*notification.read_at))
                              : nlohmann::json()}};
}

// `before` query parameter: nullopt when absent or empty; validation_failed when it is not a
// cursor (the ledger's cursor text, with the notification id in place of the transfer id).
Result<std::optional<trading::NotificationCursor>> before_cursor_param(
    const httplib::Request& request) {
    const std::string text = request.get_param_value("before");
    if (text.empty()) {
        return std::optional<trading::NotificationCursor>();
    }
    const auto cursor = trading::parse_ledger_cursor(text);
    if (!cursor) {
        return make_error(ErrorCode::validation_failed, "before: not a cursor");
    }
    return std::optional(trading::NotificationCursor{cursor->created_at, cursor->transfer_id});
}

void list_notifications(trading::NotificationService& notifications,
                        const RouteRequest& request,
                        httplib::Response& response) {
    auto limit = limit_param(request.http, kPageDefault, kPageMax);
    auto before = before_cursor_param(request.http);
    if (!limit || !before) {
        write_error(response, request, !limit ? limit.error() : before.error());
        return;
    }
    const auto page = notifications.list(request.caller().user_id, *before, *limit);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& notification : page) {
        items.push_back(notification_json(notification));
    }
    nlohmann::json next = nullptr;
    if (page.size() == *limit) {
        next = trading::format_ledger_cursor({page.back().created_at, page.back().id});
    }
    write_json(response, 200, {{"items", items}, {"next_before", next}});
}

}  // namespace

void add_notification_routes(Router& router, trading::NotificationService& notifications) {
    router.add(
        "GET",
        "/user/notifications",
        BodyKind::none,
        [&notifications](const RouteRequest& r, httplib::Response& w) {
            list_notifications(notifications, r, w);
        },
        Access::signed_in());
    router.add(
        "POST",
        "/user/notifications/{id}/read",
        BodyKind::none,
        [&notifications](const RouteRequest& r, httplib::Response& w) {
            auto marked = notifications.mark_read(r.caller().user_id, r.param("id"));
            marked ? write_json(w, 200, notification_json(*marked))
                   : write_error(w, r, marked.error());
        },
        Access::signed_in());
}

}  // namespace gw::http
