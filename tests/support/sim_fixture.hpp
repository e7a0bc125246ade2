#pragma once

// The Daraja simulator for tests: SimFixture runs an in-process Simulator on a free loopback
// port with a throwaway RSA key file, a short callback delay (20 ms), a fixed seed and
// simulated time frozen at the fixture's start (it moves only by advance_clock), and
// CallbackReceiver is the tiny loopback HTTP server that plays the merchant's callback
// endpoint. Both wait by polling with deadlines, never by fixed sleeps.

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <httplib.h>

#include "daraja-sim/simulator.hpp"

namespace gw::test {

// The sandbox test MSISDN of DARAJA.md: the customer the simulator prompts unless told otherwise.
inline constexpr const char* kTestMsisdn = "254708374149";

// A started simulator, stopped when the fixture goes away. Thread-safe as Simulator is.
class SimFixture {
public:
    // Starts the simulator; `adjust` may change the config (port 0, key file, 20 ms delay,
    // seed 7, frozen clock, quiet log) before it starts. Throws what Simulator throws.
    explicit SimFixture(const std::function<void(sim::SimulatorConfig&)>& adjust = {});
    ~SimFixture();
    SimFixture(const SimFixture&) = delete;
    SimFixture& operator=(const SimFixture&) = delete;

    sim::Simulator& simulator() { return *simulator_; }
    const sim::SimulatorConfig& config() const { return config_; }
    std::string base_url() const { return simulator_->base_url(); }

    // Returns true as soon as the simulator has recorded at least `count` delivery attempts
    // (refused ones included), false when `timeout` passes first.
    bool wait_for_callbacks(std::size_t count,
                            std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

    // The RSA key file every fixture of this process shares (made once, 0600).
    static std::filesystem::path shared_key_file();

private:
    sim::SimulatorConfig config_;
    std::unique_ptr<sim::Simulator> simulator_;
};

// What a callback endpoint received.
struct ReceivedPost {
    std::string path;  // with the query string, as sent
    httplib::Headers headers;
    std::string body;
};

// A loopback HTTP server on a free port that records every POST and answers it with
// `status` and {"ResultCode":0,"ResultDesc":"Accepted"}. Thread-safe.
class CallbackReceiver {
public:
    CallbackReceiver();
    ~CallbackReceiver();
    CallbackReceiver(const CallbackReceiver&) = delete;
    CallbackReceiver& operator=(const CallbackReceiver&) = delete;

    // "http://127.0.0.1:<port><path>".
    std::string url(std::string_view path) const;

    // Returns true once at least `count` POSTs arrived, false when `timeout` passes first.
    bool wait_for(std::size_t count,
                  std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

    std::vector<ReceivedPost> received() const;

    // POSTs to `path` (query ignored) received so far.
    std::vector<ReceivedPost> received_at(std::string_view path) const;

    void set_status(int status);

private:
    httplib::Server server_;
    std::thread thread_;
    int port_ = 0;
    mutable std::mutex mutex_;
    mutable std::condition_variable arrived_;
    std::vector<ReceivedPost> received_;  // guarded by mutex_
    int status_ = 200;                    // guarded by mutex_
};

}  // namespace gw::test
