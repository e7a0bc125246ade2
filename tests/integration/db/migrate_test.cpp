// Proves the migration runner against a real PostgreSQL: the shipped migrations apply to an
// empty database and re-running is a no-op; an applied file that changed, a version unknown to
// the binary and a failing file are refused with their exact ErrorCode and leave nothing half
// applied; concurrent migrators apply each file once; readiness sees pending migrations.

#include <gtest/gtest.h>
#include <thread>

#include "db/embedded_migrations.hpp"
#include "db/migrate.hpp"
#include "support/pg_fixture.hpp"

namespace gw::db {
namespace {

using test::TestCluster;

long long count(pqxx::connection& connection, const std::string& sql) {
    pqxx::nontransaction tx(connection);
    return tx.exec(sql)[0][0].as<long long>();
}

bool table_exists(pqxx::connection& connection, const std::string& table) {
    pqxx::nontransaction tx(connection);
    return tx.exec_params("SELECT to_regclass($1) IS NOT NULL", table)[0][0].as<bool>();
}

TEST(Migrate, AppliesShippedMigrationsToEmptyDatabase) {
    pqxx::connection connection(TestCluster::instance().create_database());
    const auto& files = embedded_migration_files();
    auto report = migrate(connection, files);
    ASSERT_TRUE(report.has_value()) << report.error().detail;
    EXPECT_EQ(report->applied.size(), files.size());
    EXPECT_EQ(report->already_applied, 0u);
    EXPECT_EQ(count(connection, "SELECT count(*) FROM schema_migrations"),
              static_cast<long long>(files.size()));
    EXPECT_TRUE(check_migrations_current(connection, files).has_value());
}

TEST(Migrate, SecondRunIsANoOp) {
    pqxx::connection connection(TestCluster::instance().create_database());
    const auto& files = embedded_migration_files();
    ASSERT_TRUE(migrate(connection, files).has_value());
    auto again = migrate(connection, files);
    ASSERT_TRUE(again.has_value());
    EXPECT_TRUE(again->applied.empty());
    EXPECT_EQ(again->already_applied, files.size());
}

TEST(Migrate, ModifiedAppliedFileIsRefused) {
    pqxx::connection connection(TestCluster::instance().create_database());
    ASSERT_TRUE(migrate(connection, {{"0001_a.sql", "CREATE TABLE a (x integer);"}}).has_value());
    auto changed = migrate(connection, {{"0001_a.sql", "CREATE TABLE a (x bigint);"},
                                        {"0002_b.sql", "CREATE TABLE b (y integer);"}});
    ASSERT_FALSE(changed.has_value());
    EXPECT_EQ(changed.error().code, ErrorCode::migration_checksum_mismatch);
    EXPECT_NE(changed.error().detail.find("0001_a.sql"), std::string::npos);
    EXPECT_FALSE(table_exists(connection, "b")) << "nothing after the mismatch may be applied";
    EXPECT_EQ(count(connection, "SELECT count(*) FROM schema_migrations"), 1);
}

TEST(Migrate, VersionUnknownToThisBuildIsRefused) {
    pqxx::connection connection(TestCluster::instance().create_database());
    ASSERT_TRUE(migrate(connection, {{"0001_a.sql", "CREATE TABLE a (x integer);"},
                                     {"0002_b.sql", "CREATE TABLE b (y integer);"}})
                    .has_value());
    auto older = migrate(connection, {{"0001_a.sql", "CREATE TABLE a (x integer);"}});
    ASSERT_FALSE(older.has_value());
    EXPECT_EQ(older.error().code, ErrorCode::migration_unknown_version);
}

TEST(Migrate, FailingFileLeavesNothingOfItself) {
    pqxx::connection connection(TestCluster::instance().create_database());
    auto failed = migrate(connection, {{"0001_a.sql", "CREATE TABLE a (x integer);"},
                                       {"0002_b.sql", "CREATE TABLE b (y integer); SELECT nope();"}});
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().code, ErrorCode::migration_failed);
    EXPECT_NE(failed.error().detail.find("0002_b.sql"), std::string::npos);
    EXPECT_TRUE(table_exists(connection, "a"));
    EXPECT_FALSE(table_exists(connection, "b"));
    EXPECT_EQ(count(connection, "SELECT count(*) FROM schema_migrations"), 1);
}

TEST(Migrate, BadFileNamesAndOrderAreRefusedBeforeTouchingTheDatabase) {
    pqxx::connection connection(TestCluster::instance().create_database());
    for (const std::vector<MigrationFile>& files :
         {std::vector<MigrationFile>{{"1_a.sql", "SELECT 1;"}},
          std::vector<MigrationFile>{{"0002_a.sql", "SELECT 1;"}, {"0001_b.sql", "SELECT 1;"}},
          std::vector<MigrationFile>{{"0001_a.sql", "SELECT 1;"}, {"0001_b.sql", "SELECT 1;"}},
          std::vector<MigrationFile>{{"0001_a.txt", "SELECT 1;"}}}) {
        auto result = migrate(connection, files);
        ASSERT_FALSE(result.has_value());
        EXPECT_EQ(result.error().code, ErrorCode::migration_failed);
    }
    EXPECT_FALSE(table_exists(connection, "schema_migrations"));
}

TEST(Migrate, ConcurrentMigratorsApplyEachFileOnce) {
    const std::string database = TestCluster::instance().create_database();
    const std::vector<MigrationFile> files = {
        {"0001_a.sql", "CREATE TABLE a (x integer); SELECT pg_sleep(0.05);"},
        {"0002_b.sql", "CREATE TABLE b (y integer);"}};
    constexpr int kMigrators = 4;
    std::vector<std::thread> threads;
    std::vector<std::size_t> applied(kMigrators, 0);
    std::vector<bool> ok(kMigrators, false);
    for (int i = 0; i < kMigrators; ++i) {
        threads.emplace_back([&, i] {
            pqxx::connection connection(database);
            auto report = migrate(connection, files);
            ok[static_cast<std::size_t>(i)] = report.has_value();
            applied[static_cast<std::size_t>(i)] = report ? report->applied.size() : 0;
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    std::size_t total = 0;
    for (int i = 0; i < kMigrators; ++i) {
        EXPECT_TRUE(ok[static_cast<std::size_t>(i)]);
        total += applied[static_cast<std::size_t>(i)];
    }
    EXPECT_EQ(total, files.size());
}

TEST(Migrate, CurrentCheckReportsPendingFiles) {
    pqxx::connection connection(TestCluster::instance().create_database());
    const std::vector<MigrationFile> first = {{"0001_a.sql", "CREATE TABLE a (x integer);"}};
    auto before = check_migrations_current(connection, first);
    ASSERT_FALSE(before.has_value());
    EXPECT_EQ(before.error().code, ErrorCode::migration_failed);
    ASSERT_TRUE(migrate(connection, first).has_value());
    EXPECT_TRUE(check_migrations_current(connection, first).has_value());
    auto pending = check_migrations_current(
        connection, {first[0], {"0002_b.sql", "CREATE TABLE b (y integer);"}});
    ASSERT_FALSE(pending.has_value());
    EXPECT_NE(pending.error().detail.find("0002_b.sql"), std::string::npos);
}

TEST(Migrate, AppendOnlyTriggerRefusesUpdateAndDelete) {
    pqxx::connection connection(TestCluster::instance().create_database());
    ASSERT_TRUE(migrate(connection, embedded_migration_files()).has_value());
    {
        pqxx::work tx(connection);
        tx.exec("INSERT INTO node_starts (version, host) VALUES ('t', 'h')");
        tx.commit();
    }
    for (const char* statement : {"UPDATE node_starts SET host = 'x'", "DELETE FROM node_starts"}) {
        pqxx::work tx(connection);
        EXPECT_THROW(tx.exec(statement), pqxx::sql_error) << statement;
    }
    EXPECT_EQ(count(connection, "SELECT count(*) FROM node_starts WHERE host = 'h'"), 1);
}

}  // namespace
}  // namespace gw::db
