#pragma once

// Runs background jobs, each at its own pace, on one thread. A job is a `run_once(now)` that
// does a bounded batch of idempotent work and reports it; tests and the CLI call the same
// function directly. An exception in one run is logged and counted, and the job runs again at
// its next turn. Thread-safe: add() before start(); stop() from any thread.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "observability/metrics.hpp"

namespace gw::jobs {

struct JobReport {
    std::size_t processed = 0;  // rows or items handled in this run
};

using JobRun = std::function<JobReport(TimePoint now)>;

class Scheduler {
public:
    // REQUIRES: `clock` and `metrics` outlive the scheduler.
    Scheduler(const Clock& clock, obs::MetricsRegistry& metrics);
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // Registers a job that runs every `interval` (first run at start). REQUIRES: before start().
    void add(std::string name, std::chrono::milliseconds interval, JobRun run);

    void start();

    // Stops after the job running now (if any) finishes. Idempotent.
    void stop();

    // Makes every job due now: they run as soon as the thread is free (after the run in
    // progress, if any), then keep their interval from there. Safe from any thread.
    void wake();

private:
    struct Job {
        std::string name;
        std::chrono::milliseconds interval;
        JobRun run;
        std::chrono::steady_clock::time_point next_run;
    };

    void loop();
    void run_job(Job& job);

    const Clock& clock_;
    obs::MetricsRegistry& metrics_;
    std::vector<Job> jobs_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;  // guarded by mutex_
    bool woken_ = false;     // guarded by mutex_
    std::thread thread_;
};

}  // namespace gw::jobs
