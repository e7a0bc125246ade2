#pragma once

// Lets a request wait for a trade to end (complete or fail) without polling the database. The
// commit that ends a trade sends its id on kTradeEndedChannel; the pool hands it to
// announce_end(), which wakes whoever waits for that trade on this node. A trade ended by
// another node is not announced here: waiters look again on their own (TradeHistory::await_end).
//
// Waiting holds an HTTP thread, so at most `waiters_max` wait at once; watch() refuses more
// (the caller then answers at once). Trade ids compare case-insensitively, as UUIDs do.
// Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace gw::trading {

class TradeWatch {
    struct Entry {
        std::condition_variable woken;
        bool ended = false;  // guarded by the watch's mutex_
    };
    // Only the watch makes waiters (watch()), yet through std::make_unique.
    struct Key {
        explicit Key() = default;
    };

public:
    // One caller waiting for one trade; registered from construction to destruction, so an end
    // committed between registering and reading the trade is not missed.
    class Waiter {
    public:
        Waiter(Key key, TradeWatch& watch, std::string trade_id);
        ~Waiter();
        Waiter(const Waiter&) = delete;
        Waiter& operator=(const Waiter&) = delete;

        // Blocks until the trade's end is announced (now or since registration), the watch
        // stops, or `deadline` passes, and forgets the announcement. Returns false when the
        // watch stopped: waiting is over.
        bool wait_until(std::chrono::steady_clock::time_point deadline);

    private:
        friend class TradeWatch;
        TradeWatch& watch_;
        const std::string trade_id_;  // lower case
        Entry entry_;
    };

    // `waiters_max` 0 turns waiting off.
    explicit TradeWatch(std::size_t waiters_max);
    TradeWatch(const TradeWatch&) = delete;
    TradeWatch& operator=(const TradeWatch&) = delete;

    // A waiter for `trade_id`, or null when waiters_max wait already or the watch stopped.
    std::unique_ptr<Waiter> watch(const std::string& trade_id);

    // Wakes every waiter of `trade_id`: its end has committed.
    void announce_end(const std::string& trade_id);

    // Wakes every waiter and refuses new ones (shutdown: no request should wait it out).
    void stop();

    std::size_t waiting() const;
    std::size_t waiters_max() const { return waiters_max_; }

private:
    mutable std::mutex mutex_;
    std::unordered_multimap<std::string, Entry*> waiting_;  // guarded by mutex_
    const std::size_t waiters_max_;
    bool stopped_ = false;  // guarded by mutex_
};

}  // namespace gw::trading
