#include "daraja-sim/callbacks.hpp"

#include <optional>

#include <httplib.h>

#include "core/assert.hpp"
#include "daraja-sim/url.hpp"

namespace gw::sim {
namespace {

constexpr std::string_view kCallbackContentType = "application/json;charset=UTF-8";

std::string client_origin(const Url& url) {
    const bool v6 = url.host.find(':') != std::string::npos;
    return url.scheme + "://" + (v6 ? "[" + url.host + "]" : url.host) + ":" +
           std::to_string(url.port);
}

}  // namespace

nlohmann::json to_json(const DeliveryAttempt& attempt) {
    return nlohmann::json{
        {"kind", attempt.kind},
        {"transaction_id", attempt.transaction_id},
        {"url", attempt.url},
        {"http_status", attempt.http_status},
        {"error", attempt.error},
        {"refused", attempt.refused},
        {"body", attempt.body},
    };
}

std::string delivery_refusal(std::string_view url) {
    const std::optional<Url> parsed = parse_url(url);
    if (!parsed) {
        return "refused: not an http(s) URL";
    }
    if (!is_loopback_host(parsed->host)) {
        return "refused: not a loopback host";
    }
    return "";
}

void CallbackDispatcher::start() {
    std::lock_guard lock(mutex_);
    GW_ASSERT(threads_.empty(), "start() is called once");
    GW_ASSERT(settings_.threads >= 1 && settings_.threads <= 64, "1..64 delivery threads");
    stopping_ = false;
    for (std::size_t i = 0; i < settings_.threads; ++i) {
        threads_.emplace_back([this] { run(); });
    }
}

void CallbackDispatcher::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_ = {};
    }
    wake_.notify_all();
    for (std::thread& thread : threads_) {
        if (thread.joinable() && thread.get_id() != std::this_thread::get_id()) {
            thread.join();
        }
    }
}

void CallbackDispatcher::schedule(std::chrono::milliseconds delay, Task task) {
    {
        std::lock_guard lock(mutex_);
        queue_.push(
            Entry{std::chrono::steady_clock::now() + delay, next_sequence_++, std::move(task)});
    }
    wake_.notify_all();
}

void CallbackDispatcher::schedule_delivery(std::chrono::milliseconds delay, Delivery delivery) {
    schedule(delay, [this, delivery = std::move(delivery)] { deliver(delivery); });
}

void CallbackDispatcher::cancel_all() {
    std::lock_guard lock(mutex_);
    queue_ = {};
}

void CallbackDispatcher::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (queue_.empty()) {
            wake_.wait(lock);
            continue;
        }
        const auto due = queue_.top().due;
        if (std::chrono::steady_clock::now() < due) {
            wake_.wait_until(lock, due);
            continue;
        }
        Task task = queue_.top().task;
        queue_.pop();
        lock.unlock();
        task();  // never under mutex_: tasks take the simulator's state mutex and do I/O
        lock.lock();
    }
}

void CallbackDispatcher::deliver(const Delivery& delivery) {
    DeliveryAttempt attempt{delivery.kind,
                            delivery.transaction_id,
                            delivery.url,
                            delivery.body,
                            0,
                            delivery_refusal(delivery.url),
                            false};
    if (!attempt.error.empty()) {
        attempt.refused = true;  // never contacted
        record(std::move(attempt));
        return;
    }
    const Url url = *parse_url(delivery.url);
    httplib::Client client(client_origin(url));
    client.set_connection_timeout(settings_.connect_timeout);
    client.set_read_timeout(settings_.read_timeout);
    client.set_write_timeout(settings_.read_timeout);
    client.enable_server_certificate_verification(false);  // loopback only, test certificates
    httplib::Headers headers;
    if (!delivery.business_shortcode.empty()) {
        headers.emplace("BusinessShortCode", delivery.business_shortcode);
    }
    const httplib::Result result =
        client.Post(url.target, headers, delivery.body, std::string(kCallbackContentType));
    if (result) {
        attempt.http_status = result->status;
    } else {
        attempt.error = "no answer: " + httplib::to_string(result.error());
    }
    record(std::move(attempt));
}

void CallbackDispatcher::record(DeliveryAttempt attempt) {
    std::lock_guard lock(mutex_);
    attempts_.push_back(std::move(attempt));
    while (attempts_.size() > kDeliveryAttemptsMax) {
        attempts_.pop_front();
    }
}

std::vector<DeliveryAttempt> CallbackDispatcher::attempts() const {
    std::lock_guard lock(mutex_);
    return {attempts_.begin(), attempts_.end()};
}

std::size_t CallbackDispatcher::attempt_count() const {
    std::lock_guard lock(mutex_);
    return attempts_.size();
}

void CallbackDispatcher::clear_attempts() {
    std::lock_guard lock(mutex_);
    attempts_.clear();
}

}  // namespace gw::sim
