#pragma once

#include <cstddef>
#include <string>

namespace gw::http {

struct Settings {
    std::string host = "127.0.0.1";
    int port = 8080;                        // 0 picks a free port (tests)
    std::size_t worker_threads = 8;         // requests served concurrently
    std::size_t body_bytes_max = 1 << 20;   // larger bodies get 413 (JSON and other routes)
    std::size_t upload_bytes_max = (10u << 20) + (64u << 10);  // multipart routes: file + form
    std::size_t json_depth_max = 32;        // deeper JSON bodies get 400 json_too_deep
    int read_timeout_seconds = 10;
    int write_timeout_seconds = 10;
    int keep_alive_timeout_seconds = 5;
    std::string tls_cert_path;              // HTTPS when both paths are set
    std::string tls_key_path;
    std::string web_root;                   // web/ of the UIs; empty serves the API only
};

}  // namespace gw::http
