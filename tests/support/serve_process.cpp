#include "support/serve_process.hpp"

#include <chrono>
#include <netinet/in.h>
#include <regex>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace gw::test {

int logged_port(const std::filesystem::path& output) {
    static const std::regex listening(R"re("url":"https?://127\.0\.0\.1:(\d+)")re");
    const std::string log = read_text_file(output);
    std::smatch match;
    return std::regex_search(log, match, listening) ? std::stoi(match[1]) : 0;
}

int wait_for_port(const Spawned& server) {
    for (int i = 0; i < 600; ++i) {
        if (const int port = logged_port(server.output); port != 0) {
            return port;
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

JsonResponse send_json(httplib::Client& client,
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
    if (method == "GET") {
        return answer_of(client.Get(path, headers));
    }
    if (method == "PUT") {
        return answer_of(client.Put(path, headers, text, "application/json"));
    }
    return answer_of(client.Post(path, headers, text, "application/json"));
}

nlohmann::json call(httplib::Client& client,
                    const std::string& method,
                    const std::string& path,
                    const nlohmann::json& body,
                    const std::string& token,
                    const std::string& idempotency_key) {
    const JsonResponse answer = send_json(client, method, path, body, token, idempotency_key);
    nlohmann::json json = answer.body.is_object() ? answer.body : nlohmann::json::object();
    json["_status"] = answer.status;
    return json;
}

}  // namespace gw::test
