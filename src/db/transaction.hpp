#pragma once

// with_transaction: the one way to run a unit of work against PostgreSQL.

#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "db/pool.hpp"

namespace gw::db {

namespace detail {

template <typename T>
struct IsResult : std::false_type {};
template <typename T>
struct IsResult<Result<T>> : std::true_type {};

// Sleeps a random time in [1, backoff_ms_max] ms, growing with the attempt number.
void sleep_before_retry(int attempt, int backoff_ms_max);

// Logs one retried attempt (transaction name, attempt, SQLSTATE). Never logs statements.
void note_retry(std::string_view name, int attempt, std::string_view sqlstate);

// A notice a transaction sends to the pool's listeners when it commits (db::notify_on_commit).
struct CommitNotice {
    std::string channel;
    std::string key;
};

// The transaction with_transaction runs on this thread, and the notices it sent.
struct CommitNotices {
    const pqxx::transaction_base* transaction = nullptr;
    std::vector<CommitNotice> notices;
};
CommitNotices& commit_notices_here();

// Scopes commit_notices_here() to one attempt of a transaction: starts it empty, and gives an
// enclosing transaction on the same thread its own back on exit.
class NoticeScope {
public:
    NoticeScope() : enclosing_(std::exchange(commit_notices_here(), {})) {}
    ~NoticeScope() { commit_notices_here() = std::move(enclosing_); }
    NoticeScope(const NoticeScope&) = delete;
    NoticeScope& operator=(const NoticeScope&) = delete;

    // Names the attempt's transaction: the only one notify_on_commit accepts.
    void bind(const pqxx::transaction_base& tx) { commit_notices_here().transaction = &tx; }
    // Tells the pool's listeners of this attempt's notices; called once it committed.
    void announce(const ConnectionPool& pool) const;

private:
    CommitNotices enclosing_;
};

// with_transaction's loop, for a pqxx::work or a pqxx::nontransaction.
template <typename Tx, typename Fn>
auto run_with_retries(ConnectionPool& pool, std::string_view name, Fn&& fn) -> std::invoke_result_t<Fn&, Tx&> {
    using Return = std::invoke_result_t<Fn&, Tx&>;
    const Settings& settings = pool.settings();
    for (int attempt = 1;; ++attempt) {
        try {
            detail::NoticeScope notices;
            PooledConnection connection = pool.acquire();
            Tx tx(*connection, std::string(name));
            notices.bind(tx);
            if constexpr (std::is_void_v<Return>) {
                fn(tx);
                tx.commit();
                notices.announce(pool);
                return;
            } else {
                Return result = fn(tx);
                if constexpr (detail::IsResult<Return>::value) {
                    if (!result.has_value()) {
                        tx.abort();
                        return result;
                    }
                }
                tx.commit();
                notices.announce(pool);
                return result;
            }
        } catch (const pqxx::serialization_failure&) {
            if (attempt >= settings.retry_attempts_max) {
                throw;
            }
            detail::note_retry(name, attempt, "40001");
        } catch (const pqxx::deadlock_detected&) {
            if (attempt >= settings.retry_attempts_max) {
                throw;
            }
            detail::note_retry(name, attempt, "40P01");
        } catch (const pqxx::broken_connection&) {
            // A pooled connection the server closed (it restarted) fails on first use; one
            // retry on a fresh connection. A break during COMMIT is in_doubt_error instead,
            // which is never retried: the transaction may have committed.
            if (attempt > 1) {
                throw;
            }
            pool.close_idle();
            detail::note_retry(name, attempt, "08006");
            continue;
        }
        detail::sleep_before_retry(attempt, settings.retry_backoff_ms_max);
    }
}

}  // namespace detail

// Runs fn(pqxx::work&) in a transaction named `name` on a pooled connection and commits.
// - A serialization failure (40001) or deadlock (40P01) rolls back and retries fn from the start,
//   at most settings.retry_attempts_max times in all, with jittered backoff; fn must therefore
//   have no effects outside the transaction.
// - When fn returns a Result holding an Error, the transaction is rolled back (nothing stored)
//   and that Result is returned.
// - A broken connection (the server restarted since the pooled connection was opened) is
//   retried once on a new connection, at once, after closing the idle ones.
// - Every other exception rolls back and propagates (db::is_database_unavailable tells which
//   of them mean "retry later").
// Every statement is bounded by Settings::statement_timeout_ms (set on each pooled connection).
// After the commit, the pool's listeners hear of the notices fn sent (db::notify_on_commit).
template <typename Fn>
auto with_transaction(ConnectionPool& pool, std::string_view name, Fn&& fn)
    -> std::invoke_result_t<Fn&, pqxx::work&> {
    return detail::run_with_retries<pqxx::work>(pool, name, std::forward<Fn>(fn));
}

// Runs fn(pqxx::nontransaction&) with no BEGIN and COMMIT around it (autocommit), retried as
// with_transaction does: for work that is ONE statement, atomic on its own, it saves two round
// trips to the server. REQUIRES: fn runs one statement (several would each commit on their own
// and see different snapshots).
template <typename Fn>
auto with_one_statement(ConnectionPool& pool, std::string_view name, Fn&& fn)
    -> std::invoke_result_t<Fn&, pqxx::nontransaction&> {
    return detail::run_with_retries<pqxx::nontransaction>(pool, name, std::forward<Fn>(fn));
}

// Sends `key` on `channel` to the pool's listener of that channel (ConnectionPool::listen) once
// the transaction `tx` commits, and never when it rolls back: PostgreSQL's NOTIFY, within this
// process. REQUIRES: `tx` is the transaction with_transaction runs on this thread (checked).
void notify_on_commit(pqxx::work& tx, std::string channel, std::string key);

}  // namespace gw::db
