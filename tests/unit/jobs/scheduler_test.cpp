// Proves the scheduler runs each job at start and again after its interval, passes the clock's
// time, survives a job that throws (counting the failure), and stops promptly.

#include "jobs/scheduler.hpp"

#include <atomic>
#include <gtest/gtest.h>

namespace gw::jobs {
namespace {

using namespace std::chrono_literals;

TEST(Scheduler, RunsJobsRepeatedlyWithTheClocksTime) {
    ManualClock clock(TimePoint(std::chrono::seconds(42)));
    obs::MetricsRegistry metrics;
    std::atomic<int> runs{0};
    std::atomic<std::int64_t> seen_us{0};
    Scheduler scheduler(clock, metrics);
    scheduler.add("tick", 10ms, [&](TimePoint now) {
        seen_us = now.time_since_epoch().count();
        ++runs;
        return JobReport{2};
    });
    scheduler.start();
    for (int i = 0; i < 200 && runs < 3; ++i) {
        std::this_thread::sleep_for(5ms);
    }
    scheduler.stop();
    EXPECT_GE(runs.load(), 3);
    EXPECT_EQ(seen_us.load(), 42'000'000);
    EXPECT_EQ(metrics.counter_value("goldwallet_job_items_total", {{"job", "tick"}}),
              2u * static_cast<unsigned>(runs.load()));
}

TEST(Scheduler, AThrowingJobIsCountedAndRunsAgain) {
    ManualClock clock(TimePoint{});
    obs::MetricsRegistry metrics;
    std::atomic<int> runs{0};
    Scheduler scheduler(clock, metrics);
    scheduler.add("flaky", 5ms, [&](TimePoint) -> JobReport {
        ++runs;
        throw std::runtime_error("database down");
    });
    scheduler.start();
    for (int i = 0; i < 200 && runs < 2; ++i) {
        std::this_thread::sleep_for(5ms);
    }
    scheduler.stop();
    EXPECT_GE(runs.load(), 2);
    EXPECT_GE(metrics.counter_value("goldwallet_job_failures_total", {{"job", "flaky"}}), 2u);
}

TEST(Scheduler, StopReturnsPromptlyDuringALongInterval) {
    ManualClock clock(TimePoint{});
    obs::MetricsRegistry metrics;
    Scheduler scheduler(clock, metrics);
    scheduler.add("hourly", std::chrono::hours(1), [](TimePoint) { return JobReport{}; });
    scheduler.start();
    std::this_thread::sleep_for(20ms);
    const auto started = std::chrono::steady_clock::now();
    scheduler.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
}

}  // namespace
}  // namespace gw::jobs
