#include "jobs/alert_sender.hpp"

#include <httplib.h>
#include <thread>

#include "observability/log.hpp"

namespace gw::jobs {

AlertSender::AlertSender(AlertSettings settings) : settings_(std::move(settings)) {
    const std::string& url = settings_.webhook_url;
    const auto scheme_end = url.find("://");
    const auto path_start = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
    origin_ = url.substr(0, path_start);
    path_ = path_start == std::string::npos ? "/" : url.substr(path_start);
}

bool AlertSender::send(const nlohmann::json& alert) const {
    const std::string body = alert.dump();
    auto backoff = settings_.first_backoff;
    for (int attempt = 1; attempt <= settings_.attempts; ++attempt) {
        httplib::Client client(origin_);
        client.set_connection_timeout(settings_.timeout);
        client.set_read_timeout(settings_.timeout);
        client.set_write_timeout(settings_.timeout);
        const auto response = client.Post(path_, body, "application/json");
        if (response && response->status >= 200 && response->status < 300) {
            obs::log_info("alert.sent", {{"attempt", attempt}});
            return true;
        }
        obs::log_warn("alert.attempt_failed",
                      {{"attempt", attempt},
                       {"status", response ? response->status : 0},
                       {"error", response ? std::string() : httplib::to_string(response.error())}});
        if (attempt < settings_.attempts) {
            std::this_thread::sleep_for(backoff);
            backoff *= 2;
        }
    }
    obs::log_error("alert.undelivered", {{"attempts", settings_.attempts}});
    return false;
}

}  // namespace gw::jobs
