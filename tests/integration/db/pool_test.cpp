// Proves the connection pool: it opens at most pool_size connections, reuses returned ones,
// times out when exhausted, reports its gauges, and replaces a connection the server killed.

#include "db/pool.hpp"

#include <gtest/gtest.h>

#include "support/pg_fixture.hpp"

namespace gw::db {
namespace {

Settings small_pool() {
    Settings settings;
    settings.connection_string = test::TestCluster::instance().create_database();
    settings.pool_size = 2;
    settings.acquire_timeout_ms = 100;
    return settings;
}

TEST(ConnectionPool, ReusesReturnedConnections) {
    ConnectionPool pool(small_pool());
    int first_pid = 0;
    {
        PooledConnection connection = pool.acquire();
        first_pid = connection->backendpid();
    }
    PooledConnection again = pool.acquire();
    EXPECT_EQ(again->backendpid(), first_pid);
    EXPECT_EQ(pool.stats().open, 1u);
}

TEST(ConnectionPool, TimesOutWhenExhaustedAndReportsStats) {
    ConnectionPool pool(small_pool());
    PooledConnection a = pool.acquire();
    PooledConnection b = pool.acquire();
    const PoolStats stats = pool.stats();
    EXPECT_EQ(stats.size_max, 2u);
    EXPECT_EQ(stats.open, 2u);
    EXPECT_EQ(stats.in_use, 2u);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_THROW(pool.acquire(), PoolTimeout);
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(100));
    EXPECT_EQ(pool.stats().waiting, 0u);
}

TEST(ConnectionPool, ReplacesAConnectionTheServerKilled) {
    ConnectionPool pool(small_pool());
    int victim = 0;
    {
        PooledConnection connection = pool.acquire();
        victim = connection->backendpid();
    }
    {
        pqxx::connection admin(test::TestCluster::instance().admin_connection_string());
        pqxx::nontransaction tx(admin);
        tx.exec_params("SELECT pg_terminate_backend($1)", victim);
    }
    {
        PooledConnection connection = pool.acquire();
        pqxx::nontransaction tx(*connection);
        EXPECT_THROW(tx.exec("SELECT 1"), pqxx::broken_connection);
    }
    EXPECT_EQ(pool.stats().open, 0u) << "a broken connection must not go back to the pool";
    PooledConnection fresh = pool.acquire();
    pqxx::nontransaction tx(*fresh);
    EXPECT_EQ(tx.exec("SELECT 1")[0][0].as<int>(), 1);
}

}  // namespace
}  // namespace gw::db
