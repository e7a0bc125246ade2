#pragma once

// The ledger writer: every transfer of the process goes through here.
//
// Batching mode (the default) is group commit, as in LevelDB's DBImpl::Write: callers queue
// their submission and wait; one writer thread takes everything queued (waiting up to
// batch_wait_us_max for company when the queue is short), applies it in ONE database
// transaction — the hot pool row is locked once per batch instead of once per buy — commits
// once, and answers every caller with its own results.
//
// Per-request mode runs each submission in its own transaction on the caller's thread (the
// seed's SELECT … FOR UPDATE pattern), kept for comparison in benchmarks.
//
// Thread-safe: submit() may be called from any number of threads.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "db/pool.hpp"
#include "ledger/batch_apply.hpp"
#include "observability/metrics.hpp"

namespace gw::ledger {

struct WriterSettings {
    bool batching = true;
    std::chrono::microseconds batch_wait_us_max{200};
    std::size_t batch_transfers_max = 1024;
};

class LedgerWriter {
public:
    // REQUIRES: `pool`, `clock` (and `metrics`, when given) outlive the writer.
    LedgerWriter(db::ConnectionPool& pool,
                 const Clock& clock,
                 WriterSettings settings,
                 obs::MetricsRegistry* metrics = nullptr);
    // Fails every submission still queued (std::runtime_error) and joins the writer thread.
    ~LedgerWriter();
    LedgerWriter(const LedgerWriter&) = delete;
    LedgerWriter& operator=(const LedgerWriter&) = delete;

    // Applies the submission and returns one result per transfer, in order. Blocks until the
    // transaction that carried it committed (or failed: the database error is rethrown here,
    // and nothing of the submission was stored). When a batch fails as a whole, each of its
    // submissions is retried alone, so one caller's failure never fails another's.
    SubmissionResults submit(Submission submission);

    const WriterSettings& settings() const { return settings_; }

private:
    struct Queued {
        Submission submission;
        std::promise<SubmissionResults> answer;
    };

    void run();
    std::vector<Queued> take_batch();
    void execute(std::vector<Queued>& batch);
    // After a batch failed as a whole: each submission in its own transaction, so only the
    // culprit's caller gets the error.
    void execute_one_by_one(std::vector<Queued>& batch);
    void record(const std::vector<const Submission*>& submissions,
                const std::vector<SubmissionResults>& results,
                std::chrono::steady_clock::duration elapsed);

    db::ConnectionPool& pool_;
    const Clock& clock_;
    const WriterSettings settings_;
    obs::MetricsRegistry* metrics_;
    std::mutex mutex_;
    std::condition_variable queued_;
    std::deque<Queued> queue_;         // guarded by mutex_
    std::size_t queued_transfers_ = 0;  // guarded by mutex_
    bool stopping_ = false;             // guarded by mutex_
    std::thread thread_;
};

}  // namespace gw::ledger
