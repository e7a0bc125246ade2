#pragma once

// Business time. Every decision that depends on "now" (token expiry, quote expiry, reservation
// timeouts, retention) reads a Clock, and stores pass that time into SQL as a parameter, so
// tests control time exactly with ManualClock.

#include <atomic>
#include <chrono>

namespace gw {

using TimePoint = std::chrono::sys_time<std::chrono::microseconds>;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

// The wall clock.
class SystemClock final : public Clock {
public:
    TimePoint now() const override {
        return std::chrono::time_point_cast<std::chrono::microseconds>(
            std::chrono::system_clock::now());
    }
};

// A clock that moves only when told to. Thread-safe.
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint start) : now_us_(start.time_since_epoch().count()) {}

    TimePoint now() const override { return TimePoint(std::chrono::microseconds(now_us_.load())); }
    void advance(std::chrono::microseconds by) { now_us_ += by.count(); }
    void set(TimePoint to) { now_us_ = to.time_since_epoch().count(); }

private:
    std::atomic<std::int64_t> now_us_;
};

// Seconds since the Unix epoch (for JWT claims).
inline std::int64_t unix_seconds(TimePoint at) {
    return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}

}  // namespace gw
