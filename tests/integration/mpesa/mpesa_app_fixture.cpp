#include "mpesa_app_fixture.hpp"

#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

namespace gw::test {

MpesaApp::MpesaApp(MpesaAppOptions options) {
    app_ = std::make_unique<RunningApp>(
        [&](app::Config& config) {
            config.mpesa.base_url = sim_.base_url();
            config.mpesa.confirm_by_query = options.confirm_by_query;
            config.mpesa.callback_allowed_cidrs = options.allowlist;
        },
        [&](app::Secrets& secrets) {
            secrets.mpesa.security_credential = mpesa::Credential(
                options.bad_security_credential ? "bm90IGEgY3JlZGVudGlhbA=="
                                                : sim_.simulator().security_credential());
        });
    app_->application().callbacks().set_listener(&listener_);
    // Long enough that the gateway has recorded Daraja's answer before the callback comes
    // (a callback that beats it is deferred; wait_for_status runs the retry job anyway).
    sim_.simulator().set_callback_delay(std::chrono::milliseconds(150));
}

std::string MpesaApp::push(std::int64_t shillings, const std::string& phone) {
    auto sent = gateway().push_stk({.reference = "trade-" + std::to_string(++references_),
                                    .amount = Cents{shillings * 100},
                                    .msisdn = phone,
                                    .account_reference = "GW1",
                                    .description = "Gold purchase"});
    EXPECT_TRUE(sent.has_value());
    return sent.has_value() ? sent->request_id : std::string();
}

std::string MpesaApp::push_paid_before_answer(std::int64_t shillings, const std::string& phone) {
    EXPECT_TRUE(sim_.simulator().set_stk_scenario(phone, sim::StkScenario::manual));
    const std::string id = push(shillings, phone);
    EXPECT_EQ(wait_for_status(id, "accepted"), "accepted");
    const std::string checkout = column(id, "checkout_request_id");
    app_->query("UPDATE mpesa_requests SET status = 'created' WHERE id = '" + id + "' RETURNING 1");
    EXPECT_TRUE(sim_.simulator().accept(checkout));
    return id;
}

std::string MpesaApp::column(const std::string& request_id, const std::string& name) {
    return app_->query("SELECT " + name + " FROM mpesa_requests WHERE id = '" + request_id + "'");
}

std::string MpesaApp::wait_for_status(const std::string& request_id,
                                      const std::string& status,
                                      std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string seen = column(request_id, "status");
    while (seen != status && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        // What serve's webhook job would do: finish deferred or confirm-by-query events.
        app_->application().callbacks().retry_pending(std::chrono::seconds(0), 100);
        seen = column(request_id, "status");
    }
    return seen;
}

int MpesaApp::wait_for_events(int count, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto stored = [&] {
        // An event counts once its outcome is recorded: processing has finished.
        return std::stoi(app_->query("SELECT count(DISTINCT event_id) FROM webhook_outcomes"));
    };
    int seen = stored();
    while (seen < count && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        seen = stored();
    }
    return seen;
}

std::vector<std::string> MpesaApp::outcomes(const std::string& request_id, bool include_deferred) {
    pqxx::connection connection(app_->database());
    pqxx::read_transaction tx(connection);
    std::vector<std::string> found;
    for (const auto& row : tx.exec_params(
             "SELECT o.outcome FROM webhook_outcomes o JOIN webhook_events e ON e.id = o.event_id "
             "JOIN mpesa_requests r ON r.callback_token_hash = e.token_hash "
             "OR r.status_token_hash = e.token_hash WHERE r.id = $1::uuid ORDER BY o.id",
             request_id)) {
        if (include_deferred || row[0].as<std::string>() != "deferred") {
            found.push_back(row[0].as<std::string>());
        }
    }
    return found;
}

std::vector<std::string> MpesaApp::all_outcomes() {
    pqxx::connection connection(app_->database());
    pqxx::read_transaction tx(connection);
    std::vector<std::string> found;
    for (const auto& row : tx.exec("SELECT outcome FROM webhook_outcomes ORDER BY id")) {
        found.push_back(row[0].as<std::string>());
    }
    return found;
}

}  // namespace gw::test
