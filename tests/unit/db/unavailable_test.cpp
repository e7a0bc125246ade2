// Proves which failures mean "the database is unavailable" or "too busy, retry later" (both
// 503) rather than a defect (500). The whole path — PostgreSQL stopped under load — is
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

TEST(DatabaseBusy, TimeoutsAndLostContentionAreBusyNotUnavailable) {
    for (const char* state : {"57014", "55P03", "40001", "40P01"}) {
        EXPECT_TRUE(is_database_busy(pqxx::sql_error("x", "SELECT 1", state))) << state;
        EXPECT_FALSE(is_database_unavailable(pqxx::sql_error("x", "SELECT 1", state))) << state;
    }
}

TEST(DatabaseBusy, DefectsDataErrorsAndOutagesAreNot) {
    EXPECT_FALSE(is_database_busy(std::runtime_error("bug")));
    EXPECT_FALSE(is_database_busy(pqxx::broken_connection("server closed the connection")));
    EXPECT_FALSE(is_database_busy(PoolTimeout("no connection free")));
    for (const char* state : {"23505", "42P01", "22003", "08006", "57P01", "53300"}) {
        EXPECT_FALSE(is_database_busy(pqxx::sql_error("x", "SELECT 1", state))) << state;
    }
}

}  // namespace
}  // namespace gw::db
