// Proves the dispatcher's timing and concurrency: tasks run once their delay passed, in due
// order on one thread; with N threads, N tasks due together run at the same time (each waits
// for all the others to start, which one thread could never satisfy); stop() drops what is
// queued.

#include "daraja-sim/callbacks.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace gw::sim {
namespace {

using namespace std::chrono_literals;

// Counts tasks that ran and lets a test wait for a number of them.
class Tally {
public:
    void add(const std::string& name) {
        {
            std::lock_guard lock(mutex_);
            names_.push_back(name);
        }
        changed_.notify_all();
    }
    bool wait_for(std::size_t count, std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return names_.size() >= count; });
    }
    std::vector<std::string> names() {
        std::lock_guard lock(mutex_);
        return names_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::string> names_;
};

TEST(CallbackDispatcher, OneThreadRunsTasksInDueOrder) {
    CallbackDispatcher dispatcher(DeliverySettings{});
    dispatcher.start();
    Tally tally;
    dispatcher.schedule(60ms, [&] { tally.add("late"); });
    dispatcher.schedule(0ms, [&] { tally.add("first"); });
    dispatcher.schedule(0ms, [&] { tally.add("second"); });
    ASSERT_TRUE(tally.wait_for(3, 5s));
    EXPECT_EQ(tally.names(), (std::vector<std::string>{"first", "second", "late"}));
}

TEST(CallbackDispatcher, SeveralThreadsRunTasksDueTogetherAtOnce) {
    constexpr std::size_t kThreads = 4;
    CallbackDispatcher dispatcher(DeliverySettings{.threads = kThreads});
    dispatcher.start();
    std::mutex mutex;
    std::condition_variable all_started;
    std::size_t started = 0;
    Tally tally;
    for (std::size_t i = 0; i < kThreads; ++i) {
        dispatcher.schedule(0ms, [&, i] {
            std::unique_lock lock(mutex);
            ++started;
            all_started.notify_all();
            const bool together =
                all_started.wait_for(lock, 5s, [&] { return started == kThreads; });
            lock.unlock();
            tally.add(together ? "together" : "alone");
        });
    }
    ASSERT_TRUE(tally.wait_for(kThreads, 10s));
    EXPECT_EQ(tally.names(), std::vector<std::string>(kThreads, "together"));
}

TEST(CallbackDispatcher, StopDropsQueuedTasks) {
    std::atomic<int> ran = 0;
    {
        CallbackDispatcher dispatcher(DeliverySettings{.threads = 2});
        dispatcher.start();
        dispatcher.schedule(10min, [&] { ++ran; });
        dispatcher.stop();
        dispatcher.stop();  // idempotent
    }
    EXPECT_EQ(ran.load(), 0);
}

}  // namespace
}  // namespace gw::sim
