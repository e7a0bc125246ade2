#include "app/config.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <vector>

#include "core/crash_point.hpp"
#include "mpesa/source_allowlist.hpp"

extern char** environ;  // NOLINT: POSIX global, read once here

namespace gw::app {
namespace {

// Collects every problem so one start-up attempt reports them all.
class Reader {
public:
    explicit Reader(const Environment& env) : env_(env) {}

    const std::string* raw(const std::string& name) const {
        auto found = env_.find(name);
        return found == env_.end() || found->second.empty() ? nullptr : &found->second;
    }

    std::string text(const std::string& name, std::string fallback) const {
        const std::string* value = raw(name);
        return value ? *value : std::move(fallback);
    }

    template <typename Int>
    Int integer(const std::string& name, Int fallback, Int min, Int max) {
        const std::string* value = raw(name);
        if (!value) {
            return fallback;
        }
        Int parsed{};
        const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), parsed);
        if (ec != std::errc{} || end != value->data() + value->size() || parsed < min ||
            parsed > max) {
            problem(name + " must be an integer from " + std::to_string(min) + " to " +
                    std::to_string(max) + ", got '" + *value + "'");
            return fallback;
        }
        return parsed;
    }

    bool boolean(const std::string& name, bool fallback) {
        const std::string* value = raw(name);
        if (!value) {
            return fallback;
        }
        if (*value == "true" || *value == "1") {
            return true;
        }
        if (*value == "false" || *value == "0") {
            return false;
        }
        problem(name + " must be true or false, got '" + *value + "'");
        return fallback;
    }

    void problem(std::string message) { problems_.push_back(std::move(message)); }

    Result<void> outcome() const {
        if (problems_.empty()) {
            return {};
        }
        std::string detail;
        for (const std::string& message : problems_) {
            detail += (detail.empty() ? "" : "; ") + message;
        }
        return make_error(ErrorCode::invalid_configuration, detail);
    }

private:
    const Environment& env_;
    std::vector<std::string> problems_;
};

// The web UIs: GOLDWALLET_WEB_DIR, else the checkout's web/ when it is there; set but empty
// serves the API alone.
void read_web_root(Reader& reader, http::Settings& http) {
    if (const std::string* dir = reader.raw("GOLDWALLET_WEB_DIR")) {
        http.web_root = *dir;
        if (!http.web_root.empty() && !std::filesystem::is_directory(http.web_root)) {
            reader.problem("GOLDWALLET_WEB_DIR is not a directory");
        }
        return;
    }
    if (std::filesystem::is_directory(GW_DEFAULT_WEB_DIR)) {
        http.web_root = GW_DEFAULT_WEB_DIR;
    }
}

void read_http(Reader& reader, http::Settings& http) {
    http.host = reader.text("GOLDWALLET_HTTP_HOST", http.host);
    http.port = reader.integer("GOLDWALLET_HTTP_PORT", http.port, 0, 65535);
    http.worker_threads =
        reader.integer<std::size_t>("GOLDWALLET_HTTP_THREADS", http.worker_threads, 1, 1024);
    http.body_bytes_max = reader.integer<std::size_t>("GOLDWALLET_HTTP_BODY_BYTES_MAX",
                                                      http.body_bytes_max, 1024, 64u << 20);
    http.json_depth_max =
        reader.integer<std::size_t>("GOLDWALLET_HTTP_JSON_DEPTH_MAX", http.json_depth_max, 2, 256);
    http.tls_cert_path = reader.text("GOLDWALLET_TLS_CERT", "");
    http.tls_key_path = reader.text("GOLDWALLET_TLS_KEY", "");
    if (http.tls_cert_path.empty() != http.tls_key_path.empty()) {
        reader.problem("GOLDWALLET_TLS_CERT and GOLDWALLET_TLS_KEY must be set together");
    }
    read_web_root(reader, http);
}

void read_db(Reader& reader, Config& config) {
    db::Settings& db = config.db;
    if (const std::string* url = reader.raw("DATABASE_URL")) {
        db.connection_string = *url;
        config.use_embedded_db = false;
    }
    db.pool_size = reader.integer<std::size_t>("GOLDWALLET_DB_POOL_SIZE", db.pool_size, 1, 512);
    db.acquire_timeout_ms =
        reader.integer("GOLDWALLET_DB_ACQUIRE_TIMEOUT_MS", db.acquire_timeout_ms, 1, 600'000);
    db.statement_timeout_ms =
        reader.integer("GOLDWALLET_DB_STATEMENT_TIMEOUT_MS", db.statement_timeout_ms, 1, 3'600'000);
    db.retry_attempts_max =
        reader.integer("GOLDWALLET_DB_RETRY_ATTEMPTS_MAX", db.retry_attempts_max, 1, 100);
    config.auto_migrate = reader.boolean("GOLDWALLET_AUTO_MIGRATE", config.auto_migrate);
    config.embedded_db.pg_bin_dir =
        reader.text("GOLDWALLET_PG_BIN_DIR", config.embedded_db.pg_bin_dir.string());
    config.embedded_db.os_user = reader.text("GOLDWALLET_PG_OS_USER", config.embedded_db.os_user);
}

bool is_http_url(const std::string& url) {
    return (url.starts_with("http://") || url.starts_with("https://")) && !url.ends_with("/") &&
           url.find(' ') == std::string::npos;
}

std::vector<std::string> comma_list(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        if (comma > start) {
            items.push_back(text.substr(start, comma - start));
        }
        start = comma + 1;
    }
    return items;
}

void read_choice(Reader& reader, const std::string& name, std::string& value,
                 const std::vector<std::string>& allowed) {
    value = reader.text(name, value);
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
        std::string list;
        for (const std::string& option : allowed) {
            list += (list.empty() ? "" : ", ") + option;
        }
        reader.problem(name + " must be one of " + list + ", got '" + value + "'");
    }
}

void read_mpesa(Reader& reader, Config& config) {
    mpesa::Settings& mpesa = config.mpesa;
    mpesa.base_url = reader.text("GOLDWALLET_MPESA_BASE_URL", mpesa.base_url);
    const std::string host = config.http.host == "0.0.0.0" ? "127.0.0.1" : config.http.host;
    mpesa.public_url = reader.text(
        "GOLDWALLET_PUBLIC_URL", "http://" + host + ":" + std::to_string(config.http.port));
    for (const auto& [name, url] : {std::pair{"GOLDWALLET_MPESA_BASE_URL", mpesa.base_url},
                                    std::pair{"GOLDWALLET_PUBLIC_URL", mpesa.public_url}}) {
        if (!is_http_url(url)) {
            reader.problem(std::string(name) + " must be an http(s) URL without a trailing slash");
        }
    }
    mpesa.shortcode = reader.text("GOLDWALLET_MPESA_SHORTCODE", mpesa.shortcode);
    mpesa.party_b = reader.text("GOLDWALLET_MPESA_PARTY_B", mpesa.shortcode);
    mpesa.b2c_shortcode = reader.text("GOLDWALLET_MPESA_B2C_SHORTCODE", mpesa.b2c_shortcode);
    for (const auto& [name, code] : {std::pair{"GOLDWALLET_MPESA_SHORTCODE", mpesa.shortcode},
                                     std::pair{"GOLDWALLET_MPESA_PARTY_B", mpesa.party_b},
                                     std::pair{"GOLDWALLET_MPESA_B2C_SHORTCODE", mpesa.b2c_shortcode}}) {
        if (code.size() < 5 || code.size() > 7 || code.find_first_not_of("0123456789") != std::string::npos) {
            reader.problem(std::string(name) + " must be a shortcode of 5 to 7 digits");
        }
    }
    read_choice(reader, "GOLDWALLET_MPESA_TRANSACTION_TYPE", mpesa.transaction_type,
                {"CustomerPayBillOnline", "CustomerBuyGoodsOnline"});
    read_choice(reader, "GOLDWALLET_MPESA_B2C_COMMAND_ID", mpesa.b2c_command_id,
                {"BusinessPayment", "SalaryPayment", "PromotionPayment"});
    mpesa.initiator_name = reader.text("GOLDWALLET_MPESA_INITIATOR_NAME", mpesa.initiator_name);
    mpesa.connect_timeout = std::chrono::milliseconds(reader.integer<std::int64_t>(
        "GOLDWALLET_MPESA_CONNECT_TIMEOUT_MS", mpesa.connect_timeout.count(), 100, 60'000));
    mpesa.read_timeout = std::chrono::milliseconds(reader.integer<std::int64_t>(
        "GOLDWALLET_MPESA_READ_TIMEOUT_MS", mpesa.read_timeout.count(), 100, 120'000));
    mpesa.ca_file = reader.text("GOLDWALLET_MPESA_CA_FILE", "");
    mpesa.confirm_by_query =
        reader.boolean("GOLDWALLET_MPESA_CONFIRM_BY_QUERY", !config.development);
    mpesa.callback_allowed_cidrs = comma_list(reader.text("GOLDWALLET_MPESA_CALLBACK_ALLOWED_CIDRS", ""));
    for (const std::string& entry : mpesa.callback_allowed_cidrs) {
        if (!mpesa::is_valid_allowlist_entry(entry)) {
            reader.problem("GOLDWALLET_MPESA_CALLBACK_ALLOWED_CIDRS has an entry that is not an "
                           "IPv4 address, IPv4 CIDR block or IPv6 address: '" + entry + "'");
        }
    }
    mpesa.callback_body_bytes_max = reader.integer<std::size_t>(
        "GOLDWALLET_MPESA_CALLBACK_BODY_BYTES_MAX", mpesa.callback_body_bytes_max, 1024, 1u << 20);
}

// "<burst>/<seconds>", e.g. "10/60".
void read_rate(Reader& reader, const std::string& name, http::RateLimitPolicy& policy) {
    const std::string* value = reader.raw(name);
    if (!value) {
        return;
    }
    const auto slash = value->find('/');
    std::int64_t burst = 0;
    std::int64_t seconds = 0;
    const char* begin = value->data();
    const char* end = begin + value->size();
    const bool ok = slash != std::string::npos &&
                    std::from_chars(begin, begin + slash, burst).ptr == begin + slash &&
                    std::from_chars(begin + slash + 1, end, seconds).ptr == end && burst >= 1 &&
                    burst <= 1'000'000 && seconds >= 1 && seconds <= 86'400;
    if (!ok) {
        reader.problem(name + " must look like <burst>/<seconds> (e.g. 10/60), got '" + *value + "'");
        return;
    }
    policy = {burst, std::chrono::seconds(seconds)};
}

void read_identity(Reader& reader, Config& config) {
    config.auth.access_token_ttl = std::chrono::seconds(reader.integer<std::int64_t>(
        "GOLDWALLET_ACCESS_TOKEN_TTL_SECONDS", config.auth.access_token_ttl.count(), 60, 3600));
    config.auth.session_ttl = std::chrono::days(reader.integer<std::int64_t>(
        "GOLDWALLET_SESSION_TTL_DAYS", 30, 1, 365));
    config.auth.session_cache_ttl = std::chrono::milliseconds(reader.integer<std::int64_t>(
        "GOLDWALLET_SESSION_CACHE_TTL_MS", config.auth.session_cache_ttl.count(), 0, 60'000));
    config.terms_version = reader.text("GOLDWALLET_TERMS_VERSION", config.terms_version);
    config.kyc.file_bytes_max = reader.integer<std::size_t>(
        "GOLDWALLET_KYC_FILE_BYTES_MAX", config.kyc.file_bytes_max, 1024, 64u << 20);
    config.kyc.retention = std::chrono::days(reader.integer<std::int64_t>(
        "GOLDWALLET_KYC_RETENTION_DAYS", config.kyc.retention.count(), 1, 36'500));
    config.kyc_purge_interval = std::chrono::seconds(reader.integer<std::int64_t>(
        "GOLDWALLET_KYC_PURGE_INTERVAL_SECONDS", config.kyc_purge_interval.count(), 1, 86'400));
    config.kyc_dir = reader.text("GOLDWALLET_KYC_DIR", (config.data_dir / "kyc").string());
    config.http.upload_bytes_max = config.kyc.file_bytes_max + (64u << 10);
    read_rate(reader, "GOLDWALLET_RATE_LIMIT_LOGIN_IP", config.rate_limits.login_per_ip);
    read_rate(reader, "GOLDWALLET_RATE_LIMIT_LOGIN_USER", config.rate_limits.login_per_username);
    read_rate(reader, "GOLDWALLET_RATE_LIMIT_REGISTER_IP", config.rate_limits.register_per_ip);
    read_rate(reader, "GOLDWALLET_RATE_LIMIT_REFRESH_IP", config.rate_limits.refresh_per_ip);
    read_rate(reader, "GOLDWALLET_RATE_LIMIT_TRADE_USER", config.rate_limits.trade_per_user);
    read_rate(reader, "GOLDWALLET_RATE_LIMIT_TRADE_IP", config.rate_limits.trade_per_ip);
}

void read_trading_jobs(Reader& reader, Config& config) {
    std::string payout_mode(trading::to_string(config.sells.payout_mode));
    read_choice(reader, "GOLDWALLET_PAYOUT_MODE", payout_mode, {"manual", "b2c"});
    config.sells.payout_mode = trading::parse_payout_mode(payout_mode).value_or(config.sells.payout_mode);
    config.buys.payment_timeout = std::chrono::seconds(reader.integer<std::int64_t>(
        "GOLDWALLET_STK_TIMEOUT_SECONDS", config.buys.payment_timeout.count(), 1, 3600));
    config.sweep_interval = std::chrono::seconds(reader.integer<std::int64_t>(
        "GOLDWALLET_SWEEP_INTERVAL_SECONDS", config.sweep_interval.count(), 1, 3600));
    config.outbox.worker_count = reader.integer<std::size_t>(
        "GOLDWALLET_OUTBOX_WORKERS", config.outbox.worker_count, 0, jobs::kOutboxWorkerCountLimit);
    config.outbox.poll_interval_ms = reader.integer<std::int64_t>(
        "GOLDWALLET_OUTBOX_POLL_MS", config.outbox.poll_interval_ms, 10, 60'000);
    config.outbox.attempts_max = reader.integer<int>(
        "GOLDWALLET_OUTBOX_ATTEMPTS_MAX", config.outbox.attempts_max, 1, jobs::kOutboxAttemptsLimit);
    config.outbox.lease_ms = reader.integer<std::int64_t>(
        "GOLDWALLET_OUTBOX_LEASE_MS", config.outbox.lease_ms, jobs::kOutboxLeaseMsMin, jobs::kOutboxLeaseMsLimit);
    // A claim must outlast the handler it covers, or a second worker starts the same message:
    // a handler makes up to two Daraja calls (an OAuth token, then the request).
    const std::int64_t handler_ms_max = 2 * (config.mpesa.connect_timeout + config.mpesa.read_timeout).count();
    if (config.outbox.lease_ms <= handler_ms_max) {
        reader.problem("GOLDWALLET_OUTBOX_LEASE_MS must exceed twice GOLDWALLET_MPESA_CONNECT_TIMEOUT_MS + "
                       "GOLDWALLET_MPESA_READ_TIMEOUT_MS (" + std::to_string(handler_ms_max) + " ms)");
    }
}

// GOLDWALLET_RECONCILE_AT ("HH:MM", Nairobi), the payout timeout, the alert webhook.
void read_reconciliation(Reader& reader, Config& config) {
    const std::string at = reader.text("GOLDWALLET_RECONCILE_AT", "01:00");
    const bool shaped = at.size() == 5 && at[2] == ':' &&
                        at.find_first_not_of("0123456789", 0) == 2 &&
                        at.find_first_not_of("0123456789", 3) == std::string::npos;
    const int hours = shaped ? std::stoi(at.substr(0, 2)) : -1;
    const int minutes = shaped ? std::stoi(at.substr(3, 2)) : -1;
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
        reader.problem("GOLDWALLET_RECONCILE_AT must be a Nairobi time of day HH:MM, got '" + at + "'");
    } else {
        config.reconcile.daily_at = std::chrono::minutes(hours * 60 + minutes);
    }
    config.reconcile.paybill_shortcode = config.mpesa.shortcode;
    config.reconcile.b2c_shortcode = config.mpesa.b2c_shortcode;
    config.payout_sweep.timeout = std::chrono::seconds(reader.integer<std::int64_t>(
        "GOLDWALLET_PAYOUT_TIMEOUT_SECONDS", config.payout_sweep.timeout.count(), 30, 86'400));
    config.payout_sweep.recheck = std::max(config.payout_sweep.timeout, std::chrono::seconds(60));
    config.alerts.webhook_url = reader.text("GOLDWALLET_ALERT_WEBHOOK_URL", "");
    const std::string& url = config.alerts.webhook_url;
    if (!url.empty() && (!(url.starts_with("http://") || url.starts_with("https://")) ||
                         url.find_first_of(" \t\r\n") != std::string::npos)) {
        reader.problem("GOLDWALLET_ALERT_WEBHOOK_URL must be an http:// or https:// URL");
    }
}

}  // namespace

Environment process_environment() {
    Environment env;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view pair(*entry);
        const std::size_t equals = pair.find('=');
        if (equals != std::string_view::npos) {
            env.emplace(pair.substr(0, equals), pair.substr(equals + 1));
        }
    }
    return env;
}

Result<Config> load_config(const Environment& env) {
    Config config;
    Reader reader(env);
    config.data_dir = reader.text("GOLDWALLET_DATA_DIR", config.data_dir.string());
    const std::string level = reader.text("GOLDWALLET_LOG_LEVEL", "info");
    if (!obs::parse_log_level(level, config.log_level)) {
        reader.problem("GOLDWALLET_LOG_LEVEL must be one of debug, info, warn, error, off, got '" +
                       level + "'");
    }
    read_choice(reader, "GOLDWALLET_ENV", config.environment, {"production", "development"});
    config.development = config.environment == "development";
    read_http(reader, config.http);
    read_db(reader, config);
    read_identity(reader, config);
    read_mpesa(reader, config);
    config.ledger.batching = reader.boolean("GOLDWALLET_LEDGER_BATCHING", config.ledger.batching);
    config.ledger.batch_wait_us_max = std::chrono::microseconds(reader.integer<std::int64_t>(
        "GOLDWALLET_LEDGER_BATCH_WAIT_US", config.ledger.batch_wait_us_max.count(), 0, 100'000));
    config.ledger.batch_transfers_max = reader.integer<std::size_t>(
        "GOLDWALLET_LEDGER_BATCH_TRANSFERS_MAX", config.ledger.batch_transfers_max, 1, 100'000);
    config.quotes.quote_ttl = std::chrono::seconds(reader.integer<std::int64_t>(
        "GOLDWALLET_QUOTE_TTL_SECONDS", config.quotes.quote_ttl.count(), 5, 600));
    read_trading_jobs(reader, config);
    read_reconciliation(reader, config);
    config.crash_at = reader.text("GOLDWALLET_CRASH_AT", "");
    if (!config.crash_at.empty() && (!config.development || !is_crash_point(config.crash_at))) {
        reader.problem("GOLDWALLET_CRASH_AT is for fault-injection tests: it needs GOLDWALLET_ENV=development "
                       "and a name of src/core/crash_point.hpp, got '" + config.crash_at + "'");
    }
    if (auto outcome = reader.outcome(); !outcome) {
        return outcome.error();
    }
    return config;
}

}  // namespace gw::app
