#pragma once

// Tells the on-call channel about critical reconciliation findings: one JSON POST per run to
// GOLDWALLET_ALERT_WEBHOOK_URL (a Slack/Teams/PagerDuty bridge), retried with backoff until it
// is answered 2xx or the attempts run out. The body carries ids, classes and amounts only:
// never a phone number, a name or a secret. Thread-safe (nothing is shared between calls).

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

namespace gw::jobs {

struct AlertSettings {
    std::string webhook_url;  // http://host[:port]/path; empty = alerts off
    int attempts = 4;
    std::chrono::milliseconds first_backoff{500};  // doubled after each failed attempt
    std::chrono::milliseconds timeout{5000};       // per attempt
};

class AlertSender {
public:
    explicit AlertSender(AlertSettings settings);

    bool enabled() const { return !settings_.webhook_url.empty(); }

    // POSTs `alert`; returns whether an attempt was answered 2xx. REQUIRES: enabled().
    bool send(const nlohmann::json& alert) const;

private:
    AlertSettings settings_;
    std::string origin_;  // scheme://host[:port]
    std::string path_;    // "/…", "/" when the URL has none
};

}  // namespace gw::jobs
