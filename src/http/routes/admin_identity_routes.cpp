#include "http/routes/admin_identity_routes.hpp"

#include "http/requests/admin_requests.hpp"
#include "http/route_support.hpp"
#include "http/routes/user_routes.hpp"
#include "identity/uuid.hpp"

namespace gw::http {
namespace {

using identity::Role;

constexpr std::size_t kPageDefault = 50;
constexpr std::size_t kPageMax = 100;

identity::Actor actor_of(const RouteRequest& request) {
    return identity::Actor::of(request.caller(), std::string(request.request_id));
}

void kyc_queue(identity::KycService& kyc, const RouteRequest& request, httplib::Response& response) {
    const auto status = identity::parse_kyc_status(
        request.http.has_param("status") ? request.http.get_param_value("status") : "pending");
    auto limit = limit_param(request.http, kPageDefault, kPageMax);
    const std::string before = request.http.get_param_value("before");
    if (!status || !limit || (!before.empty() && !identity::is_uuid(before))) {
        write_error(response, request,
                    !limit ? limit.error()
                           : Error{ErrorCode::validation_failed,
                                   status ? "before: not a cursor" : "status: pending, verified or rejected"});
        return;
    }
    const auto page = kyc.queue(*status, before.empty() ? std::nullopt : std::optional(before), *limit);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& item : page.items) {
        nlohmann::json documents = nlohmann::json::array();
        for (const auto& document : item.documents) {
            documents.push_back(kyc_document_json(document));
        }
        items.push_back({{"user_id", item.user.user_id},
                         {"username", item.user.username},
                         {"email", item.user.email},
                         {"kyc_status", to_string(item.user.kyc_status)},
                         {"created_at", item.user.created_at},
                         {"documents", documents}});
    }
    write_json(response, 200,
               {{"items", items},
                {"next_before", page.next_before ? nlohmann::json(*page.next_before) : nlohmann::json()}});
}

void kyc_document(identity::KycService& kyc, const RouteRequest& request, httplib::Response& response) {
    const std::string& user_id = request.param("user_id");
    const std::string& document_id = request.param("doc_id");
    if (!identity::is_uuid(user_id) || !identity::is_uuid(document_id)) {
        write_error(response, request, Error{ErrorCode::not_found, "no such document"});
        return;
    }
    auto file = kyc.read_document(actor_of(request), user_id, document_id);
    if (!file) {
        write_error(response, request, file.error());
        return;
    }
    response.set_header("Cache-Control", "no-store");
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Content-Disposition", "inline");
    response.set_content(std::move(file->bytes), file->content_type);
}

void kyc_decision(identity::KycService& kyc, const RouteRequest& request, httplib::Response& response) {
    const std::string& user_id = request.param("user_id");
    auto decision = decode_kyc_decision(request.json);
    if (!decision) {
        write_error(response, request, decision.error());
        return;
    }
    if (!identity::is_uuid(user_id)) {
        write_error(response, request, Error{ErrorCode::not_found, "no such account"});
        return;
    }
    auto decided = kyc.decide(actor_of(request), user_id, decision->status, decision->reason);
    decided ? write_json(response, 200, kyc_status_json(*decided))
            : write_error(response, request, decided.error());
}

void audit_page(identity::AuditLog& audit, const RouteRequest& request, httplib::Response& response) {
    auto limit = limit_param(request.http, kPageDefault, kPageMax);
    auto before = before_id_param(request.http);
    if (!limit || !before) {
        write_error(response, request, !limit ? limit.error() : before.error());
        return;
    }
    const auto records = audit.page(*before, *limit);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& record : records) {
        items.push_back(record.json);
    }
    const bool more = records.size() == *limit;
    write_json(response, 200,
               {{"items", items}, {"next_before", more ? nlohmann::json(records.back().id) : nlohmann::json()}});
}

nlohmann::json limits_json(const std::vector<identity::TradeLimit>& limits) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& limit : limits) {
        items.push_back({{"kyc_status", to_string(limit.kyc_status)},
                         {"side", to_string(limit.side)},
                         {"per_trade_kes", format_kes(limit.per_trade)},
                         {"per_day_kes", format_kes(limit.per_day)}});
    }
    return {{"items", items}};
}

void update_limit(identity::TradeLimits& limits, const RouteRequest& request, httplib::Response& response) {
    auto update = decode_limit_update(request.json);
    if (!update) {
        write_error(response, request, update.error());
        return;
    }
    auto updated = limits.update(actor_of(request), update->limit, update->reason);
    updated ? write_json(response, 200, limits_json({*updated})["items"][0])
            : write_error(response, request, updated.error());
}

}  // namespace

void add_admin_identity_routes(Router& router, identity::KycService& kyc,
                               identity::TradeLimits& limits, identity::AuditLog& audit) {
    const Access reviewers = Access::only({Role::admin, Role::kyc_reviewer});
    const Access admins = Access::only({Role::admin});
    router.add("GET", "/admin/kyc", BodyKind::none,
               [&kyc](const RouteRequest& r, httplib::Response& w) { kyc_queue(kyc, r, w); }, reviewers);
    router.add("GET", "/admin/kyc/{user_id}/documents/{doc_id}", BodyKind::none,
               [&kyc](const RouteRequest& r, httplib::Response& w) { kyc_document(kyc, r, w); }, reviewers);
    router.add("POST", "/admin/kyc/{user_id}/decision", BodyKind::json,
               [&kyc](const RouteRequest& r, httplib::Response& w) { kyc_decision(kyc, r, w); }, reviewers);
    router.add("GET", "/admin/audit", BodyKind::none,
               [&audit](const RouteRequest& r, httplib::Response& w) { audit_page(audit, r, w); }, admins);
    router.add("GET", "/admin/limits", BodyKind::none,
               [&limits](const RouteRequest&, httplib::Response& w) { write_json(w, 200, limits_json(limits.all())); },
               admins);
    router.add("PUT", "/admin/limits", BodyKind::json,
               [&limits](const RouteRequest& r, httplib::Response& w) { update_limit(limits, r, w); }, admins);
}

}  // namespace gw::http
