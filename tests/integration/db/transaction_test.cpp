// Proves with_transaction: it commits on success; an Error result or an exception rolls back
// (nothing stored); serialization failures and real deadlocks are retried up to the bound;
// and the statement timeout is set in every transaction.

#include "db/transaction.hpp"

#include <atomic>
#include <barrier>
#include <gtest/gtest.h>
#include <thread>

#include "support/pg_fixture.hpp"

namespace gw::db {
namespace {

class TransactionTest : public ::testing::Test {
protected:
    void SetUp() override {
        settings_.connection_string = test::TestCluster::instance().create_database();
        settings_.pool_size = 4;
        settings_.retry_attempts_max = 3;
        settings_.retry_backoff_ms_max = 5;
        pool_ = std::make_unique<ConnectionPool>(settings_);
        with_transaction(*pool_, "test.setup", [](pqxx::work& tx) {
            tx.exec("CREATE TABLE items (id integer PRIMARY KEY, note text)");
            tx.exec("INSERT INTO items VALUES (1, 'one'), (2, 'two')");
        });
    }

    long long rows() {
        return with_transaction(*pool_, "test.count", [](pqxx::work& tx) {
            return tx.exec("SELECT count(*) FROM items")[0][0].as<long long>();
        });
    }

    Settings settings_;
    std::unique_ptr<ConnectionPool> pool_;
};

TEST_F(TransactionTest, CommitsOnSuccessAndReturnsTheValue) {
    const int inserted = with_transaction(*pool_, "test.insert", [](pqxx::work& tx) {
        tx.exec("INSERT INTO items VALUES (3, 'three')");
        return 3;
    });
    EXPECT_EQ(inserted, 3);
    EXPECT_EQ(rows(), 3);
}

TEST_F(TransactionTest, ErrorResultRollsBack) {
    Result<int> outcome = with_transaction(*pool_, "test.refused", [](pqxx::work& tx) -> Result<int> {
        tx.exec("INSERT INTO items VALUES (3, 'three')");
        return make_error(ErrorCode::validation_failed, "no");
    });
    ASSERT_FALSE(outcome.has_value());
    EXPECT_EQ(outcome.error().code, ErrorCode::validation_failed);
    EXPECT_EQ(rows(), 2);
}

TEST_F(TransactionTest, ExceptionRollsBackAndPropagates) {
    EXPECT_THROW(with_transaction(*pool_, "test.throws",
                                  [](pqxx::work& tx) {
                                      tx.exec("INSERT INTO items VALUES (3, 'three')");
                                      throw std::runtime_error("boom");
                                  }),
                 std::runtime_error);
    EXPECT_EQ(rows(), 2);
}

TEST_F(TransactionTest, SerializationFailureIsRetriedThenSucceeds) {
    int attempts = 0;
    with_transaction(*pool_, "test.retry", [&](pqxx::work& tx) {
        ++attempts;
        tx.exec("INSERT INTO items VALUES (3, 'three')");
        if (attempts < 3) {
            throw pqxx::serialization_failure("could not serialize access");
        }
    });
    EXPECT_EQ(attempts, 3);
    EXPECT_EQ(rows(), 3) << "the failed attempts must have rolled back";
}

TEST_F(TransactionTest, RetriesStopAtTheBound) {
    int attempts = 0;
    EXPECT_THROW(with_transaction(*pool_, "test.retry_bound",
                                  [&](pqxx::work&) {
                                      ++attempts;
                                      throw pqxx::deadlock_detected("deadlock detected");
                                  }),
                 pqxx::deadlock_detected);
    EXPECT_EQ(attempts, settings_.retry_attempts_max);
}

TEST_F(TransactionTest, RealDeadlockIsRetriedAndBothSucceed) {
    std::barrier both_locked_first_row(2);
    std::atomic<int> attempts{0};
    auto worker = [&](int first, int second) {
        bool first_attempt = true;
        with_transaction(*pool_, "test.deadlock", [&](pqxx::work& tx) {
            ++attempts;
            tx.exec_params("UPDATE items SET note = note || '+' WHERE id = $1", first);
            if (first_attempt) {
                first_attempt = false;
                both_locked_first_row.arrive_and_wait();
            }
            tx.exec_params("UPDATE items SET note = note || '+' WHERE id = $1", second);
        });
    };
    std::thread a(worker, 1, 2);
    std::thread b(worker, 2, 1);
    a.join();
    b.join();
    EXPECT_GE(attempts.load(), 3) << "one side must have been chosen as the deadlock victim";
    const auto notes = with_transaction(*pool_, "test.read", [](pqxx::work& tx) {
        return tx.exec("SELECT note FROM items ORDER BY id")[0][0].as<std::string>();
    });
    EXPECT_EQ(notes, "one++");
}

TEST_F(TransactionTest, StatementTimeoutIsSetInEveryTransaction) {
    settings_.statement_timeout_ms = 100;
    ConnectionPool fast(settings_);
    const auto shown = with_transaction(fast, "test.show", [](pqxx::work& tx) {
        return tx.exec("SHOW statement_timeout")[0][0].as<std::string>();
    });
    EXPECT_EQ(shown, "100ms");
    EXPECT_THROW(with_transaction(fast, "test.slow", [](pqxx::work& tx) {
                     tx.exec("SELECT pg_sleep(2)");
                 }),
                 pqxx::sql_error);
}

}  // namespace
}  // namespace gw::db
