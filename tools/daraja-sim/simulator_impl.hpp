#pragma once

// The inside of Simulator (simulator.hpp): state, routing and the handlers, split by area over
// simulator.cpp (lifecycle, routing, outages, logging), daraja_routes.cpp (the Daraja API),
// settlement.cpp (what the simulated customer and back end do, and when) and
// control_routes.cpp (the /sim control API). Internal to daraja_sim_lib.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "daraja-sim/b2c.hpp"
#include "daraja-sim/b2c_queries.hpp"
#include "daraja-sim/callbacks.hpp"
#include "daraja-sim/ids.hpp"
#include "daraja-sim/nairobi_time.hpp"
#include "daraja-sim/oauth.hpp"
#include "daraja-sim/scenarios.hpp"
#include "daraja-sim/security_credential.hpp"
#include "daraja-sim/simulator.hpp"
#include "daraja-sim/transaction.hpp"
#include "daraja-sim/wire.hpp"

namespace gw::sim {

// The most transactions kept; beyond it new requests answer "System is busy" (STYLE 11).
inline constexpr std::size_t kTransactionsMax = 100'000;

// How long a late_callback waits relative to the callback delay, and at least.
inline constexpr int kLateCallbackFactor = 5;
inline constexpr std::chrono::milliseconds kLateCallbackMin{250};

// How an invalid bearer token is answered; Daraja words it per product (DARAJA.md §2).
enum class TokenErrorStyle { stk, b2c, status };

// Who closes an open STK prompt.
enum class PromptAnswer { scripted, accept, cancel };

// Everything the simulator knows. Guarded by Simulator::Impl::mutex_.
struct SimState {
    SimState(std::uint64_t seed, TokenPolicy policy) : ids(seed), tokens(policy) {}

    IdGenerator ids;
    TokenStore tokens;
    ScenarioBook scenarios;
    std::vector<Transaction> transactions;
    std::map<std::string, std::int64_t> balances_kes;  // shortcode -> balance
    std::chrono::milliseconds callback_delay{0};
    PendingQueryShape pending_shape = PendingQueryShape::legacy_http_500;
    Outage outage;
};

class Simulator::Impl {
public:
    explicit Impl(SimulatorConfig config);
    ~Impl();
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    void start();
    void stop();
    int port() const { return port_; }
    std::string base_url() const;
    const SimulatorConfig& config() const { return config_; }
    const RsaKey& key() const { return key_; }
    SimClock& clock() { return clock_; }

    // Control operations (control_routes.cpp), shared by the C++ API and /sim.
    bool apply_scenario(const std::string& msisdn_text,
                        std::optional<StkScenario> stk,
                        std::optional<B2cScenario> b2c);
    bool clear_scenarios(const std::string& msisdn_text);
    void expire_tokens();
    void set_outage(Outage outage);
    void set_callback_delay(std::chrono::milliseconds delay);
    void set_pending_query_shape(PendingQueryShape shape);
    bool answer_prompt(std::string_view checkout_request_id, PromptAnswer answer);
    std::vector<Transaction> transactions() const;
    std::optional<StatementFile> statement(std::string_view shortcode,
                                           std::chrono::sys_days from,
                                           std::chrono::sys_days to) const;
    void reset();
    CallbackDispatcher& dispatcher() { return dispatcher_; }

private:
    using Captures = std::vector<std::string>;
    using Handler =
        std::function<void(const httplib::Request&, httplib::Response&, const Captures&)>;
    struct Route {
        std::string method;
        std::regex pattern;
        Handler handler;
    };

    // simulator.cpp
    void install_transport();
    void dispatch(const httplib::Request& request, httplib::Response& response);
    bool apply_outage(const httplib::Request& request, httplib::Response& response);
    void log_request(const httplib::Request& request, const httplib::Response& response) const;
    void log(std::string_view line) const;
    void save_locked() const;
    void restore_saved_state();
    std::map<std::string, std::int64_t> opening_balances() const;

    // daraja_routes.cpp
    void add_daraja_routes();
    void send_error(httplib::Response& response, const DarajaError& error);
    bool check_bearer(const httplib::Request& request,
                      httplib::Response& response,
                      TokenErrorStyle style);
    std::optional<nlohmann::json> read_json(const httplib::Request& request,
                                            httplib::Response& response);
    void handle_oauth(const httplib::Request& request, httplib::Response& response);
    void handle_stk_push(const httplib::Request& request, httplib::Response& response);
    void handle_stk_query(const httplib::Request& request, httplib::Response& response);
    void handle_b2c(const httplib::Request& request,
                    httplib::Response& response,
                    B2cApiVersion version);
    void handle_status_query(const httplib::Request& request, httplib::Response& response);
    void handle_balance_query(const httplib::Request& request, httplib::Response& response);

    // settlement.cpp: REQUIRES mutex_ held for *_locked.
    void begin_stk_locked(Transaction& transaction);
    void settle_stk_locked(Transaction& transaction, PromptAnswer answer);
    void on_stk_timer(const std::string& checkout_request_id);
    void settle_b2c(const std::string& conversation_id);
    void settle_status_query(const StatusQueryRequest& request,
                             const QueryIds& ids,
                             bool initiator_valid);
    void settle_balance_query(const BalanceQueryRequest& request,
                              const QueryIds& ids,
                              bool initiator_valid);
    Transaction* find_locked(std::string_view id);
    void complete_locked(Transaction& transaction, std::int64_t signed_amount_kes);
    void fail_locked(Transaction& transaction, const ResultOutcome& outcome);

    // control_routes.cpp
    void add_control_routes();
    void control_list_scenarios(const httplib::Request&, httplib::Response&, const Captures&);
    void control_put_scenario(const httplib::Request&, httplib::Response&, const Captures&);
    void control_delete_scenario(const httplib::Request&, httplib::Response&, const Captures&);
    void control_advance_clock(const httplib::Request&, httplib::Response&, const Captures&);
    void control_expire_tokens(const httplib::Request&, httplib::Response&, const Captures&);
    void control_config(const httplib::Request&, httplib::Response&, const Captures&);
    void control_outage(const httplib::Request&, httplib::Response&, const Captures&);
    void control_answer_prompt(const httplib::Request&, httplib::Response&, const Captures&);
    void control_reset(const httplib::Request&, httplib::Response&, const Captures&);
    void control_transactions(const httplib::Request&, httplib::Response&, const Captures&);
    void control_callbacks(const httplib::Request&, httplib::Response&, const Captures&);
    void control_certificate(const httplib::Request&, httplib::Response&, const Captures&);
    void control_statement(const httplib::Request&, httplib::Response&, const Captures&);

    const SimulatorConfig config_;
    const RsaKey key_;
    SimClock clock_;
    CallbackDispatcher dispatcher_;
    std::vector<Route> routes_;  // fixed after construction
    std::unique_ptr<httplib::Server> server_;
    std::thread server_thread_;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::mutex outage_wait_mutex_;
    std::condition_variable outage_wait_;  // wakes slow answers on stop()

    mutable std::mutex mutex_;
    SimState state_;  // guarded by mutex_
};

}  // namespace gw::sim
