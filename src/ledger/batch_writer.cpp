#include "ledger/batch_writer.hpp"

#include <map>
#include <stdexcept>

#include "db/transaction.hpp"
#include "observability/log.hpp"

namespace gw::ledger {

LedgerWriter::LedgerWriter(db::ConnectionPool& pool, const Clock& clock, WriterSettings settings,
                           obs::MetricsRegistry* metrics)
    : pool_(pool), clock_(clock), settings_(settings), metrics_(metrics) {
    if (settings_.batching) {
        thread_ = std::thread([this] { run(); });
    }
}

LedgerWriter::~LedgerWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    queued_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
    for (Queued& left : queue_) {
        left.answer.set_exception(
            std::make_exception_ptr(std::runtime_error("ledger writer stopped")));
    }
}

SubmissionResults LedgerWriter::submit(Submission submission) {
    if (!settings_.batching) {
        const auto started = std::chrono::steady_clock::now();
        auto results = db::with_transaction(pool_, "ledger.transfer", [&](pqxx::work& tx) {
            return apply_submissions(tx, {&submission}, clock_.now());
        });
        record({&submission}, results, std::chrono::steady_clock::now() - started);
        return std::move(results.front());
    }
    std::future<SubmissionResults> answer;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            throw std::runtime_error("ledger writer stopped");
        }
        queued_transfers_ += submission.transfers.size();
        queue_.push_back(Queued{std::move(submission), {}});
        answer = queue_.back().answer.get_future();
    }
    queued_.notify_one();
    return answer.get();
}

void LedgerWriter::run() {
    for (;;) {
        std::vector<Queued> batch = take_batch();
        if (batch.empty()) {
            return;  // stopping
        }
        execute(batch);
    }
}

std::vector<LedgerWriter::Queued> LedgerWriter::take_batch() {
    std::unique_lock lock(mutex_);
    queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) {
        return {};
    }
    // Wait up to batch_wait_us_max for company, unless a full batch is already queued: the
    // window bounds the latency a lone caller pays, and lets callers woken by the previous
    // batch's answers rejoin the next one.
    const auto deadline = std::chrono::steady_clock::now() + settings_.batch_wait_us_max;
    queued_.wait_until(lock, deadline, [this] {
        return stopping_ || queued_transfers_ >= settings_.batch_transfers_max;
    });
    std::vector<Queued> batch;
    std::size_t transfers = 0;
    while (!queue_.empty() &&
           (batch.empty() || transfers + queue_.front().submission.transfers.size() <=
                                 settings_.batch_transfers_max)) {
        transfers += queue_.front().submission.transfers.size();
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
    }
    queued_transfers_ -= transfers;
    return batch;
}

void LedgerWriter::execute(std::vector<Queued>& batch) {
    std::vector<const Submission*> submissions;
    submissions.reserve(batch.size());
    for (const Queued& queued : batch) {
        submissions.push_back(&queued.submission);
    }
    const auto started = std::chrono::steady_clock::now();
    std::vector<SubmissionResults> results;
    try {
        results = db::with_transaction(pool_, "ledger.batch", [&](pqxx::work& tx) {
            return apply_submissions(tx, submissions, clock_.now());
        });
    } catch (const std::exception& error) {
        // One submission's failure must not fail the others: answer each on its own.
        obs::log_warn("ledger.batch_failed", {{"submissions", batch.size()}, {"what", error.what()}});
        execute_one_by_one(batch);
        return;
    }
    const auto elapsed = std::chrono::steady_clock::now() - started;
    try {
        // Before the answers, while `results` is whole; a metrics failure must never look like
        // a failed commit, so it is contained here.
        record(submissions, results, elapsed);
    } catch (const std::exception& error) {
        obs::log_error("ledger.metrics_failed", {{"what", error.what()}});
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
        batch[i].answer.set_value(std::move(results[i]));
    }
}

void LedgerWriter::execute_one_by_one(std::vector<Queued>& batch) {
    for (Queued& queued : batch) {
        try {
            auto results = db::with_transaction(pool_, "ledger.transfer", [&](pqxx::work& tx) {
                return apply_submissions(tx, {&queued.submission}, clock_.now());
            });
            queued.answer.set_value(std::move(results.front()));
        } catch (...) {
            queued.answer.set_exception(std::current_exception());
        }
    }
}

void LedgerWriter::record(const std::vector<const Submission*>& submissions,
                          const std::vector<SubmissionResults>& results,
                          std::chrono::steady_clock::duration elapsed) {
    if (metrics_ == nullptr) {
        return;
    }
    std::map<TransferResult, std::uint64_t> by_result;
    for (const SubmissionResults& submission : results) {
        for (TransferResult result : submission) {
            ++by_result[result];
        }
    }
    for (const auto& [result, count] : by_result) {
        metrics_->increment("goldwallet_ledger_transfers_total", "Transfers by result",
                            {{"result", std::string(to_string(result))}}, count);
    }
    metrics_->increment("goldwallet_ledger_batches_total", "Ledger write transactions", {});
    metrics_->increment("goldwallet_ledger_batch_submissions_total",
                        "Submissions carried by ledger write transactions", {}, submissions.size());
    metrics_->observe("goldwallet_ledger_batch_duration_seconds", "Ledger write transaction time", {},
                      std::chrono::duration_cast<std::chrono::microseconds>(elapsed));
}

}  // namespace gw::ledger
