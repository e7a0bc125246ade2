// Proves the scheduler runs each job at start and again after its interval, passes the clock's
// time, survives a job that throws (counting the failure), stops promptly, and runs its jobs
// at once when woken, also when the wake comes during a run.

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

TEST(Scheduler, WakeRunsTheJobsNowAndAgainAfterARunInProgress) {
    ManualClock clock(TimePoint{});
    obs::MetricsRegistry metrics;
    std::atomic<int> runs{0};
    std::atomic<bool> release{false};
    Scheduler scheduler(clock, metrics);
    scheduler.add("outbox", std::chrono::hours(1), [&](TimePoint) {
        ++runs;
        while (runs == 2 && !release) {
            std::this_thread::sleep_for(1ms);  // the second run lasts until the test lets go
        }
        return JobReport{};
    });
    const auto wait_for_runs = [&](int count) {
        for (int i = 0; i < 2000 && runs < count; ++i) {
            std::this_thread::sleep_for(1ms);
        }
        return runs.load();
    };
    scheduler.start();
    EXPECT_EQ(wait_for_runs(1), 1) << "the first run at start";
    scheduler.wake();
    EXPECT_EQ(wait_for_runs(2), 2) << "woken long before its hour";
    scheduler.wake();  // arrives while the second run is in progress
    release = true;
    EXPECT_EQ(wait_for_runs(3), 3) << "the wake during a run is not lost";
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(runs.load(), 3) << "and then it waits for its interval again";
    scheduler.stop();
}

}  // namespace
}  // namespace gw::jobs
