// Fuzz entry point for multipart parsing: each input is the body of a KYC upload, sent over
// loopback to a real gw::http::Server (the transport's multipart parser, our body checks and
// limits) whose one route decodes it as POST /user/kyc/upload does (http/requests/
// kyc_upload_request.hpp) and sniffs the file's type as the KYC service does. The first byte
// picks how the Content-Type names the boundary (plain, quoted, with a charset before it).
// Properties, any violation traps:
//   - the server answers every input, never with a 5xx, and only with 201, 400, 413 or 415;
//   - a refusal is problem+json with a stable code;
//   - an accepted upload's doc_type and file are parts of the body sent: the doc_type's bytes
//     and the file's bytes both occur in it, and the file is no longer than the body;
//   - the next request from the same client is answered as itself: no byte of a refused body
//     is ever read as a request (the server says Connection: close after a transport error).
// Under GCC the checked-in corpus replays through corpus_replay_main.cpp as a unit test.

#include <cstddef>
#include <cstdint>
#include <httplib.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>

#include "http/requests/kyc_upload_request.hpp"
#include "http/route_support.hpp"
#include "http/server.hpp"
#include "identity/file_type.hpp"
#include "observability/log.hpp"
#include "observability/metrics.hpp"

namespace {

constexpr const char* kBoundary = "gwfuzzboundary";
constexpr std::size_t kUploadBytesMax = 64 * 1024;  // small, so the fuzzer reaches the limit

void require(bool property) {
    if (!property) {
        __builtin_trap();
    }
}

// The bytes as lowercase hex, so binary parts cross JSON unchanged.
std::string hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string text;
    text.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        text.push_back(kDigits[byte >> 4]);
        text.push_back(kDigits[byte & 0x0f]);
    }
    return text;
}

// One server for the whole run, on a free loopback port.
class Harness {
public:
    Harness() {
        gw::obs::init_logging(gw::obs::LogLevel::off);
        router_.add("POST", "/upload", gw::http::BodyKind::multipart,
                    [this](const gw::http::RouteRequest& r, httplib::Response& w) { upload(r, w); });
        router_.add("GET", "/probe", gw::http::BodyKind::none,
                    [](const gw::http::RouteRequest&, httplib::Response& w) { w.status = 204; });
        gw::http::Settings settings;
        settings.port = 0;
        settings.worker_threads = 2;
        settings.body_bytes_max = 1024;  // the transport's limit is the larger of the two
        settings.upload_bytes_max = kUploadBytesMax;
        server_ = std::make_unique<gw::http::Server>(settings, router_, metrics_);
        port_ = server_->bind();
        thread_ = std::thread([this] { server_->serve(); });
        client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
        client_->set_read_timeout(10, 0);
        client_->set_keep_alive(true);
        client_->set_tcp_nodelay(true);
    }
    ~Harness() {
        server_->stop();
        thread_.join();
    }
    Harness(const Harness&) = delete;
    Harness& operator=(const Harness&) = delete;

    httplib::Result post(const std::string& body, const std::string& content_type) {
        return client_->Post("/upload", body, content_type);
    }

    // A plain request after the upload, on the same kept-alive client: answered 204 only if no
    // byte of the upload is read as part of it.
    bool still_in_step() {
        const httplib::Result result = client_->Get("/probe");
        return result && result->status == 204;
    }

private:
    void upload(const gw::http::RouteRequest& request, httplib::Response& response) const {
        auto upload = gw::http::decode_kyc_upload(request.http.files);
        if (!upload) {
            gw::http::write_error(response, request, upload.error());
            return;
        }
        gw::http::write_json(response, 201,
                             {{"doc_type", hex(upload->doc_type)},
                              {"file", hex(upload->content)},
                              {"type", sniffer_.mime_type(upload->content)}});
    }

    gw::identity::FileTypeSniffer sniffer_;
    gw::obs::MetricsRegistry metrics_;
    gw::http::Router router_;
    std::unique_ptr<gw::http::Server> server_;
    int port_ = 0;
    std::thread thread_;
    std::unique_ptr<httplib::Client> client_;
};

std::string content_type_for(std::uint8_t selector) {
    switch (selector % 3) {
        case 0:
            return std::string("multipart/form-data; boundary=") + kBoundary;
        case 1:
            return std::string("multipart/form-data; boundary=\"") + kBoundary + "\"";
        default:
            return std::string("multipart/form-data; charset=utf-8; boundary=") + kBoundary;
    }
}

bool is_problem(const httplib::Response& response) {
    const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
    return response.get_header_value("Content-Type") == "application/problem+json" && body.is_object() &&
           body.contains("code") && body["code"].is_string() && body.value("status", 0) == response.status;
}

// Whether `part` (hex) occurs in `whole` (hex) at a byte boundary.
bool contains_aligned(const std::string& whole, const std::string& part) {
    for (std::size_t at = whole.find(part); at != std::string::npos; at = whole.find(part, at + 1)) {
        if (at % 2 == 0) {
            return true;
        }
    }
    return false;
}

void check_accepted(const httplib::Response& response, const std::string& body) {
    const nlohmann::json answer = nlohmann::json::parse(response.body, nullptr, false);
    require(answer.is_object() && answer["doc_type"].is_string() && answer["file"].is_string());
    const std::string doc_type = answer["doc_type"].get<std::string>();
    const std::string file = answer["file"].get<std::string>();
    const std::string body_hex = hex(body);
    require(file.size() <= body_hex.size());
    require(contains_aligned(body_hex, doc_type) && contains_aligned(body_hex, file));
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the libFuzzer entry point name is fixed.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Harness harness;
    if (size == 0) {
        return 0;
    }
    const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
    const httplib::Result result = harness.post(body, content_type_for(data[0]));
    require(static_cast<bool>(result));
    const int status = result->status;
    require(status == 201 || status == 400 || status == 413 || status == 415);
    if (status == 201) {
        check_accepted(*result, body);
    } else {
        require(is_problem(*result));
    }
    require(harness.still_in_step());
    return 0;
}
