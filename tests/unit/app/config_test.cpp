// Proves configuration loading: defaults, every override, and that each bad variable is named
// in the error (and DATABASE_URL's value is never echoed). For reconciliation: the daily time
// HH:MM at its edges, the payout timeout at 30..86400 and one step outside, the alert webhook
// (http(s) only, its value never echoed), and the shortcodes taken from the M-Pesa settings.

#include "app/config.hpp"

#include <chrono>
#include <string>
#include <utility>

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

TEST(Config, CrashPointsAreForDevelopmentOnlyAndByName) {
    const auto armed = load_config({{"GOLDWALLET_ENV", "development"}, {"GOLDWALLET_CRASH_AT", "stk.sent"}});
    ASSERT_TRUE(armed.has_value()) << armed.error().detail;
    EXPECT_EQ(armed->crash_at, "stk.sent");
    EXPECT_EQ(load_config({})->crash_at, "");
    const auto in_production = load_config({{"GOLDWALLET_CRASH_AT", "stk.sent"}});
    ASSERT_FALSE(in_production.has_value());
    EXPECT_NE(in_production.error().detail.find("GOLDWALLET_CRASH_AT"), std::string::npos);
    EXPECT_FALSE(load_config({{"GOLDWALLET_ENV", "development"}, {"GOLDWALLET_CRASH_AT", "stk"}}).has_value());
}

TEST(Config, BodyLimitBoundaries) {
    EXPECT_TRUE(load_config({{"GOLDWALLET_HTTP_BODY_BYTES_MAX", "1024"}}).has_value());
    EXPECT_FALSE(load_config({{"GOLDWALLET_HTTP_BODY_BYTES_MAX", "1023"}}).has_value());
}

TEST(Config, TrailingGarbageIsRejected) {
    EXPECT_FALSE(load_config({{"GOLDWALLET_HTTP_PORT", "80x"}}).has_value());
    EXPECT_FALSE(load_config({{"GOLDWALLET_HTTP_PORT", " 80"}}).has_value());
}


// Expects load_config(env) to fail with invalid_configuration naming `variable`.
void expect_rejected(const Environment& env, const std::string& variable) {
    const auto config = load_config(env);
    ASSERT_FALSE(config.has_value()) << variable;
    EXPECT_EQ(config.error().code, ErrorCode::invalid_configuration);
    EXPECT_NE(config.error().detail.find(variable), std::string::npos) << config.error().detail;
}

// jobs::ReconcileSettings also defaults to 60 minutes; the next test proves the variable is read.
TEST(Config, ReconcilesDailyAtOneInTheMorningByDefault) {
    const auto config = load_config({});
    ASSERT_TRUE(config.has_value());
    EXPECT_EQ(config->reconcile.daily_at, std::chrono::minutes(60));
    const auto explicit_default = load_config({{"GOLDWALLET_RECONCILE_AT", "01:00"}});
    ASSERT_TRUE(explicit_default.has_value());
    EXPECT_EQ(explicit_default->reconcile.daily_at, std::chrono::minutes(60));
}

TEST(Config, ReconcileAtReadsEveryMinuteOfTheDay) {
    for (const auto& [text, minutes] : {std::pair{"00:00", 0}, std::pair{"23:59", 23 * 60 + 59},
                                        std::pair{"12:05", 12 * 60 + 5},
                                        std::pair{"09:30", 9 * 60 + 30}}) {
        const auto config = load_config({{"GOLDWALLET_RECONCILE_AT", text}});
        ASSERT_TRUE(config.has_value()) << text;
        EXPECT_EQ(config->reconcile.daily_at, std::chrono::minutes(minutes)) << text;
    }
}

TEST(Config, ReconcileAtRefusesWhatIsNotATimeOfDay) {
    for (const char* text : {"24:00", "1:00", "01:0", "ab:cd", "12:60", "99:99", "01-00", "0100",
                             "01:00:00", " 1:00", "+1:00", "-1:00", "01: 0", "01:00 "}) {
        expect_rejected({{"GOLDWALLET_RECONCILE_AT", text}}, "GOLDWALLET_RECONCILE_AT");
    }
}

TEST(Config, PayoutTimeoutBoundaries) {
    for (const auto& [text, seconds] : {std::pair{"30", 30}, std::pair{"86400", 86'400}}) {
        const auto config = load_config({{"GOLDWALLET_PAYOUT_TIMEOUT_SECONDS", text}});
        ASSERT_TRUE(config.has_value()) << text;
        EXPECT_EQ(config->payout_sweep.timeout, std::chrono::seconds(seconds));
    }
    for (const char* text : {"29", "86401", "0", "-30", "5m"}) {
        expect_rejected({{"GOLDWALLET_PAYOUT_TIMEOUT_SECONDS", text}},
                        "GOLDWALLET_PAYOUT_TIMEOUT_SECONDS");
    }
}

TEST(Config, AlertWebhookIsOffByDefaultAndTakesHttpOrHttps) {
    const auto off = load_config({});
    ASSERT_TRUE(off.has_value());
    EXPECT_EQ(off->alerts.webhook_url, "");
    for (const char* url : {"http://127.0.0.1:9000/alerts", "https://hooks.example.com/T0/B0"}) {
        const auto config = load_config({{"GOLDWALLET_ALERT_WEBHOOK_URL", url}});
        ASSERT_TRUE(config.has_value()) << url;
        EXPECT_EQ(config->alerts.webhook_url, url);
    }
}

TEST(Config, AlertWebhookRefusesOtherSchemesWithoutEchoingTheUrl) {
    for (const char* url : {"ftp://x", "hooks.example.com/alerts", "https://a b/c",
                            "https://x/secret-token\n"}) {
        const auto config = load_config({{"GOLDWALLET_ALERT_WEBHOOK_URL", url}});
        ASSERT_FALSE(config.has_value()) << url;
        EXPECT_EQ(config.error().code, ErrorCode::invalid_configuration);
        EXPECT_NE(config.error().detail.find("GOLDWALLET_ALERT_WEBHOOK_URL"), std::string::npos);
        EXPECT_EQ(config.error().detail.find(url), std::string::npos)
            << "the URL may hold a token: " << config.error().detail;
    }
    const auto secret = load_config({{"GOLDWALLET_ALERT_WEBHOOK_URL", "ftp://user:s3cr3t@x"}});
    ASSERT_FALSE(secret.has_value());
    EXPECT_EQ(secret.error().detail.find("s3cr3t"), std::string::npos) << secret.error().detail;
}

TEST(Config, ReconcileShortcodesFollowTheMpesaShortcodes) {
    const auto defaults = load_config({});
    ASSERT_TRUE(defaults.has_value());
    EXPECT_EQ(defaults->reconcile.paybill_shortcode, defaults->mpesa.shortcode);
    EXPECT_EQ(defaults->reconcile.b2c_shortcode, defaults->mpesa.b2c_shortcode);

    const auto config = load_config({{"GOLDWALLET_MPESA_SHORTCODE", "123456"},
                                     {"GOLDWALLET_MPESA_B2C_SHORTCODE", "7654321"}});
    ASSERT_TRUE(config.has_value());
    EXPECT_EQ(config->reconcile.paybill_shortcode, "123456");
    EXPECT_EQ(config->reconcile.b2c_shortcode, "7654321");
}

TEST(Config, EveryBadReconciliationVariableIsNamedAtOnce) {
    const auto config = load_config({{"GOLDWALLET_RECONCILE_AT", "25:00"},
                                     {"GOLDWALLET_PAYOUT_TIMEOUT_SECONDS", "1"},
                                     {"GOLDWALLET_ALERT_WEBHOOK_URL", "ftp://x"}});
    ASSERT_FALSE(config.has_value());
    for (const char* name : {"GOLDWALLET_RECONCILE_AT", "GOLDWALLET_PAYOUT_TIMEOUT_SECONDS",
                             "GOLDWALLET_ALERT_WEBHOOK_URL"}) {
        EXPECT_NE(config.error().detail.find(name), std::string::npos) << name;
    }
}

TEST(Config, TradeRateLimitsDefaultAndOverride) {
    const auto defaults = load_config({});
    ASSERT_TRUE(defaults.has_value());
    EXPECT_EQ(defaults->rate_limits.trade_per_user.burst, 10);
    EXPECT_EQ(defaults->rate_limits.trade_per_user.period, std::chrono::seconds(60));
    EXPECT_EQ(defaults->rate_limits.trade_per_ip.burst, 60);

    const auto set = load_config({{"GOLDWALLET_RATE_LIMIT_TRADE_USER", "3/10"},
                                  {"GOLDWALLET_RATE_LIMIT_TRADE_IP", "1000000/86400"}});
    ASSERT_TRUE(set.has_value()) << set.error().detail;
    EXPECT_EQ(set->rate_limits.trade_per_user.burst, 3);
    EXPECT_EQ(set->rate_limits.trade_per_user.period, std::chrono::seconds(10));
    EXPECT_EQ(set->rate_limits.trade_per_ip.burst, 1'000'000);
    EXPECT_EQ(set->rate_limits.trade_per_ip.period, std::chrono::seconds(86'400));

    for (const char* bad : {"0/60", "10/0", "10", "10/86401", "1000001/60", "ten/60"}) {
        const auto refused = load_config({{"GOLDWALLET_RATE_LIMIT_TRADE_USER", bad}});
        ASSERT_FALSE(refused.has_value()) << bad;
        EXPECT_NE(refused.error().detail.find("GOLDWALLET_RATE_LIMIT_TRADE_USER"),
                  std::string::npos);
    }
}

TEST(Config, OutboxLeaseDefaultsTo120SecondsAndMustOutlastTwoDarajaCalls) {
    const auto defaults = load_config({});
    ASSERT_TRUE(defaults.has_value());
    EXPECT_EQ(defaults->outbox.lease_ms, 120'000);

    const auto timeouts = Environment{{"GOLDWALLET_MPESA_CONNECT_TIMEOUT_MS", "500"},
                                    {"GOLDWALLET_MPESA_READ_TIMEOUT_MS", "1000"}};
    auto with_lease = [&](const std::string& lease) {
        auto variables = timeouts;
        variables["GOLDWALLET_OUTBOX_LEASE_MS"] = lease;
        return load_config(variables);
    };
    const auto shortest = with_lease("3001");
    ASSERT_TRUE(shortest.has_value()) << shortest.error().detail;
    EXPECT_EQ(shortest->outbox.lease_ms, 3'001);
    for (const char* bad : {"3000", "999", "3600001", "soon"}) {
        const auto refused = with_lease(bad);
        ASSERT_FALSE(refused.has_value()) << bad;
        EXPECT_NE(refused.error().detail.find("GOLDWALLET_OUTBOX_LEASE_MS"), std::string::npos) << bad;
    }
}

}  // namespace
}  // namespace gw::app
