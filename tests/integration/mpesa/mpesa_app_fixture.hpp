#pragma once

// A serving node wired to a daraja-sim, for the M-Pesa integration tests: the node's callbacks
// come from the simulator over HTTP, exactly as they would from Daraja.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "mpesa/callback_intake.hpp"
#include "support/app_fixture.hpp"
#include "support/sim_fixture.hpp"

namespace gw::test {

// Counts the final results the intake reports, as trading will receive them.
class CountingListener final : public mpesa::ResultListener {
public:
    void on_final_result(pqxx::work&,
                         const mpesa::MpesaRequest&,
                         const mpesa::FinalResult& result) override {
        ++calls;
        if (result.succeeded) {
            ++paid;
        }
    }
    std::atomic<int> calls{0};
    std::atomic<int> paid{0};
};

struct MpesaAppOptions {
    bool confirm_by_query = false;
    std::vector<std::string> allowlist;
    bool bad_security_credential = false;  // one that does not decrypt to the initiator password
};

class MpesaApp {
public:
    explicit MpesaApp(MpesaAppOptions options = {});

    SimFixture& sim() { return sim_; }
    RunningApp& app() { return *app_; }
    mpesa::MpesaGateway& gateway() { return app_->application().mpesa(); }
    CountingListener& listener() { return listener_; }

    // Sends an STK Push of `shillings` from `phone` through the gateway; returns the request id.
    std::string push(std::int64_t shillings, const std::string& phone);

    // An STK Push whose callback beats the record of Daraja's answer: pushed (the simulator's
    // customer waiting), put back to `created` as between storing and recording the answer,
    // then paid. Returns the request id; fails the test when a step does not happen.
    std::string push_paid_before_answer(std::int64_t shillings, const std::string& phone);

    // Polls the request's status until it equals `status` or `timeout` passes; returns the last
    // status seen.
    std::string wait_for_status(const std::string& request_id,
                                const std::string& status,
                                std::chrono::milliseconds timeout = std::chrono::seconds(10));

    // Polls until the node has stored `count` webhook events (or `timeout` passes).
    int wait_for_events(int count, std::chrono::milliseconds timeout = std::chrono::seconds(10));

    std::string column(const std::string& request_id, const std::string& column);

    // The outcomes recorded for the events of this request's tokens, oldest first; `deferred`
    // ones (a callback that beat the gateway's record step, a timing accident) only on request.
    std::vector<std::string> outcomes(const std::string& request_id, bool include_deferred = false);

    // A reference no other request of this fixture uses.
    std::string next_reference(std::string_view prefix) {
        return std::string(prefix) + std::to_string(++references_);
    }

    // Every outcome of every event, oldest first.
    std::vector<std::string> all_outcomes();

private:
    SimFixture sim_;
    CountingListener listener_;
    std::unique_ptr<RunningApp> app_;
    int references_ = 0;
};

}  // namespace gw::test
