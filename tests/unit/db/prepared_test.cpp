// db::statement_name: a prepared statement's name is a pure function of its text, so every
// pooled connection names a statement alike and two statements never share a name.

#include "db/prepared.hpp"

#include <gtest/gtest.h>

namespace gw::db {
namespace {

TEST(StatementName, IsGwAndSixteenHexDigitsOfTheText) {
    const std::string name = statement_name("SELECT 1");
    ASSERT_EQ(name.size(), 19U);
    EXPECT_EQ(name.substr(0, 3), "gw_");
    EXPECT_EQ(name.find_first_not_of("0123456789abcdef", 3), std::string::npos) << name;
}

TEST(StatementName, IsStableAndTellsTextsApart) {
    EXPECT_EQ(statement_name("SELECT 1"), statement_name("SELECT 1"));
    EXPECT_NE(statement_name("SELECT 1"), statement_name("SELECT 2"));
    EXPECT_NE(statement_name("SELECT 1"), statement_name("SELECT 1 "));
    EXPECT_NE(statement_name(""), statement_name(" "));
}

TEST(StatementName, IsFnv1aOfTheText) {
    // FNV-1a 64 of the empty string is its offset basis, and of "a" a published test vector.
    EXPECT_EQ(statement_name(""), "gw_cbf29ce484222325");
    EXPECT_EQ(statement_name("a"), "gw_af63dc4c8601ec8c");
}

}  // namespace
}  // namespace gw::db
