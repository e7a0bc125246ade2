// Proves the LedgerWriter under contention, in batching and in per-request mode: 64 threads
// racing 1,000 one-gram reservations against a 300 g pool get exactly 300 through; racing posts
// and voids of one pending transfer let exactly one win; racing retries of one id store one row;
// and a database error in a batch reaches every caller of that batch, storing nothing.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <latch>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "db/transaction.hpp"
#include "ledger/batch_writer.hpp"
#include "support/ledger_helpers.hpp"

namespace gw::ledger {
namespace {

using std::chrono::seconds;
using test::kGram;
using R = TransferResult;

constexpr int kThreads = 64;

// What each of the submissions got: its results, or the text of the exception it threw.
struct Outcome {
    std::vector<SubmissionResults> results;
    std::vector<std::string> errors;  // "" where the submission returned
    double seconds = 0;

    std::map<TransferResult, int> count_first() const {
        std::map<TransferResult, int> counts;
        for (const SubmissionResults& result : results) {
            if (!result.empty()) {
                ++counts[result.front()];
            }
        }
        return counts;
    }
    int failures() const {
        int n = 0;
        for (const std::string& error : errors) {
            n += error.empty() ? 0 : 1;
        }
        return n;
    }
};

// Submits every submission from `threads` threads that start together and take the next
// unsent one until none is left.
Outcome submit_concurrently(LedgerWriter& writer,
                            const std::vector<Submission>& submissions,
                            int threads) {
    Outcome outcome;
    outcome.results.resize(submissions.size());
    outcome.errors.resize(submissions.size());
    std::atomic<std::size_t> next{0};
    std::latch start(threads + 1);
    std::vector<std::thread> workers;
    workers.reserve(static_cast<std::size_t>(threads));
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            start.arrive_and_wait();
            for (std::size_t i = next++; i < submissions.size(); i = next++) {
                try {
                    outcome.results[i] = writer.submit(submissions[i]);
                } catch (const std::exception& error) {
                    outcome.errors[i] = std::string("exception: ") + error.what();
                }
            }
        });
    }
    start.arrive_and_wait();
    const auto began = std::chrono::steady_clock::now();
    for (std::thread& worker : workers) {
        worker.join();
    }
    outcome.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    return outcome;
}

class WriterConcurrencyTest : public ::testing::Test {
protected:
    void SetUp() override {
        pool_ = test::make_ledger_pool(kThreads + 6);
        const TimePoint now = clock_.now();
        db::with_transaction(*pool_, "test.setup", [&](pqxx::work& tx) {
            vault_ = test::ensure_vault(tx, now);
            bar_ =
                test::create_gold_pool(tx, bar_id_, "Bar 1", vault_, 300 * kGram, ids_.next(), now);
        });
    }

    void TearDown() override { EXPECT_EQ(test::invariant_report(*pool_), ""); }

    // `n` users, each with a share of the pool.
    std::vector<AccountId> make_users(int n) {
        std::vector<AccountId> shares;
        db::with_transaction(*pool_, "test.users", [&](pqxx::work& tx) {
            for (int i = 0; i < n; ++i) {
                const std::string user_id = ids_.next();
                test::insert_user(tx, user_id, "user" + std::to_string(i), clock_.now());
                shares.push_back(test::ensure_user_share(tx, user_id, bar_id_, clock_.now()));
            }
        });
        return shares;
    }

    std::int64_t available() {
        return db::with_transaction(*pool_, "test.pools", [&](pqxx::work& tx) {
            return tx
                .exec_params1("SELECT available_grams FROM pools WHERE id = $1::uuid", bar_id_)[0]
                .as<std::int64_t>();
        });
    }

    // The race of the issue: 1,000 reservations of 1 g against 300 g from 64 threads.
    void race_for_reservations(const WriterSettings& settings, const char* mode) {
        const std::vector<AccountId> users = make_users(1'000);
        std::vector<Submission> buys;
        for (AccountId user : users) {
            buys.push_back(Submission{
                {test::pending(
                    ids_.next(), bar_, user, kGram, clock_.now() + seconds(60), "buy.reserve")},
                true});
        }
        LedgerWriter writer(*pool_, clock_, settings);
        const Outcome outcome = submit_concurrently(writer, buys, kThreads);
        std::printf("[ perf     ] %s: %zu reservations from %d threads in %.3f s (%.0f/s)\n",
                    mode,
                    buys.size(),
                    kThreads,
                    outcome.seconds,
                    static_cast<double>(buys.size()) / outcome.seconds);
        RecordProperty("reservations_per_second",
                       static_cast<int>(static_cast<double>(buys.size()) / outcome.seconds));

        ASSERT_EQ(outcome.failures(), 0) << "first: " << [&] {
            for (const std::string& error : outcome.errors) {
                if (!error.empty()) {
                    return error;
                }
            }
            return std::string();
        }();
        const auto counts = outcome.count_first();
        EXPECT_EQ(counts, (std::map<TransferResult, int>{{R::ok, 300}, {R::exceeds_credits, 700}}));
        EXPECT_EQ(available(), 0);
        EXPECT_EQ(test::balance_of(*pool_, bar_), (AccountBalance{300 * kGram, 0, 0, 300 * kGram}));

        // Exactly the granted reservations are stored, each on its own user's account.
        std::set<std::string> granted;
        for (std::size_t i = 0; i < buys.size(); ++i) {
            if (outcome.results[i].front() == R::ok) {
                granted.insert(buys[i].transfers.front().id);
                EXPECT_EQ(test::balance_of(*pool_, users[i]), (AccountBalance{0, 0, kGram, 0}));
            }
        }
        const std::set<std::string> stored =
            db::with_transaction(*pool_, "test.read", [](pqxx::work& tx) {
                std::set<std::string> ids;
                for (const auto& row : tx.exec("SELECT id::text FROM transfers WHERE flags = 1")) {
                    ids.insert(row[0].as<std::string>());
                }
                return ids;
            });
        EXPECT_EQ(stored, granted);
    }

    // Many threads post or void one pending transfer at once: one wins, the rest see it.
    void race_to_resolve(const WriterSettings& settings) {
        const std::vector<AccountId> users = make_users(1);
        LedgerWriter writer(*pool_, clock_, settings);
        for (int round = 0; round < 5; ++round) {
            SCOPED_TRACE("round " + std::to_string(round));
            const std::string reserve_id = ids_.next();
            ASSERT_EQ(writer.submit({{test::pending(reserve_id, bar_, users[0], kGram)}, true}),
                      SubmissionResults{R::ok});
            std::vector<Submission> resolutions;
            for (int i = 0; i < 32; ++i) {
                resolutions.push_back(
                    Submission{{i % 2 == 0 ? test::post(ids_.next(), reserve_id)
                                           : test::void_pending(ids_.next(), reserve_id)},
                               true});
            }
            const Outcome outcome = submit_concurrently(writer, resolutions, 32);
            ASSERT_EQ(outcome.failures(), 0);
            const auto counts = outcome.count_first();
            ASSERT_EQ(counts.count(R::ok), 1U);
            EXPECT_EQ(counts.at(R::ok), 1);
            std::size_t winner = 0;
            while (outcome.results[winner].front() != R::ok) {
                ++winner;
            }
            const bool posted = winner % 2 == 0;
            EXPECT_EQ(counts,
                      (std::map<TransferResult, int>{{R::ok, 1},
                                                     {posted ? R::pending_transfer_already_posted
                                                             : R::pending_transfer_already_voided,
                                                      31}}));
        }
    }

    // Many threads send the very same transfer: one row, one ok, every other answer exists.
    void race_to_retry(const WriterSettings& settings) {
        const std::vector<AccountId> users = make_users(1);
        LedgerWriter writer(*pool_, clock_, settings);
        const std::string id = ids_.next();
        const std::vector<Submission> copies(
            32, Submission{{test::single_phase(id, bar_, users[0], kGram)}, true});
        const Outcome outcome = submit_concurrently(writer, copies, 32);
        ASSERT_EQ(outcome.failures(), 0);
        EXPECT_EQ(outcome.count_first(),
                  (std::map<TransferResult, int>{{R::ok, 1}, {R::exists, 31}}));
        EXPECT_EQ(test::transfer_rows(*pool_, id), 1);
        EXPECT_EQ(test::balance_of(*pool_, users[0]), (AccountBalance{0, 0, 0, kGram}));
    }

    // Makes every INSERT of a transfer of kind 'test.explode' fail inside PostgreSQL.
    void install_failing_kind() {
        db::with_transaction(*pool_, "test.trigger", [](pqxx::work& tx) {
            tx.exec0(
                "CREATE FUNCTION test_explode() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "IF NEW.kind = 'test.explode' THEN RAISE EXCEPTION 'test: exploded'; END IF; "
                "RETURN NEW; END $$");
            tx.exec0(
                "CREATE TRIGGER test_explode BEFORE INSERT ON transfers FOR EACH ROW "
                "EXECUTE FUNCTION test_explode()");
        });
    }

    gw::ManualClock clock_{TimePoint(seconds(1'800'000'000))};
    test::UuidSource ids_;
    const std::string bar_id_ = ids_.next();
    std::unique_ptr<db::ConnectionPool> pool_;
    AccountId vault_ = 0;
    AccountId bar_ = 0;  // holds 300 g
};

const WriterSettings kBatching{true, std::chrono::microseconds(200), 1024};
const WriterSettings kPerRequest{false, std::chrono::microseconds(200), 1024};

TEST_F(WriterConcurrencyTest, BatchingGrantsExactly300Of1000ReservationsFrom64Threads) {
    race_for_reservations(kBatching, "batching");
}

TEST_F(WriterConcurrencyTest, PerRequestGrantsExactly300Of1000ReservationsFrom64Threads) {
    race_for_reservations(kPerRequest, "per-request");
}

TEST_F(WriterConcurrencyTest, BatchingLetsExactlyOneOfManyRacingPostsAndVoidsWin) {
    race_to_resolve(kBatching);
}

TEST_F(WriterConcurrencyTest, PerRequestLetsExactlyOneOfManyRacingPostsAndVoidsWin) {
    race_to_resolve(kPerRequest);
}

TEST_F(WriterConcurrencyTest, BatchingStoresOneRowForManyRacingCopiesOfATransfer) {
    race_to_retry(kBatching);
}

TEST_F(WriterConcurrencyTest, PerRequestStoresOneRowForManyRacingCopiesOfATransfer) {
    race_to_retry(kPerRequest);
}

TEST_F(WriterConcurrencyTest, DatabaseErrorInABatchFailsOnlyTheCulpritsCaller) {
    install_failing_kind();
    const std::vector<AccountId> users = make_users(8);
    // The writer waits (up to a minute) until 8 transfers are queued: all 8 share one batch,
    // which fails as a whole; the writer then answers each submission on its own.
    LedgerWriter writer(*pool_, clock_, WriterSettings{true, seconds(60), 8});
    std::vector<Submission> batch;
    for (std::size_t i = 0; i < users.size(); ++i) {
        batch.push_back(Submission{{test::pending(ids_.next(),
                                                  bar_,
                                                  users[i],
                                                  kGram,
                                                  std::nullopt,
                                                  i == 5 ? "test.explode" : "buy.reserve")},
                                   i % 2 == 0});
    }
    const Outcome outcome = submit_concurrently(writer, batch, 8);
    EXPECT_EQ(outcome.failures(), 1);
    for (const std::string& error : outcome.errors) {
        if (!error.empty()) {
            EXPECT_NE(error.find("test: exploded"), std::string::npos) << error;
        }
    }
    EXPECT_EQ(outcome.count_first(), (std::map<TransferResult, int>{{R::ok, 7}}));
    EXPECT_EQ(test::transfer_rows(*pool_), 8);  // the pool's funding + the 7 good reservations
    EXPECT_EQ(test::balance_of(*pool_, users[5]), AccountBalance{}) << "nothing of the culprit";
    EXPECT_EQ(test::balance_of(*pool_, bar_), (AccountBalance{7 * kGram, 0, 0, 300 * kGram}));
}

TEST_F(WriterConcurrencyTest, DatabaseErrorInPerRequestModeReachesTheCallerAndStoresNothing) {
    install_failing_kind();
    const std::vector<AccountId> users = make_users(1);
    LedgerWriter writer(*pool_, clock_, kPerRequest);
    const std::string id = ids_.next();
    EXPECT_THROW(
        writer.submit(
            {{test::pending(id, bar_, users[0], kGram, std::nullopt, "test.explode")}, true}),
        pqxx::sql_error);
    EXPECT_EQ(test::transfer_rows(*pool_, id), 0);
    EXPECT_EQ(test::balance_of(*pool_, users[0]), AccountBalance{});
}

}  // namespace
}  // namespace gw::ledger
