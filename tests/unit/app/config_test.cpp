// Proves configuration loading: defaults, every override, and that each bad variable is named
// in the error (and DATABASE_URL's value is never echoed).

#include "app/config.hpp"

#include <gtest/gtest.h>

namespace gw::app {
namespace {

TEST(Config, DefaultsWithEmptyEnvironment) {
    const auto config = load_config({});
    ASSERT_TRUE(config.has_value());
    EXPECT_EQ(config->http.host, "127.0.0.1");
    EXPECT_EQ(config->http.port, 8080);
    EXPECT_EQ(config->data_dir, "var");
    EXPECT_TRUE(config->use_embedded_db);
    EXPECT_TRUE(config->auto_migrate);
    EXPECT_EQ(config->http.body_bytes_max, 1u << 20);
    EXPECT_EQ(config->db.pool_size, 8u);
}

TEST(Config, ReadsOverrides) {
    const auto config = load_config({{"GOLDWALLET_HTTP_PORT", "9090"},
                                     {"GOLDWALLET_HTTP_HOST", "0.0.0.0"},
                                     {"GOLDWALLET_DATA_DIR", "/srv/gw"},
                                     {"GOLDWALLET_DB_POOL_SIZE", "3"},
                                     {"GOLDWALLET_HTTP_BODY_BYTES_MAX", "2048"},
                                     {"GOLDWALLET_AUTO_MIGRATE", "false"},
                                     {"GOLDWALLET_LOG_LEVEL", "debug"},
                                     {"DATABASE_URL", "postgresql:///elsewhere"}});
    ASSERT_TRUE(config.has_value());
    EXPECT_EQ(config->http.port, 9090);
    EXPECT_EQ(config->http.host, "0.0.0.0");
    EXPECT_EQ(config->data_dir, "/srv/gw");
    EXPECT_EQ(config->db.pool_size, 3u);
    EXPECT_EQ(config->http.body_bytes_max, 2048u);
    EXPECT_FALSE(config->auto_migrate);
    EXPECT_EQ(config->log_level, obs::LogLevel::debug);
    EXPECT_FALSE(config->use_embedded_db);
    EXPECT_EQ(config->db.connection_string, "postgresql:///elsewhere");
}

TEST(Config, PortBoundaries) {
    EXPECT_TRUE(load_config({{"GOLDWALLET_HTTP_PORT", "65535"}}).has_value());
    EXPECT_TRUE(load_config({{"GOLDWALLET_HTTP_PORT", "0"}}).has_value());
    EXPECT_FALSE(load_config({{"GOLDWALLET_HTTP_PORT", "65536"}}).has_value());
    EXPECT_FALSE(load_config({{"GOLDWALLET_HTTP_PORT", "-1"}}).has_value());
}

TEST(Config, NamesEveryBadVariable) {
    const auto config = load_config({{"GOLDWALLET_HTTP_PORT", "eighty"},
                                     {"GOLDWALLET_DB_POOL_SIZE", "0"},
                                     {"GOLDWALLET_AUTO_MIGRATE", "maybe"},
                                     {"GOLDWALLET_LOG_LEVEL", "loud"}});
    ASSERT_FALSE(config.has_value());
    EXPECT_EQ(config.error().code, ErrorCode::invalid_configuration);
    for (const char* name : {"GOLDWALLET_HTTP_PORT", "GOLDWALLET_DB_POOL_SIZE",
                             "GOLDWALLET_AUTO_MIGRATE", "GOLDWALLET_LOG_LEVEL"}) {
        EXPECT_NE(config.error().detail.find(name), std::string::npos) << name;
    }
}

TEST(Config, TlsNeedsBothFiles) {
    const auto config = load_config({{"GOLDWALLET_TLS_CERT", "/etc/cert.pem"}});
    ASSERT_FALSE(config.has_value());
    EXPECT_NE(config.error().detail.find("GOLDWALLET_TLS_KEY"), std::string::npos);
}

TEST(Config, BodyLimitBoundaries) {
    EXPECT_TRUE(load_config({{"GOLDWALLET_HTTP_BODY_BYTES_MAX", "1024"}}).has_value());
    EXPECT_FALSE(load_config({{"GOLDWALLET_HTTP_BODY_BYTES_MAX", "1023"}}).has_value());
}

TEST(Config, TrailingGarbageIsRejected) {
    EXPECT_FALSE(load_config({{"GOLDWALLET_HTTP_PORT", "80x"}}).has_value());
    EXPECT_FALSE(load_config({{"GOLDWALLET_HTTP_PORT", " 80"}}).has_value());
}

}  // namespace
}  // namespace gw::app
