#include "jobs/outbox_settings.hpp"

namespace gw::jobs {
namespace {

std::string out_of_range(const char* field, std::int64_t low, std::int64_t high) {
    return std::string("outbox ") + field + " must be between " + std::to_string(low) + " and " +
           std::to_string(high);
}

}  // namespace

std::optional<std::string> check_outbox_settings(const OutboxSettings& settings) {
    if (settings.batch_size_max < 1 || settings.batch_size_max > kOutboxBatchSizeLimit) {
        return out_of_range("batch_size_max", 1, kOutboxBatchSizeLimit);
    }
    if (settings.attempts_max < 1 || settings.attempts_max > kOutboxAttemptsLimit) {
        return out_of_range("attempts_max", 1, kOutboxAttemptsLimit);
    }
    if (settings.backoff_ms_max < 1 || settings.backoff_ms_max > kOutboxBackoffMsLimit) {
        return out_of_range("backoff_ms_max", 1, kOutboxBackoffMsLimit);
    }
    if (settings.backoff_base_ms < 1 || settings.backoff_base_ms > settings.backoff_ms_max) {
        return out_of_range("backoff_base_ms", 1, settings.backoff_ms_max);
    }
    if (settings.backoff_jitter_percent_max < 0 ||
        settings.backoff_jitter_percent_max > kOutboxJitterPercentLimit) {
        return out_of_range("backoff_jitter_percent_max", 0, kOutboxJitterPercentLimit);
    }
    if (settings.lease_ms < kOutboxLeaseMsMin || settings.lease_ms > kOutboxLeaseMsLimit) {
        return out_of_range("lease_ms", kOutboxLeaseMsMin, kOutboxLeaseMsLimit);
    }
    if (settings.worker_count > kOutboxWorkerCountLimit) {
        return out_of_range("worker_count", 0, kOutboxWorkerCountLimit);
    }
    if (settings.poll_interval_ms < 1 || settings.poll_interval_ms > kOutboxLeaseMsLimit) {
        return out_of_range("poll_interval_ms", 1, kOutboxLeaseMsLimit);
    }
    return std::nullopt;
}

}  // namespace gw::jobs
