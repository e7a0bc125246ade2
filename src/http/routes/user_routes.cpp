#include "http/routes/user_routes.hpp"

#include "http/requests/kyc_upload_request.hpp"
#include "http/route_support.hpp"
#include "http/routes/auth_routes.hpp"

namespace gw::http {
namespace {

nlohmann::json limit_json(const identity::TradeLimit& limit) {
    return {{"per_trade_kes", format_kes(limit.per_trade)}, {"per_day_kes", format_kes(limit.per_day)}};
}

void upload_document(identity::KycService& kyc, const RouteRequest& request,
                     httplib::Response& response) {
    auto upload = decode_kyc_upload(request.http.files);
    auto stored = upload ? kyc.upload(request.caller(), upload->doc_type, upload->content,
                                      std::string(request.request_id))
                         : Result<identity::KycDocumentView>(upload.error());
    if (!stored) {
        write_error(response, request, stored.error());
        return;
    }
    write_json(response, 201, kyc_document_json(*stored));
}

}  // namespace

nlohmann::json kyc_document_json(const identity::KycDocumentView& document) {
    return {{"id", document.id},
            {"doc_type", document.doc_type},
            {"content_type", document.content_type},
            {"size_bytes", document.size_bytes},
            {"uploaded_at", document.uploaded_at}};
}

nlohmann::json kyc_status_json(const identity::KycStatusView& status) {
    nlohmann::json documents = nlohmann::json::array();
    for (const auto& document : status.documents) {
        documents.push_back(kyc_document_json(document));
    }
    return {{"status", to_string(status.status)},
            {"rejection_reason", status.reason.empty() ? nlohmann::json() : nlohmann::json(status.reason)},
            {"documents", documents},
            {"missing", status.missing}};
}

void add_user_routes(Router& router, identity::AccountService& accounts, identity::KycService& kyc,
                     identity::TradeLimits& limits) {
    router.add("GET", "/user/me", BodyKind::none,
               [&accounts](const RouteRequest& request, httplib::Response& response) {
                   auto account = accounts.profile(request.caller().user_id);
                   account ? write_json(response, 200, account_json(*account))
                           : write_error(response, request, account.error());
               },
               Access::signed_in());
    router.add("DELETE", "/user/me", BodyKind::none,
               [&accounts](const RouteRequest& request, httplib::Response& response) {
                   auto closed = accounts.close_account(request.caller(), std::string(request.request_id));
                   if (!closed) {
                       write_error(response, request, closed.error());
                       return;
                   }
                   response.status = 204;
               },
               Access::signed_in());
    router.add("GET", "/user/me/export", BodyKind::none,
               [&accounts](const RouteRequest& request, httplib::Response& response) {
                   auto exported = accounts.export_data(request.caller());
                   if (!exported) {
                       write_error(response, request, exported.error());
                       return;
                   }
                   response.set_header("Cache-Control", "no-store");
                   response.set_header("Content-Disposition", "attachment; filename=\"goldwallet-data.json\"");
                   write_json(response, 200, *exported);
               },
               Access::signed_in());
    router.add("GET", "/user/limits", BodyKind::none,
               [&limits](const RouteRequest& request, httplib::Response& response) {
                   auto found = limits.for_user(request.caller().user_id);
                   if (!found) {
                       write_error(response, request, found.error());
                       return;
                   }
                   write_json(response, 200,
                              {{"kyc_status", to_string(found->kyc_status)},
                               {"buy", limit_json(found->buy)},
                               {"sell", limit_json(found->sell)}});
               },
               Access::signed_in());
    router.add("POST", "/user/kyc/upload", BodyKind::multipart,
               [&kyc](const RouteRequest& request, httplib::Response& response) {
                   upload_document(kyc, request, response);
               },
               Access::signed_in());
    router.add("GET", "/user/kyc/status", BodyKind::none,
               [&kyc](const RouteRequest& request, httplib::Response& response) {
                   auto status = kyc.status(request.caller().user_id);
                   status ? write_json(response, 200, kyc_status_json(*status))
                          : write_error(response, request, status.error());
               },
               Access::signed_in());
}

}  // namespace gw::http
