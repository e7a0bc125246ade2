// Proves the HTTP edge end to end over real sockets: every error leaves as problem+json (404,
// 405 with Allow, 413 from the transport, 415, 400 malformed JSON, 500 without internals); the
// request id is echoed or generated; metrics count requests by route pattern; HTTPS works with
// a self-signed pair; stop() lets an in-flight request finish.

#include "http/server.hpp"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <thread>

#include "http/routes/health_routes.hpp"

namespace gw::http {
namespace {

using nlohmann::json;

// A Server on a free loopback port, serving on its own thread for one test.
class RunningServer {
public:
    RunningServer(Settings settings, const Router& router, obs::MetricsRegistry& metrics)
        : server_(std::move(settings), router, metrics) {
        port_ = server_.bind();
        thread_ = std::thread([this] { server_.serve(); });
    }
    ~RunningServer() {
        server_.stop();
        thread_.join();
    }
    int port() const { return port_; }
    Server& server() { return server_; }

private:
    Server server_;
    int port_ = 0;
    std::thread thread_;
};

Settings test_settings() {
    Settings settings;
    settings.port = 0;
    settings.worker_threads = 4;
    settings.body_bytes_max = 1 << 20;
    return settings;
}

Router test_router(obs::MetricsRegistry& metrics) {
    Router router;
    add_health_routes(router, [] { return Result<void>{}; }, metrics);
    router.add("POST", "/echo", BodyKind::json, [](const RouteRequest& request, httplib::Response& response) {
        response.set_content(request.json.dump(), "application/json");
    });
    router.add("GET", "/items/{id}", BodyKind::none, [](const RouteRequest& request, httplib::Response& response) {
        response.set_content(json{{"id", request.param("id")}}.dump(), "application/json");
    });
    router.add("GET", "/explode", BodyKind::none, [](const RouteRequest&, httplib::Response&) {
        throw std::runtime_error("secret internal detail");
    });
    router.add("GET", "/slow", BodyKind::none, [](const RouteRequest&, httplib::Response& response) {
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        response.set_content("done", "text/plain");
    });
    return router;
}

class ServerTest : public ::testing::Test {
protected:
    ServerTest() : router_(test_router(metrics_)), running_(test_settings(), router_, metrics_),
                   client_("127.0.0.1", running_.port()) {}

    static json problem_of(const httplib::Result& result, int status) {
        EXPECT_TRUE(result) << "no response";
        if (!result) {
            return {};
        }
        EXPECT_EQ(result->status, status);
        EXPECT_EQ(result->get_header_value("Content-Type"), "application/problem+json");
        EXPECT_FALSE(result->get_header_value("X-Request-Id").empty());
        return json::parse(result->body);
    }

    obs::MetricsRegistry metrics_;
    Router router_;
    RunningServer running_;
    httplib::Client client_;
};

TEST_F(ServerTest, HealthzIsOk) {
    auto result = client_.Get("/healthz");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(json::parse(result->body)["status"], "ok");
}

TEST_F(ServerTest, UnknownRouteIsProblemNotFound) {
    const json body = problem_of(client_.Get("/no/such/thing"), 404);
    EXPECT_EQ(body["code"], "not_found");
    EXPECT_EQ(body["status"], 404);
}

TEST_F(ServerTest, WrongMethodIsProblemWithAllowHeader) {
    auto result = client_.Delete("/healthz");
    const json body = problem_of(result, 405);
    EXPECT_EQ(body["code"], "method_not_allowed");
    EXPECT_EQ(result->get_header_value("Allow"), "GET");
}

TEST_F(ServerTest, BodyOverTheLimitIsProblem413) {
    const std::string two_mib(2 << 20, 'x');
    const json body = problem_of(client_.Post("/echo", two_mib, "application/json"), 413);
    EXPECT_EQ(body["code"], "payload_too_large");
}

TEST_F(ServerTest, BodyAtTheLimitIsAccepted) {
    std::string exactly = R"({"pad":")";
    exactly += std::string((1 << 20) - exactly.size() - 2, 'x');
    exactly += "\"}";
    ASSERT_EQ(exactly.size(), 1u << 20);
    auto result = client_.Post("/echo", exactly, "application/json");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
}

TEST_F(ServerTest, WrongContentTypeIsProblem415) {
    const json body = problem_of(client_.Post("/echo", R"({"a":1})", "text/plain"), 415);
    EXPECT_EQ(body["code"], "unsupported_media_type");
}

TEST_F(ServerTest, MalformedJsonIsProblem400) {
    const json body = problem_of(client_.Post("/echo", R"({"a":)", "application/json"), 400);
    EXPECT_EQ(body["code"], "malformed_json");
}

TEST_F(ServerTest, InexactNumberIsProblem400) {
    const json body =
        problem_of(client_.Post("/echo", R"({"grams":0.10000000000000000001})", "application/json"), 400);
    EXPECT_EQ(body["code"], "inexact_number");
}

TEST_F(ServerTest, ValidJsonReachesTheHandler) {
    auto result = client_.Post("/echo", R"({"grams":"1.250000"})", "application/json");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(json::parse(result->body)["grams"], "1.250000");
}

TEST_F(ServerTest, PathParametersReachTheHandler) {
    auto result = client_.Get("/items/abc-123");
    ASSERT_TRUE(result);
    EXPECT_EQ(json::parse(result->body)["id"], "abc-123");
}

TEST_F(ServerTest, UnexpectedExceptionIs500WithoutInternals) {
    auto result = client_.Get("/explode");
    const json body = problem_of(result, 500);
    EXPECT_EQ(body["code"], "internal_error");
    EXPECT_EQ(result->body.find("secret"), std::string::npos);
    EXPECT_EQ(body["request_id"], result->get_header_value("X-Request-Id"));
}

TEST_F(ServerTest, RequestIdIsEchoedWhenUsableAndReplacedOtherwise) {
    auto echoed = client_.Get("/healthz", {{"X-Request-Id", "mobile-42.a_b"}});
    ASSERT_TRUE(echoed);
    EXPECT_EQ(echoed->get_header_value("X-Request-Id"), "mobile-42.a_b");
    auto replaced = client_.Get("/healthz", {{"X-Request-Id", "bad id with spaces"}});
    ASSERT_TRUE(replaced);
    EXPECT_EQ(replaced->get_header_value("X-Request-Id").size(), 32u);
    auto generated = client_.Get("/healthz");
    ASSERT_TRUE(generated);
    EXPECT_NE(generated->get_header_value("X-Request-Id"), replaced->get_header_value("X-Request-Id"));
}

TEST_F(ServerTest, MetricsCountRequestsByRoutePattern) {
    ASSERT_TRUE(client_.Get("/items/1"));
    ASSERT_TRUE(client_.Get("/items/2"));
    ASSERT_TRUE(client_.Get("/nowhere"));
    // An exchange is counted just after its response is written, on the worker thread that
    // served it: wait (bounded) until the last of the three shows up.
    const obs::Labels unmatched = {{"method", "GET"}, {"route", "unmatched"}, {"status", "404"}};
    const obs::Labels items = {{"method", "GET"}, {"route", "/items/{id}"}, {"status", "200"}};
    const auto counted = [&](const obs::Labels& labels) {
        return metrics_.counter_value("goldwallet_http_requests_total", labels);
    };
    for (int i = 0; i < 200 && (counted(unmatched) < 1 || counted(items) < 2); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    auto result = client_.Get("/metrics");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
    EXPECT_NE(result->body.find(R"(goldwallet_http_requests_total{method="GET",route="/items/{id}",status="200"} 2)"),
              std::string::npos)
        << result->body;
    EXPECT_NE(result->body.find(R"(route="unmatched",status="404"} 1)"), std::string::npos);
    EXPECT_NE(result->body.find("goldwallet_http_request_duration_seconds_bucket"), std::string::npos);
}

TEST_F(ServerTest, StopLetsInFlightRequestsFinish) {
    std::atomic<int> status{0};
    std::thread slow([this, &status] {
        httplib::Client client("127.0.0.1", running_.port());
        auto result = client.Get("/slow");
        status = result ? result->status : -1;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    running_.server().stop();
    slow.join();
    EXPECT_EQ(status.load(), 200);
}

// Creates a self-signed certificate for 127.0.0.1 with the openssl command-line tool.
std::filesystem::path make_self_signed_pair() {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("gw-tls-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
        "-addext subjectAltName=IP:127.0.0.1 -keyout " + (dir / "key.pem").string() +
        " -out " + (dir / "cert.pem").string() + " >/dev/null 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0);
    return dir;
}

TEST(TlsServer, ServesHttpsWithTheConfiguredPair) {
    const auto dir = make_self_signed_pair();
    Settings settings = test_settings();
    settings.tls_cert_path = (dir / "cert.pem").string();
    settings.tls_key_path = (dir / "key.pem").string();
    obs::MetricsRegistry metrics;
    const Router router = test_router(metrics);
    RunningServer running(settings, router, metrics);
    EXPECT_TRUE(running.server().is_tls());

    httplib::SSLClient client("127.0.0.1", running.port());
    client.set_ca_cert_path(settings.tls_cert_path.c_str());
    client.enable_server_certificate_verification(true);
    auto result = client.Get("/healthz");
    ASSERT_TRUE(result) << httplib::to_string(result.error());
    EXPECT_EQ(result->status, 200);

    httplib::Client plain("127.0.0.1", running.port());
    EXPECT_FALSE(plain.Get("/healthz")) << "plain HTTP must not be served on the TLS port";
    std::filesystem::remove_all(dir);
}

TEST(TlsServer, UnreadablePairIsRefusedAtConstruction) {
    Settings settings = test_settings();
    settings.tls_cert_path = "/nonexistent/cert.pem";
    settings.tls_key_path = "/nonexistent/key.pem";
    obs::MetricsRegistry metrics;
    const Router router = test_router(metrics);
    EXPECT_THROW(Server(settings, router, metrics), std::runtime_error);
}

}  // namespace
}  // namespace gw::http
