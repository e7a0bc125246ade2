// Proves secrets loading: keys from variables or files, every malformed or missing one is named
// in the error without its value, and the keyring keeps previous keys for decryption.

#include "app/secrets.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

namespace gw::app {
namespace {

const std::string kKeyA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const std::string kKeyB = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

TEST(Secrets, LoadsKeysFromVariables) {
    auto secrets = load_secrets({{"GOLDWALLET_JWT_KEY", kKeyA}, {"GOLDWALLET_MASTER_KEY", kKeyB}});
    ASSERT_TRUE(secrets.has_value()) << secrets.error().detail;
    EXPECT_EQ(secrets->master_keys.current_id, 1u);
    EXPECT_EQ(secrets->master_keys.keys.size(), 1u);
    EXPECT_EQ(secrets->blind_index_key_id, 1u);
}

TEST(Secrets, LoadsKeysFromFilesWithSurroundingWhitespace) {
    const auto path = std::filesystem::temp_directory_path() / ("gw-key-" + std::to_string(::getpid()));
    std::ofstream(path) << "  " << kKeyA << "\n";
    auto secrets = load_secrets({{"GOLDWALLET_JWT_KEY_FILE", path.string()},
                                 {"GOLDWALLET_MASTER_KEY_FILE", path.string()}});
    std::filesystem::remove(path);
    EXPECT_TRUE(secrets.has_value());
}

TEST(Secrets, MissingKeyIsNamed) {
    auto secrets = load_secrets({{"GOLDWALLET_JWT_KEY", kKeyA}});
    ASSERT_FALSE(secrets.has_value());
    EXPECT_EQ(secrets.error().code, ErrorCode::invalid_configuration);
    EXPECT_NE(secrets.error().detail.find("GOLDWALLET_MASTER_KEY"), std::string::npos);
}

TEST(Secrets, MalformedKeyIsNamedButNotEchoed) {
    const std::string short_key = kKeyA.substr(0, 62);
    auto secrets = load_secrets({{"GOLDWALLET_JWT_KEY", short_key}, {"GOLDWALLET_MASTER_KEY", kKeyB}});
    ASSERT_FALSE(secrets.has_value());
    EXPECT_NE(secrets.error().detail.find("GOLDWALLET_JWT_KEY"), std::string::npos);
    EXPECT_EQ(secrets.error().detail.find(short_key), std::string::npos);
}

TEST(Secrets, UnreadableFileIsNamed) {
    auto secrets = load_secrets({{"GOLDWALLET_JWT_KEY_FILE", "/nonexistent/jwt.key"},
                                 {"GOLDWALLET_MASTER_KEY", kKeyB}});
    ASSERT_FALSE(secrets.has_value());
    EXPECT_NE(secrets.error().detail.find("GOLDWALLET_JWT_KEY_FILE"), std::string::npos);
}

TEST(Secrets, PreviousKeysJoinTheRing) {
    auto secrets = load_secrets({{"GOLDWALLET_JWT_KEY", kKeyA},
                                 {"GOLDWALLET_MASTER_KEY", kKeyB},
                                 {"GOLDWALLET_MASTER_KEY_ID", "2"},
                                 {"GOLDWALLET_MASTER_KEYS_PREVIOUS", "1:" + kKeyA},
                                 {"GOLDWALLET_BLIND_INDEX_KEY_ID", "1"}});
    ASSERT_TRUE(secrets.has_value()) << secrets.error().detail;
    EXPECT_EQ(secrets->master_keys.current_id, 2u);
    EXPECT_EQ(secrets->master_keys.keys.size(), 2u);
    EXPECT_EQ(secrets->blind_index_key_id, 1u);
}

TEST(Secrets, DuplicateOrMalformedPreviousKeysAreRefused) {
    for (const std::string& previous :
         std::vector<std::string>{"1:" + kKeyA, "x:" + kKeyA, "3" + kKeyA, "3:abc"}) {
        auto secrets = load_secrets({{"GOLDWALLET_JWT_KEY", kKeyA},
                                     {"GOLDWALLET_MASTER_KEY", kKeyB},
                                     {"GOLDWALLET_MASTER_KEYS_PREVIOUS", previous}});
        ASSERT_FALSE(secrets.has_value()) << previous;
        EXPECT_NE(secrets.error().detail.find("GOLDWALLET_MASTER_KEYS_PREVIOUS"), std::string::npos);
    }
}

TEST(Secrets, BlindIndexKeyMustBeInTheRing) {
    auto secrets = load_secrets({{"GOLDWALLET_JWT_KEY", kKeyA},
                                 {"GOLDWALLET_MASTER_KEY", kKeyB},
                                 {"GOLDWALLET_BLIND_INDEX_KEY_ID", "7"}});
    ASSERT_FALSE(secrets.has_value());
    EXPECT_NE(secrets.error().detail.find("GOLDWALLET_BLIND_INDEX_KEY_ID"), std::string::npos);
}

}  // namespace
}  // namespace gw::app
