#pragma once

// The Daraja client: OAuth client-credentials, STK Push, STK Query, B2C payment and
// Transaction Status over HTTP(S), with TLS verification on. It knows a base URL and
// credentials, nothing else, so the simulator and Safaricom look the same to it.
//
// Tokens are cached until `token_refresh_margin` before they expire and shared by all callers
// (Daraja may invalidate the previous token when a new one is issued). When Daraja answers
// that the token is invalid, the client fetches a new one and retries that request once.
//
// Every call returns the answer plus the exchanges it made (redacted request, reply, timing),
// which the caller persists (mpesa_requests/mpesa_exchanges); each exchange is also logged as
// one line without secrets, full phone numbers or bodies, and counted in metrics.
//
// Thread-safe: one client serves every thread; each call opens its own connection, and the
// token cache is guarded by `token_mutex_`. No call ever happens inside a database transaction.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "mpesa/daraja_messages.hpp"
#include "mpesa/settings.hpp"
#include "observability/metrics.hpp"

namespace gw::mpesa {

// One request/response pair as sent and received, fit to store: secrets redacted, MSISDNs
// masked, the OAuth token never kept.
struct Exchange {
    std::string operation;  // "oauth", "stk_push", "stk_query", "b2c_payment", "transaction_status"
    std::string path;
    nlohmann::json request;  // redacted; null for OAuth
    Reply reply;             // body emptied for OAuth
    TimePoint started_at;
    std::chrono::microseconds duration{0};
};

template <typename Answer>
struct Call {
    Answer answer;
    std::vector<Exchange> exchanges;
};

class DarajaClient {
public:
    // REQUIRES: `clock` and `metrics` outlive the client.
    DarajaClient(Settings settings,
                 Credentials credentials,
                 const Clock& clock,
                 obs::MetricsRegistry& metrics);
    DarajaClient(const DarajaClient&) = delete;
    DarajaClient& operator=(const DarajaClient&) = delete;

    const Settings& settings() const { return settings_; }

    // Sends an STK Push. A body we refuse to send (see stk_push_body) comes back as the Error;
    // otherwise the answer's certainty says what Daraja did.
    [[nodiscard]] Result<Call<StkPushAnswer>> stk_push(const StkPushOrder& order);

    // Asks for the state of an STK Push.
    Call<StkQueryAnswer> stk_query(std::string_view checkout_request_id);

    // Sends a B2C payment request; the Result comes later on order.result_url.
    [[nodiscard]] Result<Call<AsyncAnswer>> b2c_payment(const B2cOrder& order);

    // Asks for the status of a payment by receipt and/or originator conversation id; the
    // Result comes later on query.result_url.
    Call<AsyncAnswer> transaction_status(const StatusQuery& query);

    // Forgets the cached token (tests; an operator rotating credentials).
    void forget_token_for_test();

private:
    // POSTs `body` to `path` with a bearer token; on an invalid-token answer refreshes the
    // token and retries once. Appends every exchange (token fetches included) to `exchanges`.
    Reply post(std::string_view operation,
               const std::string& path,
               const nlohmann::json& body,
               std::vector<Exchange>& exchanges);

    // Returns a live token: the cached one unless it is near expiry or equals `rejected` (a
    // token Daraja just refused), else a fresh one; nullopt when OAuth failed.
    std::optional<std::string> bearer_token(const std::string& rejected,
                                            std::vector<Exchange>& exchanges);

    // Performs one HTTP exchange. Never throws for network trouble.
    Reply send(const std::string& method,
               const std::string& path,
               const std::string& authorization,
               const std::string& body) const;

    void record(Exchange exchange, std::vector<Exchange>& exchanges);

    Settings settings_;
    Credentials credentials_;
    const Clock& clock_;
    obs::MetricsRegistry& metrics_;

    std::mutex token_mutex_;
    std::string token_;           // guarded by token_mutex_
    TimePoint token_expires_at_;  // guarded by token_mutex_
};

}  // namespace gw::mpesa
