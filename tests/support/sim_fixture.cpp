#include "support/sim_fixture.hpp"

#include <stdexcept>

#include <unistd.h>

#include "daraja-sim/security_credential.hpp"

namespace gw::test {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(2);

// A directory of this process that disappears when the process exits normally.
struct TemporaryDirectory {
    std::filesystem::path path;
    ~TemporaryDirectory() {
        std::error_code ignored;  // best effort: a leftover /tmp directory harms nobody
        std::filesystem::remove_all(path, ignored);
    }
};

}  // namespace

std::filesystem::path SimFixture::shared_key_file() {
    static const TemporaryDirectory dir{std::filesystem::temp_directory_path() /
                                        ("gw-daraja-sim-" + std::to_string(::getpid()))};
    static const std::filesystem::path file = [] {
        std::filesystem::remove_all(dir.path);
        std::filesystem::path path = dir.path / "initiator-key.pem";
        (void)sim::RsaKey::load_or_create(path);
        return path;
    }();
    return file;
}

SimFixture::SimFixture(const std::function<void(sim::SimulatorConfig&)>& adjust) {
    config_.port = 0;
    config_.key_file = shared_key_file();
    config_.callback_delay = std::chrono::milliseconds(20);
    config_.seed = 7;
    config_.frozen_clock_at =
        std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
    config_.log_line = [](std::string_view) {};
    if (adjust) {
        adjust(config_);
    }
    simulator_ = std::make_unique<sim::Simulator>(config_);
    simulator_->start();
}

SimFixture::~SimFixture() {
    simulator_->stop();
}

bool SimFixture::wait_for_callbacks(std::size_t count, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (simulator_->callback_count() < count) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(kPollInterval);
    }
    return true;
}

CallbackReceiver::CallbackReceiver() {
    server_.Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
        const std::string target = request.target;
        int status = 200;
        {
            std::lock_guard lock(mutex_);
            received_.push_back(ReceivedPost{target, request.headers, request.body});
            status = status_;
        }
        arrived_.notify_all();
        response.status = status;
        response.set_content(R"({"ResultCode":0,"ResultDesc":"Accepted"})", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) {
        throw std::runtime_error("callback receiver: cannot bind a loopback port");
    }
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) {
        std::this_thread::sleep_for(kPollInterval);
    }
}

CallbackReceiver::~CallbackReceiver() {
    server_.stop();
    thread_.join();
}

std::string CallbackReceiver::url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

bool CallbackReceiver::wait_for(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, timeout, [&] { return received_.size() >= count; });
}

std::vector<ReceivedPost> CallbackReceiver::received() const {
    std::lock_guard lock(mutex_);
    return received_;
}

std::vector<ReceivedPost> CallbackReceiver::received_at(std::string_view path) const {
    std::lock_guard lock(mutex_);
    std::vector<ReceivedPost> matching;
    for (const ReceivedPost& post : received_) {
        if (std::string_view(post.path).substr(0, post.path.find('?')) == path) {
            matching.push_back(post);
        }
    }
    return matching;
}

void CallbackReceiver::set_status(int status) {
    std::lock_guard lock(mutex_);
    status_ = status;
}

}  // namespace gw::test
