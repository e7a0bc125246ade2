#include "daraja-sim/simulator.hpp"

#include <charconv>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "core/assert.hpp"
#include "daraja-sim/customers.hpp"
#include "daraja-sim/simulator_impl.hpp"
#include "daraja-sim/state_file.hpp"
#include "daraja-sim/url.hpp"

namespace gw::sim {
namespace {

constexpr int kPortMax = 65535;
constexpr std::int64_t kTokenTtlSecondsMin = 2;
constexpr std::string_view kGarbageBody = "<html><body>upstream glitch}{\"Respo";

bool is_allowed_host(std::string_view host) {
    return host == "127.0.0.1" || host == "::1" || host == "localhost";
}

bool is_shortcode(std::string_view text) {
    return text.size() >= 5 && all_digits(text, 7);
}

// The port of a socket address, or -1 for anything but IPv4/IPv6.
int port_of(const sockaddr_storage& address) {
    if (address.ss_family == AF_INET) {
        return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
    }
    if (address.ss_family == AF_INET6) {
        return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
    }
    return -1;
}

// Shuts down the accepted connection between our `local_port` and the client's `remote_port`,
// so the client sees the connection close with no answer at all (OutageMode::refuse_all).
// httplib gives handlers no socket, so the descriptor is found among this process's sockets.
void drop_connection(int local_port, int remote_port) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", error)) {
        const std::string name = entry.path().filename().string();
        int fd = -1;
        std::from_chars(name.data(), name.data() + name.size(), fd);
        sockaddr_storage local{};
        sockaddr_storage peer{};
        socklen_t local_size = sizeof(local);
        socklen_t peer_size = sizeof(peer);
        if (fd <= 2 || getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0 ||
            getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0) {
            continue;
        }
        if (port_of(local) == local_port && port_of(peer) == remote_port) {
            shutdown(fd, SHUT_RDWR);
        }
    }
}

}  // namespace

std::string_view to_string(PendingQueryShape shape) {
    return shape == PendingQueryShape::http_200_4999 ? "2025" : "legacy";
}

std::optional<PendingQueryShape> parse_pending_query_shape(std::string_view text) {
    if (text == "legacy") {
        return PendingQueryShape::legacy_http_500;
    }
    if (text == "2025") {
        return PendingQueryShape::http_200_4999;
    }
    return std::nullopt;
}

std::string_view to_string(OutageMode mode) {
    switch (mode) {
        case OutageMode::none:
            return "none";
        case OutageMode::refuse_all:
            return "refuse_all";
        case OutageMode::http_500:
            return "http_500";
        case OutageMode::garbage:
            return "garbage";
        case OutageMode::slow:
            return "slow";
    }
    return "none";
}

std::optional<OutageMode> parse_outage_mode(std::string_view text) {
    for (OutageMode mode : {OutageMode::none,
                            OutageMode::refuse_all,
                            OutageMode::http_500,
                            OutageMode::garbage,
                            OutageMode::slow}) {
        if (to_string(mode) == text) {
            return mode;
        }
    }
    return std::nullopt;
}

void validate_config(const SimulatorConfig& config) {
    if (!is_allowed_host(config.host)) {
        throw std::invalid_argument("host must be 127.0.0.1, ::1 or localhost (loopback only)");
    }
    if (config.port < 0 || config.port > kPortMax) {
        throw std::invalid_argument("port must be 0..65535");
    }
    if (!is_shortcode(config.shortcode) || !is_shortcode(config.b2c_shortcode)) {
        throw std::invalid_argument("shortcode and b2c-shortcode must be 5-7 digits");
    }
    if (config.passkey.empty() || config.consumer_key.empty() || config.consumer_secret.empty() ||
        config.initiator_name.empty() || config.initiator_password.empty()) {
        throw std::invalid_argument(
            "passkey, consumer key and secret, initiator name and password must not be empty");
    }
    if (config.callback_delay.count() < 0) {
        throw std::invalid_argument("callback-delay-ms must be >= 0");
    }
    if (config.token_ttl_seconds < kTokenTtlSecondsMin) {
        throw std::invalid_argument("token-ttl-seconds must be >= 2");
    }
    if (config.b2c_float_kes < 0) {
        throw std::invalid_argument("b2c-float-kes must be >= 0");
    }
    if (config.worker_threads == 0) {
        throw std::invalid_argument("worker threads must be >= 1");
    }
}

Simulator::Impl::Impl(SimulatorConfig config)
    : config_((validate_config(config), std::move(config))),
      key_(config_.key_file.empty() ? RsaKey::generate()
                                    : RsaKey::load_or_create(config_.key_file)),
      dispatcher_(config_.delivery),
      state_(config_.seed, TokenPolicy{config_.token_ttl_seconds, config_.new_token_revokes_old}) {
    if (config_.frozen_clock_at) {
        clock_.freeze(*config_.frozen_clock_at);
    }
    state_.callback_delay = config_.callback_delay;
    state_.pending_shape = config_.pending_query_shape;
    state_.balances_kes = opening_balances();
    for (const ScenarioAssignment& assignment : config_.scenarios) {
        state_.scenarios.apply(assignment);
    }
    restore_saved_state();
    add_daraja_routes();
    add_control_routes();
}

Simulator::Impl::~Impl() {
    stop();
}

std::map<std::string, std::int64_t> Simulator::Impl::opening_balances() const {
    std::map<std::string, std::int64_t> balances;
    balances[config_.shortcode] = 0;
    balances[config_.b2c_shortcode] = config_.b2c_float_kes;
    return balances;
}

void Simulator::Impl::restore_saved_state() {
    if (config_.state_file.empty()) {
        return;
    }
    std::optional<PersistedState> saved = load_state_file(config_.state_file);
    if (!saved) {
        return;
    }
    state_.ids = IdGenerator(config_.seed, saved->id_counter);
    for (const auto& [shortcode, balance] : saved->balances_kes) {
        state_.balances_kes[shortcode] = balance;
    }
    state_.transactions = std::move(saved->transactions);
}

void Simulator::Impl::save_locked() const {
    if (config_.state_file.empty()) {
        return;
    }
    save_state_file(config_.state_file,
                    PersistedState{state_.ids.counter(), state_.balances_kes, state_.transactions});
}

void Simulator::Impl::start() {
    GW_ASSERT(server_ == nullptr, "start() is called once");
    install_transport();
    port_ = config_.port == 0
                ? server_->bind_to_any_port(config_.host)
                : (server_->bind_to_port(config_.host, config_.port) ? config_.port : -1);
    if (port_ <= 0) {
        throw std::runtime_error("daraja-sim: cannot listen on " + config_.host + ":" +
                                 std::to_string(config_.port));
    }
    dispatcher_.start();
    {
        // Prompts that were open when the state was saved are answered again from now on.
        std::lock_guard lock(mutex_);
        for (Transaction& t : state_.transactions) {
            if (t.status != TransactionStatus::pending) {
                continue;
            }
            if (t.kind == TransactionKind::stk) {
                begin_stk_locked(t);
            } else {
                dispatcher_.schedule(state_.callback_delay, [this, id = t.id] { settle_b2c(id); });
            }
        }
    }
    server_thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

void Simulator::Impl::stop() {
    stopping_ = true;
    outage_wait_.notify_all();
    if (server_) {
        server_->stop();
    }
    if (server_thread_.joinable()) {
        server_thread_.join();
    }
    dispatcher_.stop();
}

std::string Simulator::Impl::base_url() const {
    const std::string host = config_.host == "::1" ? "[::1]" : config_.host;
    return "http://" + host + ":" + std::to_string(port_);
}

void Simulator::Impl::install_transport() {
    server_ = std::make_unique<httplib::Server>();
    const std::size_t threads = config_.worker_threads;
    server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server_->set_keep_alive_max_count(100);
    server_->set_payload_max_length(std::size_t{64} * 1024);  // Daraja bodies are small (STYLE 11)
    server_->set_logger([this](const httplib::Request& request, const httplib::Response& response) {
        log_request(request, response);
    });
    const auto dispatch = [this](const httplib::Request& request, httplib::Response& response) {
        this->dispatch(request, response);
    };
    server_->Get(".*", dispatch);
    server_->Post(".*", dispatch);
    server_->Put(".*", dispatch);
    server_->Delete(".*", dispatch);
    server_->Patch(".*", dispatch);
    server_->Options(".*", dispatch);
}

void Simulator::Impl::dispatch(const httplib::Request& request, httplib::Response& response) {
    const bool daraja_path =
        request.path.starts_with("/oauth/") || request.path.starts_with("/mpesa/");
    if (daraja_path && apply_outage(request, response)) {
        return;
    }
    bool path_known = false;
    for (const Route& route : routes_) {
        std::smatch match;
        if (!std::regex_match(request.path, match, route.pattern)) {
            continue;
        }
        path_known = true;
        if (route.method != request.method &&
            !(route.method == "GET" && request.method == "HEAD")) {
            continue;
        }
        Captures captures;
        for (std::size_t i = 1; i < match.size(); ++i) {
            captures.push_back(match[i].str());
        }
        try {
            route.handler(request, response, captures);
        } catch (const std::exception& error) {
            log(std::string("daraja-sim: handler failed: ") + error.what());
            send_error(response, daraja_error("500.003.1001", "Internal Server Error"));
        }
        return;
    }
    send_error(response,
               path_known ? daraja_error("405.001", "Method Not Allowed")
                          : daraja_error("404.001.01", "Resource not found"));
}

bool Simulator::Impl::apply_outage(const httplib::Request& request, httplib::Response& response) {
    Outage outage;
    {
        std::lock_guard lock(mutex_);
        outage = state_.outage;
    }
    switch (outage.mode) {
        case OutageMode::none:
            return false;
        case OutageMode::refuse_all:
            drop_connection(request.local_port, request.remote_port);
            response.status = 503;
            return true;
        case OutageMode::http_500:
            send_error(response, daraja_error("500.003.1001", "Internal Server Error"));
            return true;
        case OutageMode::garbage:
            response.set_content(std::string(kGarbageBody), "application/json");
            return true;
        case OutageMode::slow: {
            std::unique_lock lock(outage_wait_mutex_);
            outage_wait_.wait_for(lock, outage.slow, [this] { return stopping_.load(); });
            return false;
        }
    }
    return false;
}

void Simulator::Impl::log_request(const httplib::Request& request,
                                  const httplib::Response& response) const {
    // Paths only: bodies, headers and query strings may carry passwords, credentials, tokens.
    log("daraja-sim: " + request.method + " " + mask_digit_runs(request.path) + " " +
        std::to_string(response.status));
}

void Simulator::Impl::log(std::string_view line) const {
    if (config_.log_line) {
        config_.log_line(line);
        return;
    }
    std::cerr << line << '\n';
}

// ---- Simulator: the public face forwards to Impl ----

Simulator::Simulator(SimulatorConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Simulator::~Simulator() = default;
void Simulator::start() {
    impl_->start();
}
void Simulator::stop() {
    impl_->stop();
}
int Simulator::port() const {
    return impl_->port();
}
std::string Simulator::base_url() const {
    return impl_->base_url();
}

std::string Simulator::security_credential() const {
    return impl_->key().encrypt_credential(impl_->config().initiator_password);
}

std::string Simulator::public_key_pem() const {
    return impl_->key().public_key_pem();
}

bool Simulator::set_stk_scenario(std::string_view msisdn, StkScenario scenario) {
    return impl_->apply_scenario(std::string(msisdn), scenario, std::nullopt);
}

bool Simulator::set_b2c_scenario(std::string_view msisdn, B2cScenario scenario) {
    return impl_->apply_scenario(std::string(msisdn), std::nullopt, scenario);
}

bool Simulator::clear_scenarios(std::string_view msisdn) {
    return impl_->clear_scenarios(std::string(msisdn));
}

void Simulator::advance_clock(std::chrono::seconds by) {
    impl_->clock().advance(by);
}
TimePoint Simulator::now() const {
    return impl_->clock().now();
}
void Simulator::expire_tokens() {
    impl_->expire_tokens();
}
void Simulator::set_outage(Outage outage) {
    impl_->set_outage(outage);
}
void Simulator::set_callback_delay(std::chrono::milliseconds delay) {
    impl_->set_callback_delay(delay);
}
void Simulator::set_pending_query_shape(PendingQueryShape shape) {
    impl_->set_pending_query_shape(shape);
}

bool Simulator::accept(std::string_view checkout_request_id) {
    return impl_->answer_prompt(checkout_request_id, PromptAnswer::accept);
}

bool Simulator::cancel(std::string_view checkout_request_id) {
    return impl_->answer_prompt(checkout_request_id, PromptAnswer::cancel);
}

std::vector<Transaction> Simulator::transactions() const {
    return impl_->transactions();
}
std::vector<DeliveryAttempt> Simulator::callbacks() const {
    return impl_->dispatcher().attempts();
}
std::size_t Simulator::callback_count() const {
    return impl_->dispatcher().attempt_count();
}

std::optional<StatementFile> Simulator::statement_csv(std::string_view shortcode,
                                                      std::chrono::sys_days from,
                                                      std::chrono::sys_days to) const {
    return impl_->statement(shortcode, from, to);
}

void Simulator::reset() {
    impl_->reset();
}

}  // namespace gw::sim
