// Proves the test fixture's contract: one running cluster per test binary, and
// create_database() handing out distinct, empty databases, so a test never sees another
// test's tables.

#include "support/pg_fixture.hpp"

#include "db/embedded_migrations.hpp"
#include "db/migrate.hpp"

#include <string>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

namespace gw::test {
namespace {

std::string query_value(const std::string& connection_string, const std::string& sql) {
    pqxx::connection connection(connection_string);
    pqxx::nontransaction tx(connection);
    return tx.exec1(sql)[0].as<std::string>();
}

constexpr const char* kUserTableCount =
    "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', "
    "'information_schema')";

TEST(TestClusterTest, IsOneRunningClusterPerBinary) {
    TestCluster& cluster = TestCluster::instance();
    EXPECT_EQ(&cluster, &TestCluster::instance());
    EXPECT_TRUE(cluster.server().is_running());
    EXPECT_EQ(query_value(cluster.admin_connection_string(), "SHOW fsync"), "off");
    EXPECT_EQ(query_value(cluster.admin_connection_string(), "SHOW full_page_writes"), "off");
}

TEST(TestClusterTest, CreateDatabaseGivesDistinctEmptyDatabases) {
    TestCluster& cluster = TestCluster::instance();
    const std::string first = cluster.create_database();
    const std::string second = cluster.create_database();

    const std::string first_name = query_value(first, "SELECT current_database()");
    const std::string second_name = query_value(second, "SELECT current_database()");
    EXPECT_NE(first_name, second_name);
    EXPECT_EQ(query_value(first, kUserTableCount), "0");
    EXPECT_EQ(query_value(second, kUserTableCount), "0");

    {
        pqxx::connection connection(first);
        pqxx::work tx(connection);
        tx.exec0("CREATE TABLE only_in_first (id int)");
        tx.commit();
    }
    EXPECT_EQ(query_value(first, kUserTableCount), "1");
    EXPECT_EQ(query_value(second, kUserTableCount), "0");
    EXPECT_EQ(query_value(cluster.create_database(), kUserTableCount), "0");
}

TEST(TestClusterTest, CreateMigratedDatabaseHoldsTheCurrentSchema) {
    TestCluster& cluster = TestCluster::instance();
    const std::string first = cluster.create_migrated_database();
    const std::string second = cluster.create_migrated_database();
    EXPECT_NE(query_value(first, "SELECT current_database()"),
              query_value(second, "SELECT current_database()"));
    pqxx::connection connection(first);
    EXPECT_TRUE(db::check_migrations_current(connection, db::embedded_migration_files()).has_value());
}

}  // namespace
}  // namespace gw::test
