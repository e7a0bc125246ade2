#include "jobs/scheduler.hpp"

#include <algorithm>
#include <utility>

#include "observability/log.hpp"

namespace gw::jobs {

Scheduler::Scheduler(const Clock& clock, obs::MetricsRegistry& metrics)
    : clock_(clock), metrics_(metrics) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::add(std::string name, std::chrono::milliseconds interval, JobRun run) {
    jobs_.push_back(Job{std::move(name), interval, std::move(run), {}});
}

void Scheduler::start() {
    const auto now = std::chrono::steady_clock::now();
    for (Job& job : jobs_) {
        job.next_run = now;
    }
    thread_ = std::thread([this] { loop(); });
}

void Scheduler::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void Scheduler::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    wake_.notify_all();
}

void Scheduler::loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        const auto now = std::chrono::steady_clock::now();
        if (std::exchange(woken_, false)) {
            for (Job& job : jobs_) {
                job.next_run = now;
            }
        }
        auto next = now + std::chrono::hours(1);
        for (Job& job : jobs_) {
            if (job.next_run <= now) {
                lock.unlock();
                run_job(job);
                lock.lock();
                job.next_run = std::chrono::steady_clock::now() + job.interval;
            }
            next = std::min(next, job.next_run);
            if (stopping_) {
                return;
            }
        }
        wake_.wait_until(lock, next, [this] { return stopping_ || woken_; });
    }
}

void Scheduler::run_job(Job& job) {
    const obs::Labels labels = {{"job", job.name}};
    try {
        const JobReport report = job.run(clock_.now());
        metrics_.increment("goldwallet_job_runs_total", "Background job runs", labels);
        metrics_.increment("goldwallet_job_items_total", "Items handled by background jobs", labels,
                           report.processed);
        if (report.processed > 0) {
            obs::log_info("job.ran", {{"job", job.name}, {"processed", report.processed}});
        }
    } catch (const std::exception& error) {
        metrics_.increment("goldwallet_job_failures_total", "Background job runs that failed", labels);
        obs::log_error("job.failed", {{"job", job.name}, {"what", error.what()}});
    }
}

}  // namespace gw::jobs
