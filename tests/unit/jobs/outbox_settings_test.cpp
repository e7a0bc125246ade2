// Proves check_outbox_settings accepts the defaults and every limit exactly, and names the
// field when a value is one step outside its range.

#include "jobs/outbox_settings.hpp"

#include <gtest/gtest.h>

namespace gw::jobs {
namespace {

std::string problem_of(const OutboxSettings& settings) {
    return check_outbox_settings(settings).value_or("");
}

TEST(OutboxSettings, DefaultsAndEveryLimitAreAccepted) {
    EXPECT_EQ(problem_of(OutboxSettings{}), "");
    OutboxSettings high;
    high.batch_size_max = kOutboxBatchSizeLimit;
    high.attempts_max = kOutboxAttemptsLimit;
    high.backoff_ms_max = kOutboxBackoffMsLimit;
    high.backoff_base_ms = kOutboxBackoffMsLimit;
    high.backoff_jitter_percent_max = kOutboxJitterPercentLimit;
    high.lease_ms = kOutboxLeaseMsLimit;
    high.worker_count = kOutboxWorkerCountLimit;
    high.poll_interval_ms = kOutboxLeaseMsLimit;
    EXPECT_EQ(problem_of(high), "");
    OutboxSettings low;
    low.batch_size_max = 1;
    low.attempts_max = 1;
    low.backoff_ms_max = 1;
    low.backoff_base_ms = 1;
    low.backoff_jitter_percent_max = 0;
    low.lease_ms = kOutboxLeaseMsMin;
    low.worker_count = 0;
    low.poll_interval_ms = 1;
    EXPECT_EQ(problem_of(low), "");
}

TEST(OutboxSettings, EachFieldOneStepOutsideItsRangeIsNamed) {
    const auto expect_named = [](auto change, const std::string& field) {
        OutboxSettings settings;
        change(settings);
        EXPECT_NE(problem_of(settings).find(field), std::string::npos) << field;
    };
    expect_named([](OutboxSettings& s) { s.batch_size_max = 0; }, "batch_size_max");
    expect_named([](OutboxSettings& s) { s.batch_size_max = kOutboxBatchSizeLimit + 1; },
                 "batch_size_max");
    expect_named([](OutboxSettings& s) { s.attempts_max = 0; }, "attempts_max");
    expect_named([](OutboxSettings& s) { s.attempts_max = kOutboxAttemptsLimit + 1; },
                 "attempts_max");
    expect_named([](OutboxSettings& s) { s.backoff_base_ms = 0; }, "backoff_base_ms");
    expect_named([](OutboxSettings& s) { s.backoff_base_ms = s.backoff_ms_max + 1; },
                 "backoff_base_ms");
    expect_named([](OutboxSettings& s) { s.backoff_ms_max = kOutboxBackoffMsLimit + 1; },
                 "backoff_ms_max");
    expect_named([](OutboxSettings& s) { s.backoff_jitter_percent_max = -1; },
                 "backoff_jitter_percent_max");
    expect_named([](OutboxSettings& s) { s.backoff_jitter_percent_max = 101; },
                 "backoff_jitter_percent_max");
    expect_named([](OutboxSettings& s) { s.lease_ms = kOutboxLeaseMsMin - 1; }, "lease_ms");
    expect_named([](OutboxSettings& s) { s.lease_ms = kOutboxLeaseMsLimit + 1; }, "lease_ms");
    expect_named([](OutboxSettings& s) { s.worker_count = kOutboxWorkerCountLimit + 1; },
                 "worker_count");
    expect_named([](OutboxSettings& s) { s.poll_interval_ms = 0; }, "poll_interval_ms");
}

}  // namespace
}  // namespace gw::jobs
