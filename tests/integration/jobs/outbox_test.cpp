// Proves the transactional outbox against a real PostgreSQL with a ManualClock (no sleeps):
// enqueue lives and dies with its transaction and queues an effect once; run_once delivers
// due messages only; retries follow the backoff exactly with a fixed jitter; messages die
// after attempts_max (or at once when the handler says so or no handler exists) with every
// attempt recorded; a throwing handler is a retry; two workers on 200 messages deliver each
// exactly once; the pool's outbox listener hears of each commit that queued a message and of
// nothing else (not a rollback, a duplicate or a nested transaction's commit); and a claim whose
// worker crashed is retried (or dead-lettered) once its lease
// runs out, the lost attempt recorded.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "db/transaction.hpp"
#include "db/outbox_store.hpp"
#include "jobs/outbox_worker.hpp"
#include "support/pg_fixture.hpp"

namespace gw::jobs {
namespace {

using namespace gw::db;  // NOLINT(google-build-using-namespace): the store under test

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

class OutboxTest : public ::testing::Test {
protected:
    void SetUp() override {
        db::Settings db_settings;
        db_settings.connection_string = test::TestCluster::instance().create_migrated_database();
        db_settings.pool_size = 6;
        db_settings.acquire_timeout_ms = 60'000;
        db_settings.statement_timeout_ms = 30'000;
        db_settings.retry_backoff_ms_max = 5;
        pool_ = std::make_unique<db::ConnectionPool>(db_settings);
        settings_.batch_size_max = 10;
        settings_.attempts_max = 5;
        settings_.backoff_base_ms = 1'000;
        settings_.backoff_ms_max = 4'000;
        settings_.backoff_jitter_percent_max = 20;
        settings_.lease_ms = 60'000;
    }

    std::unique_ptr<OutboxWorker> make_worker(const OutboxJitter& jitter = fixed_jitter(7)) {
        return std::make_unique<OutboxWorker>(*pool_, clock_, metrics_, settings_, jitter);
    }

    bool enqueue_at(const std::string& topic, const std::string& key, TimePoint at) {
        return db::with_transaction(*pool_, "test.enqueue", [&](pqxx::work& tx) {
            return enqueue(tx, OutboxMessage{topic, key, {{"key", key}}}, at);
        });
    }

    StoredOutboxMessage stored(const std::string& topic, const std::string& key) {
        const auto message = db::with_transaction(
            *pool_, "test.find", [&](pqxx::work& tx) { return find_message(tx, topic, key); });
        EXPECT_TRUE(message.has_value()) << topic << "/" << key;
        return message.value_or(StoredOutboxMessage{});
    }

    std::vector<StoredAttempt> attempts(std::int64_t id) {
        return db::with_transaction(
            *pool_, "test.attempts", [&](pqxx::work& tx) { return attempts_of(tx, id); });
    }

    std::uint64_t dead_total(const std::string& topic) {
        return metrics_.counter_value("goldwallet_outbox_dead_total", {{"topic", topic}});
    }

    ManualClock clock_{TimePoint(seconds(1'800'000'000))};
    const TimePoint start_ = clock_.now();
    obs::MetricsRegistry metrics_;
    OutboxSettings settings_;
    std::unique_ptr<db::ConnectionPool> pool_;
};

// ---- enqueue ----

TEST_F(OutboxTest, EnqueueInsideATransactionThatRollsBackLeavesNothing) {
    EXPECT_THROW(db::with_transaction(
                     *pool_,
                     "test.rollback",
                     [&](pqxx::work& tx) {
                         EXPECT_TRUE(enqueue(tx, OutboxMessage{"t", "k", {{"a", 1}}}, start_));
                         throw std::runtime_error("domain step failed");
                     }),
                 std::runtime_error);
    const OutboxCounts counts = make_worker()->counts();
    EXPECT_EQ(counts.pending + counts.done + counts.dead, 0);
    int calls = 0;
    auto worker = make_worker();
    worker->register_handler("t", [&](const OutboxMessage&) {
        ++calls;
        return OutboxResult::done();
    });
    EXPECT_EQ(worker->run_once(clock_.now()).processed, 0u);
    EXPECT_EQ(calls, 0);
}

TEST_F(OutboxTest, TheSameTopicAndKeyIsQueuedOnceAndKeepsTheFirstPayload) {
    EXPECT_TRUE(db::with_transaction(*pool_, "test.first", [&](pqxx::work& tx) {
        return enqueue(tx, OutboxMessage{"stk", "trade-1", {{"amount", 100}}}, start_);
    }));
    EXPECT_FALSE(db::with_transaction(*pool_, "test.again", [&](pqxx::work& tx) {
        return enqueue(tx, OutboxMessage{"stk", "trade-1", {{"amount", 999}}}, start_);
    }));
    EXPECT_TRUE(enqueue_at("b2c", "trade-1", start_));  // another topic is another effect
    EXPECT_EQ(stored("stk", "trade-1").payload, (nlohmann::json{{"amount", 100}}));
    EXPECT_EQ(make_worker()->counts().pending, 2);
}

TEST_F(OutboxTest, TheListenerHearsOfCommitsThatQueuedAMessageOnly) {
    std::atomic<int> heard = 0;
    pool_->listen(std::string(db::kOutboxChannel), [&heard](const std::string& topic) {
        EXPECT_EQ(topic, "stk");
        ++heard;
    });
    EXPECT_TRUE(enqueue_at("stk", "a", start_));
    EXPECT_EQ(heard.load(), 1) << "a commit that queued a message";
    EXPECT_FALSE(enqueue_at("stk", "a", start_));
    EXPECT_EQ(heard.load(), 1) << "a duplicate queued nothing";
    EXPECT_THROW(db::with_transaction(*pool_,
                                      "test.rollback",
                                      [&](pqxx::work& tx) {
                                          enqueue(tx, OutboxMessage{"stk", "b", {}}, start_);
                                          throw std::runtime_error("domain step failed");
                                      }),
                 std::runtime_error);
    EXPECT_EQ(heard.load(), 1) << "a rollback";
    // A transaction that queues, with another one (which queues nothing) run inside it on the
    // same thread: only the outer commit is announced.
    db::with_transaction(*pool_, "test.outer", [&](pqxx::work& tx) {
        enqueue(tx, OutboxMessage{"stk", "c", {}}, start_);
        db::with_transaction(*pool_, "test.inner", [](pqxx::work& inner) { inner.exec("SELECT 1"); });
        EXPECT_EQ(heard.load(), 1) << "the inner commit queued nothing";
    });
    EXPECT_EQ(heard.load(), 2);
    pool_->listen(std::string(db::kOutboxChannel), {});
    EXPECT_TRUE(enqueue_at("stk", "d", start_));
    EXPECT_EQ(heard.load(), 2) << "removed";
}

// ---- delivery ----

TEST_F(OutboxTest, RunOnceDeliversDueMessagesAndNotFutureOnes) {
    ASSERT_TRUE(enqueue_at("t", "now", start_));
    ASSERT_TRUE(enqueue_at("t", "later", start_ + seconds(10)));
    std::vector<nlohmann::json> delivered;
    auto worker = make_worker();
    worker->register_handler("t", [&](const OutboxMessage& message) {
        delivered.push_back(message.payload);
        return OutboxResult::done();
    });
    EXPECT_EQ(worker->run_once(clock_.now()).processed, 1u);
    ASSERT_EQ(delivered.size(), 1u);
    EXPECT_EQ(delivered[0], (nlohmann::json{{"key", "now"}}));
    const StoredOutboxMessage done = stored("t", "now");
    EXPECT_EQ(done.status, OutboxStatus::done);
    EXPECT_EQ(done.attempts, 1);
    EXPECT_EQ(done.done_at, start_);
    EXPECT_FALSE(done.claimed_at.has_value());
    const auto recorded = attempts(done.id);
    ASSERT_EQ(recorded.size(), 1u);
    EXPECT_EQ(recorded[0].outcome, OutboxOutcome::done);
    EXPECT_EQ(recorded[0].error, "");

    clock_.advance(seconds(10) - microseconds(1));
    EXPECT_EQ(worker->run_once(clock_.now()).processed, 0u);
    clock_.advance(microseconds(1));
    EXPECT_EQ(worker->run_once(clock_.now()).processed, 1u);
    EXPECT_EQ(delivered.size(), 2u);
    EXPECT_EQ(worker->run_once(clock_.now()).processed, 0u);  // done stays done
    EXPECT_EQ(worker->counts().done, 2);
}

TEST_F(OutboxTest, RetriesFollowTheBackoffExactlyWithAFixedJitter) {
    ASSERT_TRUE(enqueue_at("t", "k", start_));
    int calls = 0;
    auto worker = make_worker(fixed_jitter(7));
    worker->register_handler("t", [&](const OutboxMessage&) {
        ++calls;
        return OutboxResult::retry("daraja timed out");
    });
    // base 1 s, ceiling 4 s, jitter fixed at 7 ms (within 20 %): 1.007, 2.007, 4.007, 4.007.
    const std::vector<milliseconds> delays = {
        milliseconds(1'007), milliseconds(2'007), milliseconds(4'007), milliseconds(4'007)};
    for (std::size_t i = 0; i < delays.size(); ++i) {
        ASSERT_EQ(worker->run_once(clock_.now()).processed, 1u) << i;
        const StoredOutboxMessage message = stored("t", "k");
        EXPECT_EQ(message.status, OutboxStatus::pending);
        EXPECT_EQ(message.next_attempt_at, clock_.now() + delays[i]) << i;
        EXPECT_EQ(message.last_error, "daraja timed out");
        clock_.advance(delays[i] - microseconds(1));
        EXPECT_EQ(worker->run_once(clock_.now()).processed, 0u) << i;  // one µs early
        clock_.advance(microseconds(1));
    }
    EXPECT_EQ(calls, 4);
}

TEST_F(OutboxTest, DeadAfterAttemptsMaxWithEveryAttemptRecorded) {
    settings_.attempts_max = 3;
    ASSERT_TRUE(enqueue_at("t", "k", start_));
    int calls = 0;
    auto worker = make_worker(fixed_jitter(0));
    worker->register_handler("t", [&](const OutboxMessage&) {
        ++calls;
        return OutboxResult::retry("busy " + std::to_string(calls));
    });
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(worker->run_once(clock_.now()).processed, 1u);
        clock_.advance(seconds(5));
    }
    EXPECT_EQ(worker->run_once(clock_.now()).processed, 0u);
    EXPECT_EQ(calls, 3);
    const StoredOutboxMessage dead = stored("t", "k");
    EXPECT_EQ(dead.status, OutboxStatus::dead);
    EXPECT_EQ(dead.attempts, 3);
    EXPECT_TRUE(dead.done_at.has_value());
    const auto recorded = attempts(dead.id);
    ASSERT_EQ(recorded.size(), 3u);
    EXPECT_EQ(recorded[0].outcome, OutboxOutcome::retry);
    EXPECT_EQ(recorded[0].error, "busy 1");
    EXPECT_EQ(recorded[1].outcome, OutboxOutcome::retry);
    EXPECT_EQ(recorded[2].outcome, OutboxOutcome::dead);
    EXPECT_EQ(recorded[2].error, "attempts exhausted (3); last error: busy 3");
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(recorded[static_cast<std::size_t>(i)].attempt, i + 1);
    }
    EXPECT_EQ(dead_total("t"), 1u);
    EXPECT_EQ(worker->counts().dead, 1);
}

TEST_F(OutboxTest, AThrowingHandlerIsARetryWithTheExceptionText) {
    ASSERT_TRUE(enqueue_at("t", "k", start_));
    bool fail = true;
    auto worker = make_worker(fixed_jitter(0));
    worker->register_handler("t", [&](const OutboxMessage&) -> OutboxResult {
        if (fail) {
            throw std::runtime_error("connection reset");
        }
        return OutboxResult::done();
    });
    ASSERT_EQ(worker->run_once(clock_.now()).processed, 1u);
    StoredOutboxMessage message = stored("t", "k");
    EXPECT_EQ(message.status, OutboxStatus::pending);
    EXPECT_EQ(message.last_error, "handler threw: connection reset");
    EXPECT_EQ(message.next_attempt_at, clock_.now() + seconds(1));
    fail = false;
    clock_.advance(seconds(1));
    ASSERT_EQ(worker->run_once(clock_.now()).processed, 1u);
    message = stored("t", "k");
    EXPECT_EQ(message.status, OutboxStatus::done);
    const auto recorded = attempts(message.id);
    ASSERT_EQ(recorded.size(), 2u);
    EXPECT_EQ(recorded[0].outcome, OutboxOutcome::retry);
    EXPECT_EQ(recorded[0].error, "handler threw: connection reset");
    EXPECT_EQ(recorded[1].outcome, OutboxOutcome::done);
}

TEST_F(OutboxTest, AHandlerSayingDeadAndAnUnknownTopicDieAtOnce) {
    ASSERT_TRUE(enqueue_at("t", "refused", start_));
    ASSERT_TRUE(enqueue_at("nobody.listens", "k", start_));
    auto worker = make_worker();
    worker->register_handler(
        "t", [](const OutboxMessage&) { return OutboxResult::dead("invalid phone number"); });
    EXPECT_EQ(worker->run_once(clock_.now()).processed, 2u);
    const StoredOutboxMessage refused = stored("t", "refused");
    EXPECT_EQ(refused.status, OutboxStatus::dead);
    EXPECT_EQ(refused.last_error, "invalid phone number");
    const StoredOutboxMessage unknown = stored("nobody.listens", "k");
    EXPECT_EQ(unknown.status, OutboxStatus::dead);
    EXPECT_EQ(unknown.attempts, 1);
    EXPECT_EQ(unknown.last_error, "no handler for topic nobody.listens");
    ASSERT_EQ(attempts(unknown.id).size(), 1u);
    EXPECT_EQ(attempts(unknown.id)[0].outcome, OutboxOutcome::dead);
    EXPECT_EQ(dead_total("t"), 1u);
    EXPECT_EQ(dead_total("nobody.listens"), 1u);
}

// ---- several workers, crashed workers ----

TEST_F(OutboxTest, TwoConcurrentWorkersDeliverEachOf200MessagesExactlyOnce) {
    constexpr int kMessages = 200;
    db::with_transaction(*pool_, "test.enqueue", [&](pqxx::work& tx) {
        for (int i = 0; i < kMessages; ++i) {
            ASSERT_TRUE(enqueue(tx, OutboxMessage{"t", std::to_string(i), {{"i", i}}}, start_));
        }
    });
    std::mutex mutex;
    std::map<std::string, int> deliveries;  // guarded by mutex
    std::atomic<int> delivered{0};
    const auto count = [&](const OutboxMessage& message) {
        std::lock_guard lock(mutex);
        ++deliveries[message.key];
        ++delivered;
        return OutboxResult::done();
    };
    auto first = make_worker();
    auto second = make_worker();
    first->register_handler("t", count);
    second->register_handler("t", count);
    const auto drain = [&](OutboxWorker& worker) {
        for (int run = 0; run < 10'000 && delivered.load() < kMessages; ++run) {
            worker.run_once(clock_.now());
        }
    };
    std::thread one([&] { drain(*first); });
    std::thread two([&] { drain(*second); });
    one.join();
    two.join();
    ASSERT_EQ(deliveries.size(), static_cast<std::size_t>(kMessages));
    for (const auto& [key, times] : deliveries) {
        EXPECT_EQ(times, 1) << key;
    }
    EXPECT_EQ(first->counts().done, kMessages);
    const auto recorded = db::with_transaction(*pool_, "test.count", [](pqxx::work& tx) {
        return tx.exec1("SELECT count(*), count(DISTINCT outbox_id) FROM outbox_attempts");
    });
    EXPECT_EQ(recorded[0].as<int>(), kMessages);
    EXPECT_EQ(recorded[1].as<int>(), kMessages);
}

TEST_F(OutboxTest, AClaimWhoseWorkerCrashedIsRetriedAfterTheLease) {
    ASSERT_TRUE(enqueue_at("t", "k", start_));
    const ClaimLimits limits{10, settings_.attempts_max, milliseconds(settings_.lease_ms)};
    const ClaimedBatch crashed = db::with_transaction(
        *pool_, "test.claim", [&](pqxx::work& tx) { return claim_due(tx, start_, limits); });
    ASSERT_EQ(crashed.messages.size(), 1u);  // ...and this worker is never heard of again
    int calls = 0;
    auto worker = make_worker();
    worker->register_handler("t", [&](const OutboxMessage&) {
        ++calls;
        return OutboxResult::done();
    });
    EXPECT_EQ(worker->run_once(clock_.now()).processed, 0u);
    clock_.advance(seconds(60) - microseconds(1));
    EXPECT_EQ(worker->run_once(clock_.now()).processed, 0u);  // the lease still holds
    clock_.advance(microseconds(1));
    EXPECT_EQ(worker->run_once(clock_.now()).processed, 1u);
    EXPECT_EQ(calls, 1);
    const StoredOutboxMessage message = stored("t", "k");
    EXPECT_EQ(message.status, OutboxStatus::done);
    EXPECT_EQ(message.attempts, 2);
    const auto recorded = attempts(message.id);
    ASSERT_EQ(recorded.size(), 2u);
    EXPECT_EQ(recorded[0].outcome, OutboxOutcome::retry);
    EXPECT_EQ(recorded[0].started_at, start_);
    EXPECT_EQ(recorded[0].finished_at, start_ + seconds(60));
    EXPECT_NE(recorded[0].error.find("lease expired"), std::string::npos);
    EXPECT_EQ(recorded[1].outcome, OutboxOutcome::done);
    // The crashed worker coming back late finds its claim gone and changes nothing.
    FinishedAttempt late;
    late.id = crashed.messages[0].id;
    late.attempt = crashed.messages[0].attempt;
    late.started_at = start_;
    late.finished_at = clock_.now();
    late.outcome = OutboxOutcome::retry;
    late.error = "too late";
    late.next_attempt_at = clock_.now();
    EXPECT_FALSE(db::with_transaction(
        *pool_, "test.late", [&](pqxx::work& tx) { return finish_attempt(tx, late); }));
    EXPECT_EQ(attempts(message.id).size(), 2u);
}

TEST_F(OutboxTest, ALeaseThatExpiresOnTheLastAttemptDeadLettersTheMessage) {
    settings_.attempts_max = 1;
    ASSERT_TRUE(enqueue_at("t", "k", start_));
    const ClaimLimits limits{10, 1, milliseconds(settings_.lease_ms)};
    db::with_transaction(
        *pool_, "test.claim", [&](pqxx::work& tx) { return claim_due(tx, start_, limits); });
    int calls = 0;
    auto worker = make_worker();
    worker->register_handler("t", [&](const OutboxMessage&) {
        ++calls;
        return OutboxResult::done();
    });
    clock_.advance(seconds(60));
    EXPECT_EQ(worker->run_once(clock_.now()).processed, 1u);
    EXPECT_EQ(calls, 0);
    const StoredOutboxMessage message = stored("t", "k");
    EXPECT_EQ(message.status, OutboxStatus::dead);
    const auto recorded = attempts(message.id);
    ASSERT_EQ(recorded.size(), 1u);
    EXPECT_EQ(recorded[0].outcome, OutboxOutcome::dead);
    EXPECT_EQ(dead_total("t"), 1u);
}

// ---- gauges and the schema's guards ----

TEST_F(OutboxTest, LagIsTheAgeOfTheOldestDueMessageAndCountsAreByStatus) {
    auto worker = make_worker();
    EXPECT_EQ(worker->lag_seconds(clock_.now()), 0);
    ASSERT_TRUE(enqueue_at("t", "old", start_));
    ASSERT_TRUE(enqueue_at("t", "new", start_ + seconds(30)));
    ASSERT_TRUE(enqueue_at("t", "future", start_ + seconds(1'000)));
    EXPECT_EQ(worker->lag_seconds(start_ + milliseconds(90'999)), 90);
    EXPECT_EQ(worker->lag_seconds(start_ + seconds(91)), 91);
    EXPECT_EQ(worker->lag_seconds(start_ - seconds(1)), 0);
    worker->register_handler("t", [](const OutboxMessage& message) {
        return message.key == "old" ? OutboxResult::done() : OutboxResult::dead("no");
    });
    clock_.advance(seconds(30));
    EXPECT_EQ(worker->run_once(clock_.now()).processed, 2u);
    const OutboxCounts counts = worker->counts();
    EXPECT_EQ(counts.pending, 1);
    EXPECT_EQ(counts.done, 1);
    EXPECT_EQ(counts.dead, 1);
    EXPECT_EQ(worker->lag_seconds(clock_.now()), 0);  // the future one is not due
}

TEST_F(OutboxTest, DoneIsFinalAndNeitherTableLosesRows) {
    ASSERT_TRUE(enqueue_at("t", "k", start_));
    auto worker = make_worker();
    worker->register_handler("t", [](const OutboxMessage&) { return OutboxResult::done(); });
    ASSERT_EQ(worker->run_once(clock_.now()).processed, 1u);
    const auto refused = [&](const std::string& sql) {
        EXPECT_THROW(
            db::with_transaction(*pool_, "test.tamper", [&](pqxx::work& tx) { tx.exec(sql); }),
            pqxx::sql_error)
            << sql;
    };
    refused("UPDATE outbox SET status = 'pending', done_at = NULL");
    refused("UPDATE outbox SET payload = '{}'");
    refused("DELETE FROM outbox");
    refused("UPDATE outbox_attempts SET error = 'x'");
    refused("DELETE FROM outbox_attempts");
    EXPECT_EQ(stored("t", "k").status, OutboxStatus::done);
}

}  // namespace
}  // namespace gw::jobs
