#pragma once

// Delivery of everything Daraja POSTs back (STK callbacks, B2C Results, queue timeouts, query
// Results). `threads` delivery threads (1 by default) take timed tasks in due order from a
// priority queue; with more than one, tasks due together run at the same time, as Safaricom's
// callbacks arrive concurrently (a benchmark needs that; the tests keep one). Tasks settle
// transactions and deliveries post them with httplib::Client and short timeouts. Only loopback
// hosts are ever contacted: any other URL is recorded as refused. Every attempt is kept for
// GET /sim/callbacks. CallbackDispatcher is shared across threads: schedule(), attempts() and
// the rest may be called from any thread; its own mutex guards the queue and the attempt log,
// and is never held while a task runs or a POST is in flight.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <queue>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace gw::sim {

// One POST the simulator wants to make.
struct Delivery {
    std::string kind;            // "stk_callback", "b2c_result", "b2c_queue_timeout", …
    std::string transaction_id;  // CheckoutRequestID or ConversationID
    std::string url;
    std::string body;
    std::string business_shortcode;  // sent as the BusinessShortCode header when not empty
};

// What happened to one delivery.
struct DeliveryAttempt {
    std::string kind;
    std::string transaction_id;
    std::string url;
    std::string body;
    int http_status = 0;   // the receiver's status, 0 when there was no HTTP answer
    std::string error;     // "" when the receiver answered; else why not ("refused: …")
    bool refused = false;  // true when the URL was never contacted
};

nlohmann::json to_json(const DeliveryAttempt& attempt);

// Returns "" when `url` may be contacted (http or https to 127.0.0.0/8, ::1 or localhost), or
// the reason it may not ("refused: not a loopback host", "refused: not an http(s) URL").
std::string delivery_refusal(std::string_view url);

struct DeliverySettings {
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds read_timeout{5000};
    std::size_t threads = 1;  // delivery threads (--callback-threads), 1..64
};

// The most attempts remembered; older ones are forgotten first (STYLE 11).
inline constexpr std::size_t kDeliveryAttemptsMax = 100'000;

class CallbackDispatcher {
public:
    using Task = std::function<void()>;

    explicit CallbackDispatcher(DeliverySettings settings) : settings_(settings) {}
    ~CallbackDispatcher() { stop(); }
    CallbackDispatcher(const CallbackDispatcher&) = delete;
    CallbackDispatcher& operator=(const CallbackDispatcher&) = delete;

    // Starts the delivery threads. REQUIRES: not running; 1 <= settings.threads <= 64.
    void start();

    // Stops the threads after the tasks in progress (if any); queued tasks are dropped.
    // Idempotent.
    void stop();

    // Runs `task` on a delivery thread once `delay` has passed (tasks due at the same time
    // start in the order they were scheduled). Safe from any thread, including from a task.
    void schedule(std::chrono::milliseconds delay, Task task);

    // Schedules deliver(delivery) after `delay`.
    void schedule_delivery(std::chrono::milliseconds delay, Delivery delivery);

    // Drops every queued task (POST /sim/reset).
    void cancel_all();

    // Posts `delivery` now, on the calling thread, and records the attempt. Called by a
    // delivery thread; blocks up to connect_timeout + read_timeout.
    void deliver(const Delivery& delivery);

    std::vector<DeliveryAttempt> attempts() const;
    std::size_t attempt_count() const;
    void clear_attempts();

private:
    struct Entry {
        std::chrono::steady_clock::time_point due;
        std::uint64_t sequence = 0;
        Task task;
    };
    struct Later {
        bool operator()(const Entry& a, const Entry& b) const {
            return a.due != b.due ? a.due > b.due : a.sequence > b.sequence;
        }
    };

    void run();
    void record(DeliveryAttempt attempt);

    const DeliverySettings settings_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::priority_queue<Entry, std::vector<Entry>, Later> queue_;  // guarded by mutex_
    std::deque<DeliveryAttempt> attempts_;                         // guarded by mutex_
    std::uint64_t next_sequence_ = 0;                              // guarded by mutex_
    bool stopping_ = false;                                        // guarded by mutex_
    std::vector<std::thread> threads_;
};

}  // namespace gw::sim
