#pragma once

// Daraja speaks Nairobi wall-clock time (UTC+3, no daylight saving, DARAJA.md §3) in several
// text shapes; this file writes and checks each of them. Also SimClock, the simulator's notion
// of "now": the system clock plus an offset that tests move forward (POST /sim/clock/advance),
// so token expiry, rule 17 and daily limits can be tested without waiting. Pure functions;
// SimClock is thread-safe.

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace gw::sim {

inline constexpr std::chrono::hours kNairobiUtcOffset{3};

// "20250301143005": yyyyMMddHHmmss, the Timestamp of STK requests, TransactionDate of the STK
// callback and InitiatedTime/FinalisedTime of Transaction Status.
std::string nairobi_compact(TimePoint at);

// "01032025143005": ddMMyyyyHHmmss, the date part of a CheckoutRequestID.
std::string nairobi_checkout_stamp(TimePoint at);

// "01.03.2025 14:30:05": TransactionCompletedDateTime of a B2C result.
std::string nairobi_dotted(TimePoint at);

// "01-03-2025 14:30:05": the org portal statement's times.
std::string nairobi_dashed(TimePoint at);

// "20250301": the date inside a ConversationID ("AG_20250301_…").
std::string nairobi_date_compact(TimePoint at);

// The Nairobi calendar day that `at` falls on.
std::chrono::sys_days nairobi_day(TimePoint at);

// The instant at which Nairobi day `day` begins (21:00 UTC the evening before).
TimePoint nairobi_day_start(std::chrono::sys_days day);

// True when `text` is exactly 14 digits forming a real date and time (yyyyMMddHHmmss): month
// 1-12, a day that exists in that month, hour ≤ 23, minute and second ≤ 59.
bool is_compact_timestamp(std::string_view text);

// "Now" for the simulator: the system clock moved forward by an offset, or, once frozen, a
// fixed instant moved only by advance() (deterministic tests). Thread-safe.
class SimClock final : public Clock {
public:
    TimePoint now() const override {
        const std::int64_t frozen_us = frozen_us_.load();
        const TimePoint base = frozen_us != kRunning
                                   ? TimePoint(std::chrono::microseconds(frozen_us))
                                   : std::chrono::time_point_cast<std::chrono::microseconds>(
                                         std::chrono::system_clock::now());
        return base + std::chrono::microseconds(offset_us_.load());
    }

    // Stops the clock at `at`; from then on only advance() moves it.
    void freeze(TimePoint at) { frozen_us_ = at.time_since_epoch().count(); }

    // Moves simulated time forward by `by` (REQUIRES: by ≥ 0; time never runs backwards).
    void advance(std::chrono::seconds by) {
        offset_us_ += std::chrono::duration_cast<std::chrono::microseconds>(by).count();
    }

    // Returns how far simulated time is ahead of the system clock.
    std::chrono::seconds offset() const {
        return std::chrono::duration_cast<std::chrono::seconds>(
            std::chrono::microseconds(offset_us_.load()));
    }

    void reset() { offset_us_ = 0; }

private:
    static constexpr std::int64_t kRunning = INT64_MIN;

    std::atomic<std::int64_t> offset_us_{0};
    std::atomic<std::int64_t> frozen_us_{kRunning};
};

}  // namespace gw::sim
