// Proves which failures mean "the database is unavailable, retry later" (503) rather than a
// defect (500). The whole path — PostgreSQL stopped under load — is
// tests/e2e/database_restart_test.cpp.

#include "db/unavailable.hpp"

#include <gtest/gtest.h>
#include <pqxx/pqxx>
#include <stdexcept>

#include "db/pool.hpp"

namespace gw::db {
namespace {

TEST(DatabaseUnavailable, ConnectionLossShutdownAndExhaustionAreUnavailable) {
    EXPECT_TRUE(is_database_unavailable(pqxx::broken_connection("server closed the connection")));
    EXPECT_TRUE(is_database_unavailable(pqxx::in_doubt_error("commit outcome unknown")));
    EXPECT_TRUE(is_database_unavailable(PoolTimeout("no connection free")));
    for (const char* state : {"08006", "08001", "57P01", "57P02", "57P03", "53300"}) {
        EXPECT_TRUE(is_database_unavailable(pqxx::sql_error("x", "SELECT 1", state))) << state;
    }
}

TEST(DatabaseUnavailable, DefectsAndDataErrorsAreNot) {
    EXPECT_FALSE(is_database_unavailable(std::runtime_error("bug")));
    EXPECT_FALSE(is_database_unavailable(std::logic_error("bug")));
    for (const char* state : {"23505", "42P01", "40001", "57014", "22003"}) {
        EXPECT_FALSE(is_database_unavailable(pqxx::sql_error("x", "SELECT 1", state))) << state;
    }
}

}  // namespace
}  // namespace gw::db
