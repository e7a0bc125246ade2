#pragma once

// A whole Gold Wallet node for integration tests: the real Application (every service, route
// and middleware) on a fresh migrated database of the test cluster, serving on a free loopback
// port on its own thread, with a ManualClock, throwaway secrets, cheap password hashing and a
// KYC directory of its own. Plus a tiny JSON client for it.

#include <filesystem>
#include <httplib.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "app/config.hpp"
#include "app/secrets.hpp"
#include "app/wiring.hpp"
#include "core/clock.hpp"

namespace gw::test {

// The instant every RunningApp's manual clock starts at (2026-11-18T11:06:40Z, fixed).
TimePoint test_epoch();

// A configuration for tests: port 0, a session cache of `session_cache_ttl`, rate limits high
// enough never to trigger unless a test lowers them.
app::Config test_config(const std::string& connection_string, const std::filesystem::path& kyc_dir);

class RunningApp {
public:
    // Starts a node on a new migrated database. `adjust` may change the config first.
    // `adjust_secrets` may change the secrets (e.g. the M-Pesa credentials) first.
    explicit RunningApp(const std::function<void(app::Config&)>& adjust = {},
                        const std::function<void(app::Secrets&)>& adjust_secrets = {});
    ~RunningApp();
    RunningApp(const RunningApp&) = delete;
    RunningApp& operator=(const RunningApp&) = delete;

    int port() const { return port_; }
    ManualClock& clock() { return clock_; }
    app::Application& application() { return *application_; }
    const std::string& database() const { return database_; }
    const std::filesystem::path& kyc_dir() const { return kyc_dir_; }
    httplib::Client client() const;

    // Runs `sql` on the node's database and returns the first column of the first row as text
    // ("" for NULL or no row). For assertions on what was (not) stored.
    std::string query(const std::string& sql) const;

private:
    ManualClock clock_;
    std::string database_;
    std::filesystem::path kyc_dir_;
    std::unique_ptr<app::Application> application_;
    int port_ = 0;
    std::thread thread_;
};

// JSON over HTTP with an optional bearer token. Responses keep status, headers and body.
struct JsonResponse {
    int status = 0;
    nlohmann::json body;  // null when the body is empty or not JSON
    httplib::Headers headers;
    std::string raw;
};

// Turns an httplib result into a JsonResponse (body as JSON, or null); status 0 when no answer
// came (not a test failure: a node may be dying on purpose).
JsonResponse answer_of(const httplib::Result& result);

// answer_of, and a transport failure fails the test naming `what`.
JsonResponse to_json_response(const httplib::Result& result, const std::string& what);

JsonResponse request_json(const RunningApp& app,
                          const std::string& method,
                          const std::string& path,
                          const nlohmann::json& body = nullptr,
                          const std::string& bearer = {},
                          const httplib::Headers& extra_headers = {});

// The header that makes a POST /trade/buy, /trade/sell or /admin/adjustments happen once.
inline httplib::Headers idempotency_key_header(const std::string& key) {
    return {{"Idempotency-Key", key}};
}

// Registers a user (phone given or derived from a counter) and logs in; returns the login body
// {access_token, refresh_token, …} plus "user_id". Fails the test on any error.
nlohmann::json register_and_login(const RunningApp& app,
                                  const std::string& username,
                                  const std::string& password = "correct horse battery staple");

// Creates a staff account directly through the service and logs in; returns the tokens.
nlohmann::json staff_login(RunningApp& app, const std::string& username, identity::Role role);

}  // namespace gw::test
