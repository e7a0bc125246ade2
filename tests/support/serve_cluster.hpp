#pragma once

// Several `goldwallet serve` processes on ONE PostgreSQL database, run as an operator scales
// out, for the scale-out e2e tests (tests/e2e/scale_out_test.cpp). Every node shares
// DATABASE_URL (a fresh migrated database of the test cluster), the JWT and master keys and the
// Daraja simulator; each has its own data directory and loopback port (port 0, so its M-Pesa
// callback URLs name the port it got: Daraja calls back the node that sent the request).
// Waits poll with deadlines, never fixed sleeps.
//
// Not thread-safe, except request(), which any number of threads may call at once.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "support/app_fixture.hpp"
#include "support/process_helpers.hpp"

namespace gw::test {

// What may differ between the nodes of one cluster.
struct ServeNodeOptions {
    std::size_t outbox_workers = 2;  // GOLDWALLET_OUTBOX_WORKERS (0: the node sends nothing)
    // GOLDWALLET_PUBLIC_URL, where Daraja calls back; empty: the node's own address.
    std::string public_url = {};
    // GOLDWALLET_CRASH_AT: a crash point of src/core/crash_point.hpp where the node kills itself;
    // empty: none.
    std::string crash_at = {};
};

// What every node of a cluster shares.
struct ServeClusterOptions {
    std::filesystem::path binary;        // the goldwallet executable
    std::filesystem::path dir;           // scratch directory, made fresh and removed after
    std::string mpesa_base_url;          // the simulator
    std::string security_credential;     // the simulator's B2C SecurityCredential
    std::string payout_mode = "manual";  // GOLDWALLET_PAYOUT_MODE
    // GOLDWALLET_RECONCILE_AT: 00:00 Nairobi is always past, so every node finds the daily
    // reconciliation due at its start (the scheduler's first check).
    std::string reconcile_at = "00:00";
};

// A user registered and signed in through the cluster.
struct ClusterUser {
    std::string username;
    std::string user_id;
    std::string token;  // access token (valid on every node: the JWT key is shared)
    std::string phone;  // as registered, 07XXXXXXXX
};

// Polls `done` every 20 ms until it returns true (then true) or `timeout` passes (then false).
bool poll_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

class ServeCluster {
public:
    // Creates the database and the scratch directory. Nothing runs yet.
    explicit ServeCluster(ServeClusterOptions options);
    ~ServeCluster();  // SIGKILLs every node still running, removes the directory
    ServeCluster(const ServeCluster&) = delete;
    ServeCluster& operator=(const ServeCluster&) = delete;

    // Creates the staff account `ops` (role admin) with `goldwallet admin create`. Returns false,
    // with a test failure naming the reason, when it fails.
    bool create_staff();

    // Spawns one node per entry of `nodes`, all at once (so they start concurrently), and waits
    // until each listens. May be called again to add nodes (numbered on from the last). Returns
    // false, with a test failure and the node's log, when one exits or does not listen within 30 s.
    bool start(const std::vector<ServeNodeOptions>& nodes);

    std::size_t size() const { return nodes_.size(); }
    int port(std::size_t node) const { return nodes_.at(node).port; }
    // "http://127.0.0.1:<port>" of the node.
    std::string url(std::size_t node) const {
        return "http://127.0.0.1:" + std::to_string(port(node));
    }
    // The node's stdout and stderr so far (its JSON log), for failure messages.
    std::string log_of(std::size_t node) const;

    // Kills the node with SIGKILL (no shutdown at all, as a crashed machine) and reaps it.
    void kill_node(std::size_t node);
    // Waits for the node to exit on its own (e.g. at its crash point) and returns its exit code
    // (128 + signal when killed); -1 when it did not exit within `timeout` (it is then killed).
    int wait_node_exit(std::size_t node, std::chrono::seconds timeout);
    // Stops the node with SIGTERM; returns its exit code (-1 when it did not stop in 20 s).
    int stop_node(std::size_t node);

    // Sends `method` `path` to `node` with a JSON body (POST, PUT), an optional bearer token and
    // Idempotency-Key; read timeout 15 s. Status 0 when no answer came (a node may be dying on
    // purpose: that is not a test failure here). Thread-safe.
    JsonResponse request(std::size_t node,
                         const std::string& method,
                         const std::string& path,
                         const nlohmann::json& body = nullptr,
                         const std::string& token = {},
                         const std::string& idempotency_key = {}) const;

    // Signs `ops` in on node 0 (once) and returns the access token; "" with a test failure.
    std::string staff_token();

    // Registers and signs in `count` users named `prefix`0, `prefix`1, … with the phones
    // 07<phone_base + i> (phone_base has 8 digits), alternating nodes, four at a time (password
    // hashing is the slow part). Returns fewer users, with a test failure, when one fails.
    std::vector<ClusterUser> register_users(const std::string& prefix,
                                            std::size_t count,
                                            int phone_base);

    // Value of the sample `sample` (metric name with labels exactly as /metrics prints them,
    // e.g. goldwallet_job_runs_total{job="x"}) on `node`; 0 when absent, -1 when /metrics
    // could not be read.
    std::int64_t metric(std::size_t node, const std::string& sample) const;

    // Runs `sql` on the shared database in a transaction of its own; returns the first column of
    // every row as text ("" for NULL). Throws pqxx errors.
    std::vector<std::string> column(const std::string& sql) const;
    // The first column of the first row ("" for NULL or no row).
    std::string value(const std::string& sql) const;
    std::int64_t count(const std::string& sql) const { return std::stoll(value(sql)); }

    // Every violation of the ledger invariants (ledger/invariants.hpp, the checks reconciliation
    // runs) on one REPEATABLE READ snapshot, one per line; "" when the ledger is sound.
    std::string invariant_violations() const;

    const std::string& database_url() const { return database_; }

private:
    struct Node {
        Spawned process;
        int port = 0;
    };

    Env env(const ServeNodeOptions& node, std::size_t index) const;

    ServeClusterOptions options_;
    std::string database_;
    std::vector<Node> nodes_;
    std::string staff_token_;
};

}  // namespace gw::test
