#pragma once

// The product as e2e_buy_bench drives it: daraja-sim and `goldwallet serve` as child processes
// on free loopback ports, the server on a database of a BenchCluster, and the state a buy needs
// made through the API the way an operator and users would make it (an admin from
// `goldwallet admin create`, one pool, prices, raised verified-buy limits, N registered users
// whose KYC an admin verified after they uploaded their three documents, each logged in).
// Not shared across threads, except `call` on separate clients.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "child_process.hpp"

namespace gw::bench {

struct StackOptions {
    std::filesystem::path goldwallet;
    std::filesystem::path daraja_sim;
    std::string database_url;  // libpq connection string of the server's database
    // Settings the load needs, each a documented environment variable (bench/README.md says
    // why each differs from its default).
    int http_threads = 96;
    int db_pool_size = 8;
    int outbox_workers = 2;
    int outbox_poll_ms = 500;  // as shipped: a commit that queues a message wakes a worker
    int callback_delay_ms = 20;
    int callback_threads = 16;  // daraja-sim posts this many callbacks at once
    std::string log_level = "info";
    bool keep_dir = false;  // keep the logs' directory (its path is printed)
};

struct BenchUser {
    std::string id;
    std::string username;
    std::string access_token;
};

// One HTTP answer: the status (0 when there was no answer) and the body parsed as JSON
// (discarded when it is not JSON).
// (nlohmann::json's move constructor is not declared noexcept, hence the NOLINT.)
struct Reply {  // NOLINT(bugprone-exception-escape)
    int status = 0;
    nlohmann::json body;
    std::string raw;
};

// One request with an optional bearer token and other headers (an Idempotency-Key, a Prefer);
// `body` is sent as JSON unless it is null. Methods: GET, POST, PUT.
Reply call(httplib::Client& client,
           const std::string& method,
           const std::string& path,
           const nlohmann::json& body,
           const std::string& token = {},
           httplib::Headers headers = {});

class E2eStack {
public:
    // Starts the simulator and the server (in a fresh /tmp/gw-e2e-bench-* directory) and waits
    // until both listen. Throws std::runtime_error with the child's log when either fails.
    explicit E2eStack(const StackOptions& options);
    ~E2eStack();  // stops the server, then the simulator, and deletes the directory
    E2eStack(const E2eStack&) = delete;
    E2eStack& operator=(const E2eStack&) = delete;

    int port() const { return port_; }
    const std::string& sim_url() const { return sim_url_; }
    const std::string& admin_token() const { return admin_token_; }
    // A client of the server with keep-alive and generous timeouts.
    std::unique_ptr<httplib::Client> client() const;

    // Creates one pool of `grams`, sets the prices and raises the verified buy limits to the
    // largest the API accepts (KES 100m) so no user is stopped by its 24-hour limit. Returns the
    // pool id. Throws std::runtime_error on any unexpected answer.
    std::string prepare_trading(const std::string& grams,
                                const std::string& buy_price,
                                const std::string& sell_price);

    // Registers `count` users, uploads their KYC documents, verifies them as the admin and logs
    // each in. Throws std::runtime_error on any unexpected answer.
    std::vector<BenchUser> make_verified_users(int count);

    // Stops the server (SIGTERM: in-flight requests finish) and returns its exit code.
    int stop_server();
    const std::filesystem::path& server_log() const { return server_->log(); }
    pid_t server_pid() const { return server_->pid(); }
    pid_t sim_pid() const { return sim_->pid(); }

private:
    std::vector<std::string> server_environment(const StackOptions& options) const;
    void create_admin(const StackOptions& options);

    std::filesystem::path dir_;
    bool keep_dir_ = false;
    std::unique_ptr<ChildProcess> sim_;
    std::unique_ptr<ChildProcess> server_;
    std::string sim_url_;
    std::string security_credential_;
    int port_ = 0;
    std::string admin_password_;
    std::string admin_token_;
};

}  // namespace gw::bench
