#include "e2e_stack.hpp"

#include <cstdio>
#include <fstream>
#include <random>
#include <stdexcept>
#include <system_error>

#include <unistd.h>

#include "db/process.hpp"

namespace gw::bench {
namespace {

namespace fs = std::filesystem;

constexpr std::chrono::seconds kStartTimeout{120};
constexpr std::string_view kUserPassword = "bench password 9f3k";
// The smallest document libmagic calls application/pdf (KYC uploads are sniffed by content).
constexpr std::string_view kKycDocument =
    "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

std::string random_hex(std::size_t bytes) {
    std::random_device device;
    std::string out;
    for (std::size_t i = 0; i < bytes; ++i) {
        char pair[3];
        std::snprintf(pair, sizeof pair, "%02x", static_cast<unsigned>(device() & 0xffU));
        out += pair;
    }
    return out;
}

fs::path make_dir() {
    std::string pattern = "/tmp/gw-e2e-bench-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    }
    return pattern;
}

// 07xxxxxxxx, distinct per index: the registered phone of bench user `index`.
std::string user_phone(int index) {
    char phone[16];
    std::snprintf(phone, sizeof phone, "0711%06d", index);
    return phone;
}

Reply expect(const Reply& reply, int status, const std::string& what) {
    if (reply.status != status) {
        throw std::runtime_error(what + ": expected HTTP " + std::to_string(status) + ", got " +
                                 std::to_string(reply.status) + " " + reply.raw);
    }
    return reply;
}

}  // namespace

Reply call(httplib::Client& client,
           const std::string& method,
           const std::string& path,
           const nlohmann::json& body,
           const std::string& token,
           httplib::Headers headers) {
    if (!token.empty()) {
        headers.emplace("Authorization", "Bearer " + token);
    }
    const std::string payload = body.is_null() ? std::string() : body.dump();
    httplib::Result result = method == "GET" ? client.Get(path, headers)
                             : method == "PUT"
                                 ? client.Put(path, headers, payload, "application/json")
                                 : client.Post(path, headers, payload, "application/json");
    Reply reply;
    if (!result) {
        reply.raw = "no answer: " + httplib::to_string(result.error());
        return reply;
    }
    reply.status = result->status;
    reply.raw = std::move(result->body);
    reply.body = nlohmann::json::parse(reply.raw, nullptr, false);
    if (reply.body.is_discarded()) {
        reply.body = nullptr;
    }
    return reply;
}

E2eStack::E2eStack(const StackOptions& options) : dir_(make_dir()), keep_dir_(options.keep_dir) {
    try {
        sim_ = std::make_unique<ChildProcess>(
            ChildOptions{.program = options.daraja_sim,
                         .args = {"--port",
                                  "0",
                                  "--key-file",
                                  (dir_ / "sim-key.pem").string(),
                                  "--callback-delay-ms",
                                  std::to_string(options.callback_delay_ms),
                                  "--callback-threads",
                                  std::to_string(options.callback_threads)},
                         .environment = {"LC_ALL=C"},
                         .log = dir_ / "sim.log"});
        sim_url_ = sim_->wait_for_log(std::regex(R"(listening on (\S+))"), kStartTimeout)[1];
        db::ProcessOptions credential;
        credential.program = options.daraja_sim;
        credential.args = {"security-credential", "--key-file", (dir_ / "sim-key.pem").string()};
        const auto made = db::run_process(credential);
        if (!made.succeeded()) {
            throw std::runtime_error("daraja-sim security-credential failed: " + made.output);
        }
        security_credential_ = made.output.substr(0, made.output.find_last_not_of("\r\n") + 1);
        create_admin(options);
        server_ =
            std::make_unique<ChildProcess>(ChildOptions{.program = options.goldwallet,
                                                        .args = {"serve"},
                                                        .environment = server_environment(options),
                                                        .log = dir_ / "serve.log"});
        port_ = std::stoi(server_->wait_for_log(
            std::regex(R"re("url":"http://127\.0\.0\.1:(\d+)")re"), kStartTimeout)[1]);
        auto admin = client();
        admin_token_ = expect(call(*admin,
                                   "POST",
                                   "/auth/login",
                                   {{"username", "benchadmin"}, {"password", admin_password_}}),
                              200,
                              "admin login")
                           .body.value("access_token", "");
    } catch (...) {
        server_.reset();
        sim_.reset();
        std::error_code ec;
        fs::remove_all(dir_, ec);
        throw;
    }
}

E2eStack::~E2eStack() {
    server_.reset();
    sim_.reset();
    if (!keep_dir_) {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    } else {
        std::fprintf(stderr, "kept %s\n", dir_.c_str());
    }
}

std::vector<std::string> E2eStack::server_environment(const StackOptions& options) const {
    static const std::string jwt_key = random_hex(32);
    static const std::string master_key = random_hex(32);
    // Set-up registers and logs in 64 users, and the load trades thousands of times a minute,
    // all from 127.0.0.1. (The trade limits are read by servers that have them; others ignore
    // the variables.)
    const std::string burst = "1000000/60";
    return {"LC_ALL=C",
            "PATH=/usr/bin:/bin",
            "DATABASE_URL=" + options.database_url,
            "GOLDWALLET_DATA_DIR=" + (dir_ / "var").string(),
            "GOLDWALLET_WEB_DIR=",
            "GOLDWALLET_HTTP_PORT=0",
            "GOLDWALLET_ENV=development",
            "GOLDWALLET_LOG_LEVEL=" + options.log_level,
            "GOLDWALLET_JWT_KEY=" + jwt_key,
            "GOLDWALLET_MASTER_KEY=" + master_key,
            "GOLDWALLET_ACCESS_TOKEN_TTL_SECONDS=3600",
            "GOLDWALLET_MPESA_BASE_URL=" + sim_url_,
            "GOLDWALLET_MPESA_SECURITY_CREDENTIAL=" + security_credential_,
            "GOLDWALLET_MPESA_CONFIRM_BY_QUERY=false",
            "GOLDWALLET_PAYOUT_MODE=manual",
            "GOLDWALLET_HTTP_THREADS=" + std::to_string(options.http_threads),
            "GOLDWALLET_DB_POOL_SIZE=" + std::to_string(options.db_pool_size),
            "GOLDWALLET_OUTBOX_WORKERS=" + std::to_string(options.outbox_workers),
            "GOLDWALLET_OUTBOX_POLL_MS=" + std::to_string(options.outbox_poll_ms),
            "GOLDWALLET_RATE_LIMIT_LOGIN_IP=" + burst,
            "GOLDWALLET_RATE_LIMIT_LOGIN_USER=" + burst,
            "GOLDWALLET_RATE_LIMIT_REGISTER_IP=" + burst,
            "GOLDWALLET_RATE_LIMIT_TRADE_USER=" + burst,
            "GOLDWALLET_RATE_LIMIT_TRADE_IP=" + burst};
}

void E2eStack::create_admin(const StackOptions& options) {
    admin_password_ = random_hex(12);
    const fs::path password_file = dir_ / "admin-password";
    std::ofstream(password_file) << admin_password_ << '\n';
    ChildProcess admin(ChildOptions{.program = options.goldwallet,
                                    .args = {"admin",
                                             "create",
                                             "--username",
                                             "benchadmin",
                                             "--email",
                                             "benchadmin@goldwallet.test",
                                             "--role",
                                             "admin"},
                                    .environment = server_environment(options),
                                    .log = dir_ / "admin-create.log",
                                    .input = password_file});
    if (admin.wait_exit(kStartTimeout) != 0) {
        throw std::runtime_error("goldwallet admin create failed:\n" + admin.log_tail());
    }
}

std::unique_ptr<httplib::Client> E2eStack::client() const {
    auto made = std::make_unique<httplib::Client>("127.0.0.1", port_);
    made->set_keep_alive(true);
    // httplib writes a POST's headers and body in two send()s; with Nagle on, the body waits
    // for the ACK of the headers, which the server delays by 40 ms. Browsers and Daraja's
    // clients set TCP_NODELAY; without it every POST measured 40 ms more.
    made->set_tcp_nodelay(true);
    made->set_connection_timeout(5, 0);
    made->set_read_timeout(60, 0);
    made->set_write_timeout(60, 0);
    return made;
}

std::string E2eStack::prepare_trading(const std::string& grams,
                                      const std::string& buy_price,
                                      const std::string& sell_price) {
    auto admin = client();
    const Reply pool =
        expect(call(*admin,
                    "POST",
                    "/pools",
                    {{"name", "bench pool"}, {"total_grams", grams}, {"purity", "999.9"}},
                    admin_token_),
               201,
               "POST /pools");
    expect(call(*admin,
                "POST",
                "/prices",
                {{"buy_price_per_gram", buy_price}, {"sell_price_per_gram", sell_price}},
                admin_token_),
           201,
           "POST /prices");
    expect(call(*admin,
                "PUT",
                "/admin/limits",
                {{"kyc_status", "verified"},
                 {"side", "buy"},
                 {"per_trade_kes", "100000000.00"},
                 {"per_day_kes", "100000000.00"},
                 {"reason", "e2e_buy_bench load"}},
                admin_token_),
           200,
           "PUT /admin/limits");
    return pool.body.value("id", "");
}

std::vector<BenchUser> E2eStack::make_verified_users(int count) {
    auto http = client();
    std::vector<BenchUser> users;
    for (int i = 0; i < count; ++i) {
        BenchUser user;
        user.username = "bench" + std::to_string(i);
        const Reply registered = expect(call(*http,
                                             "POST",
                                             "/auth/register",
                                             {{"username", user.username},
                                              {"email", user.username + "@goldwallet.test"},
                                              {"phone", user_phone(i)},
                                              {"password", kUserPassword}}),
                                        201,
                                        "POST /auth/register");
        user.id = registered.body.value("id", "");
        user.access_token = expect(call(*http,
                                        "POST",
                                        "/auth/login",
                                        {{"username", user.username}, {"password", kUserPassword}}),
                                   200,
                                   "POST /auth/login")
                                .body.value("access_token", "");
        for (const char* doc_type : {"id_front", "id_back", "selfie"}) {
            const httplib::MultipartFormDataItems items = {
                {"doc_type", doc_type, "", ""},
                {"file", std::string(kKycDocument), "doc.pdf", "application/pdf"}};
            const auto uploaded = http->Post(
                "/user/kyc/upload", {{"Authorization", "Bearer " + user.access_token}}, items);
            if (!uploaded || uploaded->status != 201) {
                throw std::runtime_error(
                    "POST /user/kyc/upload: " +
                    (uploaded ? std::to_string(uploaded->status) + " " + uploaded->body
                              : std::string("no answer")));
            }
        }
        expect(call(*http,
                    "POST",
                    "/admin/kyc/" + user.id + "/decision",
                    {{"status", "verified"}, {"reason", "bench"}},
                    admin_token_),
               200,
               "POST /admin/kyc/{id}/decision");
        users.push_back(std::move(user));
    }
    return users;
}

int E2eStack::stop_server() {
    return server_->stop();
}

}  // namespace gw::bench
