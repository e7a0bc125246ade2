#include "support/serve_cluster.hpp"

#include <csignal>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>
#include <sys/wait.h>

#include "ledger/invariants.hpp"
#include "support/pg_fixture.hpp"
#include "support/serve_process.hpp"

namespace gw::test {
namespace {

const std::string kStaffPassword = "a long staff password";
const std::string kUserPassword = "correct horse battery staple";
constexpr auto kListenTimeout = std::chrono::seconds(30);
constexpr std::size_t kRegisteringThreads = 4;

}  // namespace

bool poll_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

ServeCluster::ServeCluster(ServeClusterOptions options) : options_(std::move(options)) {
    std::filesystem::remove_all(options_.dir);
    std::filesystem::create_directories(options_.dir);
    database_ = TestCluster::instance().create_migrated_database();
}

ServeCluster::~ServeCluster() {
    for (const Node& node : nodes_) {
        if (node.process.pid > 0) {
            kill(node.process.pid, SIGKILL);
            waitpid(node.process.pid, nullptr, 0);
        }
    }
    std::error_code ignored;  // best effort: a leftover /tmp directory harms nobody
    std::filesystem::remove_all(options_.dir, ignored);
}

Env ServeCluster::env(const ServeNodeOptions& node, std::size_t index) const {
    Env vars = {{"DATABASE_URL", database_},
                {"GOLDWALLET_DATA_DIR", (options_.dir / ("node" + std::to_string(index))).string()},
                {"GOLDWALLET_HTTP_PORT", "0"},
                {"GOLDWALLET_ENV", "development"},
                {"GOLDWALLET_LOG_LEVEL", "info"},
                {"GOLDWALLET_JWT_KEY", std::string(64, 'b')},
                {"GOLDWALLET_MASTER_KEY", std::string(64, 'c')},
                {"GOLDWALLET_MPESA_BASE_URL", options_.mpesa_base_url},
                {"GOLDWALLET_MPESA_SECURITY_CREDENTIAL", options_.security_credential},
                {"GOLDWALLET_PAYOUT_MODE", options_.payout_mode},
                {"GOLDWALLET_RECONCILE_AT", options_.reconcile_at},
                {"GOLDWALLET_OUTBOX_WORKERS", std::to_string(node.outbox_workers)},
                {"GOLDWALLET_OUTBOX_POLL_MS", "50"},
                {"GOLDWALLET_SWEEP_INTERVAL_SECONDS", "1"},
                // Every test client comes from 127.0.0.1 and some buy eight times a minute: the
                // per-IP and per-user limits would refuse them, which is not what these tests are
                // about. (A variable a build does not know is ignored.)
                {"GOLDWALLET_RATE_LIMIT_LOGIN_IP", "100000/60"},
                {"GOLDWALLET_RATE_LIMIT_REGISTER_IP", "100000/60"},
                {"GOLDWALLET_RATE_LIMIT_TRADE_USER", "100000/60"},
                {"GOLDWALLET_RATE_LIMIT_TRADE_IP", "100000/60"}};
    if (!node.public_url.empty()) {
        vars.emplace_back("GOLDWALLET_PUBLIC_URL", node.public_url);
    }
    if (!node.crash_at.empty()) {
        vars.emplace_back("GOLDWALLET_CRASH_AT", node.crash_at);
    }
    return vars;
}

bool ServeCluster::create_staff() {
    std::ofstream(options_.dir / "password.txt") << kStaffPassword << "\n";
    const Spawned admin =
        spawn_process(options_.binary,
                      {"admin", "create", "--username", "ops", "--email", "ops@example.com"},
                      env({}, 0),
                      options_.dir / "admin.out",
                      options_.dir / "password.txt");
    const int status = wait_exit(admin.pid, std::chrono::seconds(60));
    EXPECT_EQ(status, 0) << read_text_file(admin.output);
    return status == 0;
}

bool ServeCluster::start(const std::vector<ServeNodeOptions>& nodes) {
    const std::size_t first = nodes_.size();
    for (const ServeNodeOptions& node : nodes) {
        const std::size_t index = nodes_.size();
        nodes_.push_back({spawn_process(options_.binary,
                                        {"serve"},
                                        env(node, index),
                                        options_.dir / ("node" + std::to_string(index) + ".out")),
                          0});
    }
    for (std::size_t index = first; index < nodes_.size(); ++index) {
        Node& node = nodes_[index];
        if (node.process.pid <= 0) {
            ADD_FAILURE() << "node " << index << " could not be spawned";
            return false;
        }
        const bool listening = poll_until(
            [&] {
                node.port = logged_port(node.process.output);
                return node.port > 0 ||
                       waitpid(node.process.pid, nullptr, WNOHANG) == node.process.pid;
            },
            kListenTimeout);
        if (!listening || node.port == 0) {
            ADD_FAILURE() << "node " << index << " did not start\n" << log_of(index);
            return false;
        }
    }
    return true;
}

std::string ServeCluster::log_of(std::size_t node) const {
    return read_text_file(nodes_.at(node).process.output);
}

void ServeCluster::kill_node(std::size_t node) {
    Node& killed = nodes_.at(node);
    kill(killed.process.pid, SIGKILL);
    waitpid(killed.process.pid, nullptr, 0);
    killed.process.pid = -1;
}

int ServeCluster::wait_node_exit(std::size_t node, std::chrono::seconds timeout) {
    Node& exited = nodes_.at(node);
    const int status = wait_exit(exited.process.pid, timeout);
    exited.process.pid = -1;
    return status;
}

int ServeCluster::stop_node(std::size_t node) {
    Node& stopped = nodes_.at(node);
    kill(stopped.process.pid, SIGTERM);
    const int status = wait_exit(stopped.process.pid, std::chrono::seconds(20));
    stopped.process.pid = -1;
    return status;
}

JsonResponse ServeCluster::request(std::size_t node,
                                   const std::string& method,
                                   const std::string& path,
                                   const nlohmann::json& body,
                                   const std::string& token,
                                   const std::string& idempotency_key) const {
    httplib::Client client("127.0.0.1", nodes_.at(node).port);
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(15, 0);
    return send_json(client, method, path, body, token, idempotency_key);
}

std::string ServeCluster::staff_token() {
    if (staff_token_.empty()) {
        const JsonResponse login =
            request(0, "POST", "/auth/login", {{"username", "ops"}, {"password", kStaffPassword}});
        EXPECT_EQ(login.status, 200) << login.raw;
        if (login.status == 200) {
            staff_token_ = login.body.value("access_token", "");
        }
    }
    return staff_token_;
}

std::vector<ClusterUser> ServeCluster::register_users(const std::string& prefix,
                                                      std::size_t count,
                                                      int phone_base) {
    std::vector<ClusterUser> users(count);
    std::mutex mutex;
    std::string failures;  // guarded by mutex
    const auto register_one = [&](std::size_t i) {
        ClusterUser& user = users[i];
        user.username = prefix + std::to_string(i);
        user.phone = "07" + std::to_string(phone_base + static_cast<int>(i));
        const std::size_t node = i % nodes_.size();
        const JsonResponse created = request(node,
                                             "POST",
                                             "/auth/register",
                                             {{"username", user.username},
                                              {"email", user.username + "@example.com"},
                                              {"phone", user.phone},
                                              {"password", kUserPassword}});
        const JsonResponse login =
            request(node,
                    "POST",
                    "/auth/login",
                    {{"username", user.username}, {"password", kUserPassword}});
        if (created.status != 201 || login.status != 200) {
            const std::lock_guard lock(mutex);
            failures += user.username + ": register " + std::to_string(created.status) + " " +
                        created.raw + ", login " + std::to_string(login.status) + "\n";
            return;
        }
        user.user_id = created.body.value("id", "");
        user.token = login.body.value("access_token", "");
    };
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < kRegisteringThreads; ++t) {
        threads.emplace_back([&, t] {
            for (std::size_t i = t; i < count; i += kRegisteringThreads) {
                register_one(i);
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(failures, "");
    std::erase_if(users, [](const ClusterUser& user) { return user.token.empty(); });
    return users;
}

std::int64_t ServeCluster::metric(std::size_t node, const std::string& sample) const {
    const JsonResponse metrics = request(node, "GET", "/metrics");
    if (metrics.status != 200) {
        return -1;
    }
    std::istringstream lines(metrics.raw);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.size() > sample.size() && line.compare(0, sample.size(), sample) == 0 &&
            line[sample.size()] == ' ') {
            return std::stoll(line.substr(sample.size() + 1));
        }
    }
    return 0;
}

std::vector<std::string> ServeCluster::column(const std::string& sql) const {
    pqxx::connection connection(database_);
    pqxx::work tx(connection);
    std::vector<std::string> values;
    for (const pqxx::row& row : tx.exec(sql)) {
        values.push_back(row[0].is_null() ? std::string() : row[0].c_str());
    }
    tx.commit();
    return values;
}

std::string ServeCluster::value(const std::string& sql) const {
    const std::vector<std::string> values = column(sql);
    return values.empty() ? std::string() : values.front();
}

std::string ServeCluster::invariant_violations() const {
    pqxx::connection connection(database_);
    pqxx::transaction<pqxx::isolation_level::repeatable_read> tx(connection);
    std::string found;
    for (const ledger::InvariantViolation& violation : ledger::check_invariants(tx)) {
        found += violation.invariant + ": " + violation.detail + "\n";
    }
    return found;
}

}  // namespace gw::test
