#pragma once

// daraja-sim: an M-Pesa Daraja simulator for tests and local runs (DARAJA.md §11). It serves
// the Daraja wire protocol (OAuth, STK Push and Query, B2C, Transaction Status, Account
// Balance), posts callbacks after a delay from one delivery thread, follows scripted customer
// scenarios, and offers a control API under /sim. It listens on loopback only and delivers
// callbacks to loopback hosts only.
//
// Simulator is shared across threads: httplib serves requests on a thread pool, the delivery
// thread settles transactions, and tests call the control methods from their own thread. One
// mutex guards all simulated state; no HTTP I/O ever happens while it is held.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daraja-sim/callbacks.hpp"
#include "daraja-sim/scenarios.hpp"
#include "daraja-sim/statement_export.hpp"
#include "daraja-sim/stk.hpp"
#include "daraja-sim/transaction.hpp"

namespace gw::sim {

// How STK Query answers while a prompt is open (DARAJA.md §5).
enum class PendingQueryShape {
    legacy_http_500,  // "legacy": HTTP 500 500.001.1001 "The transaction is being processed"
    http_200_4999,    // "2025": HTTP 200 with ResultCode "4999"
};

// Returns "legacy" / "2025"; parse returns nullopt for other text.
std::string_view to_string(PendingQueryShape shape);
std::optional<PendingQueryShape> parse_pending_query_shape(std::string_view text);

// Faults injected on every Daraja path (/oauth/…, /mpesa/…); /sim paths are never affected.
enum class OutageMode {
    none,
    refuse_all,  // the connection is closed without any answer
    http_500,    // HTTP 500 500.003.1001 "Internal Server Error"
    garbage,     // HTTP 200 whose body is not JSON
    slow,        // the normal answer after slow_ms
};

std::string_view to_string(OutageMode mode);
std::optional<OutageMode> parse_outage_mode(std::string_view text);

struct Outage {
    OutageMode mode = OutageMode::none;
    std::chrono::milliseconds slow{5000};
};

struct SimulatorConfig {
    std::string host = "127.0.0.1";  // must be 127.0.0.1, ::1 or localhost
    int port = 8089;                 // 0 picks a free port
    std::string shortcode = "174379";
    std::string passkey = std::string(kSandboxPasskey);
    std::string consumer_key = "dev-key";
    std::string consumer_secret = "dev-secret";
    std::string b2c_shortcode = "600980";
    std::string initiator_name = "testapi";
    std::string initiator_password = "Safaricom999!*!";
    // The RSA private key PEM; made (2048-bit, mode 0600) when missing. Empty: a key that
    // lives in memory for this run only.
    std::filesystem::path key_file;
    std::chrono::milliseconds callback_delay{1000};
    std::uint64_t seed = 1;
    // When set, transactions and balances are saved here after every change and loaded at
    // start, so a restart keeps the statement.
    std::filesystem::path state_file;
    PendingQueryShape pending_query_shape = PendingQueryShape::legacy_http_500;
    std::int64_t token_ttl_seconds = 3600;
    bool new_token_revokes_old = false;
    std::int64_t b2c_float_kes = 1'000'000;  // the Utility Account's opening balance
    // When set, simulated time starts here and moves only through advance_clock(), so tests
    // get exact token expiry, rule 17 and daily-limit boundaries. Unset: the system clock.
    std::optional<TimePoint> frozen_clock_at;
    std::vector<ScenarioAssignment> scenarios;  // --scenario flags, applied at start
    DeliverySettings delivery;
    std::size_t worker_threads = 8;
    // Receives one line per request (masked, no secrets). Empty: lines go to stderr.
    std::function<void(std::string_view)> log_line;
};

// Throws std::invalid_argument naming the first bad setting: a non-loopback host, a port
// outside 0..65535, a negative delay, a TTL < 2 s, a negative float, shortcodes that are not
// 5-7 digits, empty credentials.
void validate_config(const SimulatorConfig& config);

class Simulator {
public:
    // Validates `config` (see validate_config), loads or makes the RSA key and loads the state
    // file when set. Throws std::invalid_argument / std::runtime_error on failure.
    explicit Simulator(SimulatorConfig config);
    ~Simulator();  // stop()
    Simulator(const Simulator&) = delete;
    Simulator& operator=(const Simulator&) = delete;

    // Binds the port and starts the server and delivery threads; returns once listening.
    // Throws std::runtime_error when the port cannot be bound. REQUIRES: called once.
    void start();

    // Stops serving and delivering; queued callbacks are dropped. Idempotent.
    void stop();

    // The bound port (the real one when configured with port 0). REQUIRES: start() returned.
    int port() const;

    // "http://127.0.0.1:<port>" (IPv6 hosts in brackets).
    std::string base_url() const;

    // A fresh SecurityCredential for the configured initiator password (randomised).
    std::string security_credential() const;

    // The public key PEM callers would encrypt with (GET /sim/certificate).
    std::string public_key_pem() const;

    // Scenarios per MSISDN (any form normalize_msisdn takes) or "default". Returns false, and
    // changes nothing, when the number is invalid.
    [[nodiscard]] bool set_stk_scenario(std::string_view msisdn, StkScenario scenario);
    [[nodiscard]] bool set_b2c_scenario(std::string_view msisdn, B2cScenario scenario);
    [[nodiscard]] bool clear_scenarios(std::string_view msisdn);

    // Moves simulated time forward (token expiry, rule 17, daily limits, ids). REQUIRES: ≥ 0.
    void advance_clock(std::chrono::seconds by);
    TimePoint now() const;

    // Kills every live OAuth token.
    void expire_tokens();

    void set_outage(Outage outage);
    void set_callback_delay(std::chrono::milliseconds delay);
    void set_pending_query_shape(PendingQueryShape shape);

    // The simulated phone: answers an open prompt now (accept applies the limits, so the
    // result may still be 3, 4 or 17). Returns false when the id is unknown or already final.
    [[nodiscard]] bool accept(std::string_view checkout_request_id);
    [[nodiscard]] bool cancel(std::string_view checkout_request_id);

    // Copies of every STK and B2C record, oldest first.
    std::vector<Transaction> transactions() const;
    // Every delivery attempt so far, oldest first.
    std::vector<DeliveryAttempt> callbacks() const;
    std::size_t callback_count() const;

    // The portal export of `shortcode` (the STK shortcode's paybill account or the B2C
    // shortcode's utility account) for Nairobi days [from, to]. Returns nullopt for another
    // shortcode or from > to.
    std::optional<StatementFile> statement_csv(std::string_view shortcode,
                                               std::chrono::sys_days from,
                                               std::chrono::sys_days to) const;

    // Forgets transactions, callbacks, tokens, scenarios and the clock offset; balances return
    // to their opening values; queued callbacks are dropped. Settings stay.
    void reset();

    class Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace gw::sim
