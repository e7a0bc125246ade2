#include "support/app_fixture.hpp"

#include <atomic>
#include <gtest/gtest.h>
#include <pqxx/pqxx>
#include <unistd.h>

#include "identity/secret_key.hpp"
#include "support/pg_fixture.hpp"

namespace gw::test {
namespace {

std::atomic<int> next_app{0};
std::atomic<int> next_phone{0};

}  // namespace

TimePoint test_epoch() {
    return TimePoint(std::chrono::seconds(1'795'000'000));  // 2026-11-18, fixed for determinism
}

app::Config test_config(const std::string& connection_string, const std::filesystem::path& kyc_dir) {
    auto loaded = app::load_config({});
    app::Config config = std::move(*loaded);
    config.http.port = 0;
    config.mpesa.public_url = "http://127.0.0.1:0";  // follows the port bind() picks
    config.http.worker_threads = 8;
    config.db.connection_string = connection_string;
    config.db.pool_size = 8;
    config.kyc_dir = kyc_dir;
    config.auth.session_cache_ttl = std::chrono::milliseconds(0);
    const http::RateLimitPolicy generous{100'000, std::chrono::seconds(1)};
    config.rate_limits = {.login_per_ip = generous,
                          .login_per_username = generous,
                          .register_per_ip = generous,
                          .refresh_per_ip = generous,
                          .trade_per_user = generous,
                          .trade_per_ip = generous};
    return config;
}

RunningApp::RunningApp(const std::function<void(app::Config&)>& adjust,
                       const std::function<void(app::Secrets&)>& adjust_secrets)
    : clock_(test_epoch()),
      database_(TestCluster::instance().create_migrated_database()),
      kyc_dir_(std::filesystem::temp_directory_path() /
               ("gw-kyc-" + std::to_string(::getpid()) + "-" + std::to_string(++next_app))) {
    app::Config config = test_config(database_, kyc_dir_);
    if (adjust) {
        adjust(config);
    }
    identity::PasswordHashSettings cheap{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    app::Secrets secrets = app::throwaway_secrets();
    if (adjust_secrets) {
        adjust_secrets(secrets);
    }
    application_ = std::make_unique<app::Application>(config, std::move(secrets), clock_, cheap);
    port_ = application_->bind();
    thread_ = std::thread([this] { application_->serve(); });
}

RunningApp::~RunningApp() {
    application_->stop();
    thread_.join();
    application_.reset();
    std::filesystem::remove_all(kyc_dir_);
}

httplib::Client RunningApp::client() const { return httplib::Client("127.0.0.1", port_); }

std::string RunningApp::query(const std::string& sql) const {
    pqxx::connection connection(database_);
    pqxx::nontransaction tx(connection);
    const pqxx::result rows = tx.exec(sql);
    if (rows.empty() || rows[0][0].is_null()) {
        return {};
    }
    return rows[0][0].as<std::string>();
}

JsonResponse answer_of(const httplib::Result& result) {
    JsonResponse response;
    if (!result) {
        return response;
    }
    response.status = result->status;
    response.headers = result->headers;
    response.raw = result->body;
    response.body = nlohmann::json::parse(result->body, nullptr, false);
    if (response.body.is_discarded()) {
        response.body = nullptr;
    }
    return response;
}

JsonResponse to_json_response(const httplib::Result& result, const std::string& what) {
    if (!result) {
        ADD_FAILURE() << what << ": " << httplib::to_string(result.error());
    }
    return answer_of(result);
}

JsonResponse request_json(const RunningApp& app, const std::string& method, const std::string& path,
                          const nlohmann::json& body, const std::string& bearer,
                          const httplib::Headers& extra_headers) {
    httplib::Client client = app.client();
    httplib::Headers headers = extra_headers;
    if (!bearer.empty()) {
        headers.emplace("Authorization", "Bearer " + bearer);
    }
    const std::string payload = body.is_null() ? std::string() : body.dump();
    httplib::Result result = [&] {
        if (method == "GET") {
            return client.Get(path.c_str(), headers);
        }
        if (method == "DELETE") {
            return client.Delete(path.c_str(), headers);
        }
        if (method == "PUT") {
            return client.Put(path.c_str(), headers, payload, "application/json");
        }
        return client.Post(path.c_str(), headers, payload, "application/json");
    }();
    return to_json_response(result, method + " " + path);
}

nlohmann::json register_and_login(const RunningApp& app, const std::string& username,
                                  const std::string& password) {
    const int n = ++next_phone;
    const std::string phone = "07" + std::to_string(10'000'000 + n * 7919 % 89'999'999);
    const auto registered = request_json(app, "POST", "/auth/register",
                                         {{"username", username},
                                          {"email", username + "@example.com"},
                                          {"phone", phone},
                                          {"password", password}});
    EXPECT_EQ(registered.status, 201) << registered.raw;
    auto login = request_json(app, "POST", "/auth/login", {{"username", username}, {"password", password}});
    EXPECT_EQ(login.status, 200) << login.raw;
    login.body["user_id"] = registered.body.value("id", "");
    login.body["phone"] = phone;
    return login.body;
}

nlohmann::json staff_login(RunningApp& app, const std::string& username, identity::Role role) {
    const std::string password = "sturdy staff passphrase 42";
    auto created = app.application().accounts().create_staff(
        {username, username + "@staff.example.com", password, role}, identity::Actor::system("test"));
    EXPECT_TRUE(created.has_value()) << (created ? "" : created.error().detail);
    auto login = request_json(app, "POST", "/auth/login", {{"username", username}, {"password", password}});
    EXPECT_EQ(login.status, 200) << login.raw;
    login.body["user_id"] = created ? created->id : "";
    return login.body;
}

}  // namespace gw::test
