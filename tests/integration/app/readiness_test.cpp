// Proves /readyz through the real wiring: 200 with a reachable, migrated database; 503
// problem+json when migrations are pending or the database cannot be reached. Also proves the
// DB pool gauges appear in /metrics.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <thread>
#include <unistd.h>

#include "app/schema.hpp"
#include "app/wiring.hpp"
#include "support/app_fixture.hpp"
#include "support/pg_fixture.hpp"

namespace gw::app {
namespace {

// An Application serving on its own thread.
class RunningApplication {
public:
    explicit RunningApplication(const std::string& connection_string)
        : clock_(TimePoint{}),
          application_(config_for(connection_string), app::throwaway_secrets(), clock_) {
        port_ = application_.bind();
        thread_ = std::thread([this] { application_.serve(); });
    }
    ~RunningApplication() {
        application_.stop();
        thread_.join();
    }
    httplib::Result get(const std::string& path) {
        httplib::Client client("127.0.0.1", port_);
        return client.Get(path.c_str());
    }

private:
    static Config config_for(const std::string& connection_string) {
        Config config = test::test_config(connection_string, std::filesystem::temp_directory_path() /
                                                                 ("gw-readiness-kyc-" + std::to_string(::getpid())));
        config.db.pool_size = 8;
        config.db.acquire_timeout_ms = 500;
        return config;
    }

    ManualClock clock_;
    Application application_;
    int port_ = 0;
    std::thread thread_;
};

TEST(Readiness, ReadyWithMigratedDatabase) {
    const std::string database = test::TestCluster::instance().create_database();
    ASSERT_TRUE(apply_schema(database).has_value());
    RunningApplication running(database);
    auto result = running.get("/readyz");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(nlohmann::json::parse(result->body)["status"], "ready");
}

TEST(Readiness, NotReadyWhileMigrationsArePending) {
    RunningApplication running(test::TestCluster::instance().create_database());
    auto result = running.get("/readyz");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 503);
    const auto body = nlohmann::json::parse(result->body);
    EXPECT_EQ(body["code"], "service_unavailable");
    EXPECT_EQ(body["detail"], "database schema is not current");
}

TEST(Readiness, NotReadyWhenDatabaseIsUnreachable) {
    RunningApplication running("host=/nonexistent-gw-socket-dir port=5432 dbname=none user=none");
    auto result = running.get("/readyz");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 503);
    const auto body = nlohmann::json::parse(result->body);
    EXPECT_EQ(body["detail"], "database unreachable");
    EXPECT_EQ(result->body.find("nonexistent"), std::string::npos) << "no internals leak";
    auto healthz = running.get("/healthz");
    ASSERT_TRUE(healthz);
    EXPECT_EQ(healthz->status, 200) << "liveness does not depend on the database";
}

TEST(Readiness, MetricsShowPoolGauges) {
    RunningApplication running(test::TestCluster::instance().create_migrated_database());
    ASSERT_TRUE(running.get("/readyz"));
    auto result = running.get("/metrics");
    ASSERT_TRUE(result);
    EXPECT_NE(result->body.find("goldwallet_db_pool_connections{state=\"idle\"} 1"), std::string::npos)
        << result->body;
    EXPECT_NE(result->body.find("goldwallet_db_pool_size_max 8"), std::string::npos);
}

}  // namespace
}  // namespace gw::app
