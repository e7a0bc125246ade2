#include "mpesa/daraja_client.hpp"

#include <charconv>

#include <httplib.h>
#include <sodium.h>

#include "observability/log.hpp"

namespace gw::mpesa {
namespace {

using Json = nlohmann::json;

constexpr const char* kOauthPath = "/oauth/v1/generate?grant_type=client_credentials";


// Daraja documents expires_in as a number and sends a string ("3599"); accept both.
std::optional<std::int64_t> expires_in_seconds(const Json& body) {
    const auto found = body.find("expires_in");
    if (found == body.end()) {
        return std::nullopt;
    }
    if (found->is_number_integer()) {
        return found->get<std::int64_t>();
    }
    if (!found->is_string()) {
        return std::nullopt;
    }
    const std::string text = found->get<std::string>();
    std::int64_t seconds = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return seconds;
}

std::string error_code_of(const Reply& reply) {
    if (!reply.transport_error.empty()) {
        return reply.transport_error;
    }
    const auto error = parse_daraja_error(reply.body);
    return error ? error->error_code : std::string();
}

}  // namespace

DarajaClient::DarajaClient(Settings settings,
                           Credentials credentials,
                           const Clock& clock,
                           obs::MetricsRegistry& metrics)
    : settings_(std::move(settings)),
      credentials_(std::move(credentials)),
      clock_(clock),
      metrics_(metrics) {}

Result<Call<StkPushAnswer>> DarajaClient::stk_push(const StkPushOrder& order) {
    auto body = stk_push_body(settings_, credentials_, order, clock_.now());
    if (!body) {
        return body.error();
    }
    Call<StkPushAnswer> call;
    const Reply reply = post("stk_push", "/mpesa/stkpush/v1/processrequest", *body, call.exchanges);
    call.answer = classify_stk_push(reply);
    return call;
}

Call<StkQueryAnswer> DarajaClient::stk_query(std::string_view checkout_request_id) {
    Call<StkQueryAnswer> call;
    const Json body = stk_query_body(settings_, credentials_, checkout_request_id, clock_.now());
    const Reply reply = post("stk_query", "/mpesa/stkpushquery/v1/query", body, call.exchanges);
    call.answer = classify_stk_query(reply);
    return call;
}

Result<Call<AsyncAnswer>> DarajaClient::b2c_payment(const B2cOrder& order) {
    auto body = b2c_payment_body(settings_, credentials_, order);
    if (!body) {
        return body.error();
    }
    Call<AsyncAnswer> call;
    const Reply reply = post("b2c_payment", "/mpesa/b2c/v3/paymentrequest", *body, call.exchanges);
    call.answer = classify_async_ack(reply);
    return call;
}

Call<AsyncAnswer> DarajaClient::transaction_status(const StatusQuery& query) {
    Call<AsyncAnswer> call;
    const Json body = transaction_status_body(settings_, credentials_, query);
    const Reply reply =
        post("transaction_status", "/mpesa/transactionstatus/v1/query", body, call.exchanges);
    call.answer = classify_async_ack(reply);
    return call;
}

void DarajaClient::forget_token_for_test() {
    const std::lock_guard lock(token_mutex_);
    token_.clear();
}

Reply DarajaClient::post(std::string_view operation,
                         const std::string& path,
                         const Json& body,
                         std::vector<Exchange>& exchanges) {
    const std::string text = body.dump();
    std::string rejected;
    for (int attempt = 0; attempt < 2; ++attempt) {
        const std::optional<std::string> token = bearer_token(rejected, exchanges);
        if (!token) {
            Reply no_token;
            no_token.transport_error = "oauth_failed";
            no_token.nothing_sent = true;
            return no_token;
        }
        Exchange exchange;
        exchange.operation = std::string(operation);
        exchange.path = path;
        exchange.request = redact_request(body);
        exchange.started_at = clock_.now();
        const auto started = std::chrono::steady_clock::now();
        exchange.reply = send("POST", path, "Bearer " + *token, text);
        exchange.duration = std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::steady_clock::now() - started);
        const Reply reply = exchange.reply;
        record(std::move(exchange), exchanges);
        if (!is_invalid_token(reply)) {
            return reply;
        }
        rejected = *token;
    }
    return exchanges.back().reply;
}

std::optional<std::string> DarajaClient::bearer_token(const std::string& rejected,
                                                      std::vector<Exchange>& exchanges) {
    const std::lock_guard lock(token_mutex_);
    const TimePoint now = clock_.now();
    if (!token_.empty() && token_ != rejected && now < token_expires_at_) {
        return token_;
    }
    token_.clear();
    const std::string basic = base64_encode(std::string(credentials_.consumer_key.reveal()) + ":" +
                                     std::string(credentials_.consumer_secret.reveal()));
    Exchange exchange;
    exchange.operation = "oauth";
    exchange.path = "/oauth/v1/generate";
    exchange.started_at = now;
    const auto started = std::chrono::steady_clock::now();
    Reply reply = send("GET", kOauthPath, "Basic " + basic, "");
    exchange.duration = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    const Json body = Json::parse(reply.body, nullptr, false);
    reply.body.clear();  // it holds the token
    exchange.reply = reply;
    record(std::move(exchange), exchanges);
    if (reply.http_status != 200 || !body.is_object() || !body.contains("access_token") ||
        !body["access_token"].is_string()) {
        return std::nullopt;
    }
    const std::optional<std::int64_t> lifetime = expires_in_seconds(body);
    if (!lifetime || *lifetime <= 0) {
        return std::nullopt;
    }
    token_ = body["access_token"].get<std::string>();
    token_expires_at_ = now + std::chrono::seconds(*lifetime) - settings_.token_refresh_margin;
    return token_;
}

Reply DarajaClient::send(const std::string& method,
                         const std::string& path,
                         const std::string& authorization,
                         const std::string& body) const {
    httplib::Client client(settings_.base_url);
    client.enable_server_certificate_verification(true);
    if (!settings_.ca_file.empty()) {
        client.set_ca_cert_path(settings_.ca_file.c_str());
    }
    const auto connect = settings_.connect_timeout;
    const auto read = settings_.read_timeout;
    client.set_connection_timeout(std::chrono::duration_cast<std::chrono::seconds>(connect).count(),
                                  static_cast<time_t>((connect.count() % 1000) * 1000));
    client.set_read_timeout(std::chrono::duration_cast<std::chrono::seconds>(read).count(),
                            static_cast<time_t>((read.count() % 1000) * 1000));
    client.set_write_timeout(std::chrono::duration_cast<std::chrono::seconds>(read).count(),
                             static_cast<time_t>((read.count() % 1000) * 1000));
    const httplib::Headers headers = {{"Authorization", authorization}};
    httplib::Result result = method == "GET"
                                 ? client.Get(path.c_str(), headers)
                                 : client.Post(path.c_str(), headers, body, "application/json");
    if (!result) {
        const httplib::Error error = result.error();
        Reply failed;
        failed.transport_error = httplib::to_string(error);
        failed.nothing_sent =
            error == httplib::Error::Connection || error == httplib::Error::ConnectionTimeout ||
            error == httplib::Error::BindIPAddress || error == httplib::Error::SSLConnection ||
            error == httplib::Error::SSLLoadingCerts ||
            error == httplib::Error::SSLServerVerification;
        return failed;
    }
    Reply reply;
    reply.http_status = result->status;
    reply.body = result->body;
    return reply;
}

void DarajaClient::record(Exchange exchange, std::vector<Exchange>& exchanges) {
    const Reply& reply = exchange.reply;
    const std::string outcome = !reply.transport_error.empty() ? "transport_error"
                                : reply.http_status == 200     ? "ok"
                                                               : "error";
    metrics_.increment("goldwallet_mpesa_requests_total",
                       "Requests sent to Daraja, by operation and outcome",
                       {{"operation", exchange.operation}, {"outcome", outcome}});
    metrics_.observe("goldwallet_mpesa_request_duration_seconds",
                     "Time Daraja took to answer",
                     {{"operation", exchange.operation}},
                     exchange.duration);
    obs::log_info("mpesa.exchange",
                  {{"operation", exchange.operation},
                   {"http_status", reply.http_status},
                   {"error", error_code_of(reply)},
                   {"duration_us", exchange.duration.count()}});
    exchanges.push_back(std::move(exchange));
}

}  // namespace gw::mpesa
