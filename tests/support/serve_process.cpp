#include "support/serve_process.hpp"

#include <chrono>
#include <netinet/in.h>
#include <regex>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace gw::test {

int wait_for_port(const Spawned& server) {
    const std::regex listening(R"re("url":"https?://127\.0\.0\.1:(\d+)")re");
    for (int i = 0; i < 600; ++i) {
        std::smatch match;
        const std::string log = read_text_file(server.output);
        if (std::regex_search(log, match, listening)) {
            return std::stoi(match[1]);
        }
        if (waitpid(server.pid, nullptr, WNOHANG) == server.pid) {
            return 0;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
}

int free_loopback_port() {
    const int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof(address);
    const bool bound = bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                       getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    close(socket_fd);
    return bound ? ntohs(address.sin_port) : 0;
}

nlohmann::json call(httplib::Client& client,
                    const std::string& method,
                    const std::string& path,
                    const nlohmann::json& body,
                    const std::string& token,
                    const std::string& idempotency_key) {
    httplib::Headers headers;
    if (!token.empty()) {
        headers.emplace("Authorization", "Bearer " + token);
    }
    if (!idempotency_key.empty()) {
        headers.emplace("Idempotency-Key", idempotency_key);
    }
    const std::string text = body.is_null() ? std::string() : body.dump();
    httplib::Result result = method == "GET"   ? client.Get(path, headers)
                             : method == "PUT" ? client.Put(path, headers, text, "application/json")
                                               : client.Post(path, headers, text, "application/json");
    if (!result) {
        return {{"_status", 0}};
    }
    nlohmann::json json = nlohmann::json::parse(result->body, nullptr, false);
    if (!json.is_object()) {
        json = nlohmann::json::object();
    }
    json["_status"] = result->status;
    return json;
}

}  // namespace gw::test
