#pragma once

// with_transaction: the one way to run a unit of work against PostgreSQL.

#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>

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

// Whether the transaction open on this thread queued an outbox message (set by db::enqueue).
bool& outbox_queued_here();

// Scopes outbox_queued_here() to one attempt of a transaction: clears it on entry, and gives an
// enclosing transaction on the same thread its own value back on exit.
class OutboxMark {
public:
    OutboxMark() : enclosing_(std::exchange(outbox_queued_here(), false)) {}
    ~OutboxMark() { outbox_queued_here() = enclosing_; }
    OutboxMark(const OutboxMark&) = delete;
    OutboxMark& operator=(const OutboxMark&) = delete;

    bool queued() const { return outbox_queued_here(); }

private:
    bool enclosing_;
};

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
// After a commit that queued outbox messages, the pool's outbox listener is told
// (ConnectionPool::set_outbox_listener).
template <typename Fn>
auto with_transaction(ConnectionPool& pool, std::string_view name, Fn&& fn)
    -> std::invoke_result_t<Fn&, pqxx::work&> {
    using Return = std::invoke_result_t<Fn&, pqxx::work&>;
    const Settings& settings = pool.settings();
    for (int attempt = 1;; ++attempt) {
        try {
            const detail::OutboxMark outbox;
            PooledConnection connection = pool.acquire();
            pqxx::work tx(*connection, std::string(name));
            if constexpr (std::is_void_v<Return>) {
                fn(tx);
                tx.commit();
                if (outbox.queued()) {
                    pool.announce_outbox_commit();
                }
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
                if (outbox.queued()) {
                    pool.announce_outbox_commit();
                }
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

}  // namespace gw::db
