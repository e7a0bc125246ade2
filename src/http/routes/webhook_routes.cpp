#include "http/routes/webhook_routes.hpp"

#include "http/route_support.hpp"

namespace gw::http {
namespace {

constexpr std::string_view kAccepted = R"({"ResultCode":0,"ResultDesc":"Accepted"})";

Handler callback_handler(mpesa::CallbackIntake& intake,
                         mpesa::CallbackKind kind,
                         std::size_t body_bytes_max) {
    return
        [&intake, kind, body_bytes_max](const RouteRequest& request, httplib::Response& response) {
            if (request.http.body.size() > body_bytes_max) {
                write_error(response,
                            request,
                            Error{ErrorCode::payload_too_large,
                                  "callback bodies are limited to " +
                                      std::to_string(body_bytes_max) + " bytes"});
                return;
            }
            const auto token = request.path_params.find("token");
            intake.receive(mpesa::IncomingCallback{
                .kind = kind,
                .token = token == request.path_params.end() ? std::string() : token->second,
                .source_ip = request.http.remote_addr,
                .body = request.http.body});
            response.set_content(std::string(kAccepted), "application/json");
        };
}

}  // namespace

void add_webhook_routes(Router& router, mpesa::CallbackIntake& intake, std::size_t body_bytes_max) {
    using mpesa::CallbackKind;
    const std::vector<std::tuple<std::string, std::string, CallbackKind>> routes = {
        {"/hooks/lnm/{token}", "/webhooks/mpesa/stk/{token}", CallbackKind::stk},
        {"/hooks/payout/result/{token}",
         "/webhooks/mpesa/b2c/result/{token}",
         CallbackKind::b2c_result},
        {"/hooks/payout/timeout/{token}",
         "/webhooks/mpesa/b2c/timeout/{token}",
         CallbackKind::b2c_timeout},
        {"/hooks/payout/status/{token}",
         "/webhooks/mpesa/status/result/{token}",
         CallbackKind::status_result},
        {"/hooks/payout/status-timeout/{token}",
         "/webhooks/mpesa/status/timeout/{token}",
         CallbackKind::status_timeout},
    };
    for (const auto& [neutral, seed, kind] : routes) {
        router.add("POST", neutral, BodyKind::none, callback_handler(intake, kind, body_bytes_max));
        router.add("POST", seed, BodyKind::none, callback_handler(intake, kind, body_bytes_max));
    }
    router.add("POST",
               "/webhooks/mpesa/stk",
               BodyKind::none,
               callback_handler(intake, CallbackKind::stk, body_bytes_max));
}

}  // namespace gw::http
