// Proves the parts of migration handling that need no server: checksums are SHA-256 of the
// exact text, and the embedded set is well formed (NNNN_name.sql, strictly increasing).

#include <gtest/gtest.h>

#include "db/embedded_migrations.hpp"
#include "db/migrate.hpp"

namespace gw::db {
namespace {

TEST(MigrationChecksum, IsSha256OfExactText) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_NE(sha256_hex("SELECT 1;"), sha256_hex("SELECT 1; "));
}

TEST(EmbeddedMigrations, AreNamedAndOrdered) {
    const auto& files = embedded_migration_files();
    ASSERT_FALSE(files.empty());
    EXPECT_EQ(files.front().file_name, "0001_init.sql");
    for (std::size_t i = 1; i < files.size(); ++i) {
        EXPECT_LT(files[i - 1].file_name, files[i].file_name);
    }
    for (const auto& file : files) {
        EXPECT_FALSE(file.sql.empty()) << file.file_name;
    }
}

}  // namespace
}  // namespace gw::db
