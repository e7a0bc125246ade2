#pragma once

// SQL for the transactional outbox: `outbox` (one row per effect to perform) and
// `outbox_attempts` (every attempt, append-only). See migrations/0006_outbox.sql.
// REQUIRES for every function: called inside a db transaction (db::with_transaction).
// Times are always parameters (the caller's Clock), never the database's now().

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/clock.hpp"

namespace gw::db {

// One effect to perform later, outside the transaction that decided it. (nlohmann::json's move
// constructor is not declared noexcept, hence the NOLINT on this struct and ClaimedMessage.)
struct OutboxMessage {       // NOLINT(bugprone-exception-escape)
    std::string topic;       // which handler performs it, e.g. "mpesa.stk_push"
    std::string key;         // what it is about, e.g. a trade id; unique within the topic
    nlohmann::json payload;  // what the handler needs; stored as jsonb
};

enum class OutboxStatus { pending, done, dead };
std::string_view to_string(OutboxStatus status);

// How one attempt ended. `retry` means "scheduled again"; `dead` means dead-lettered.
enum class OutboxOutcome { done, retry, dead };
std::string_view to_string(OutboxOutcome outcome);

// The channel on which a commit that queued messages tells of them (ConnectionPool::listen),
// so that a worker sends them at once rather than at its next poll.
inline constexpr std::string_view kOutboxChannel = "outbox";

// Queues `message`, due at `now`. Returns true when queued, false (nothing stored) when a
// message with the same (topic, key) already exists in any status: the effect is queued once.
// REQUIRES: called inside the domain transaction whose state change the message announces,
// so a rollback discards both; topic and key are non-empty (the table CHECKs them).
// Its commit sends the message's topic on kOutboxChannel (db::notify_on_commit).
bool enqueue(pqxx::work& tx, const OutboxMessage& message, TimePoint now);

// A message claimed for one attempt.
struct ClaimedMessage {  // NOLINT(bugprone-exception-escape)
    std::int64_t id = 0;
    int attempt = 0;  // 1 for the first attempt
    OutboxMessage message;
};

struct ClaimLimits {
    std::size_t batch_size_max = 0;      // messages claimed at most
    int attempts_max = 0;                // attempts before a message is dead-lettered
    std::chrono::milliseconds lease{0};  // how long a claim holds before another worker may retry
};

struct ClaimedBatch {
    std::vector<ClaimedMessage> messages;  // in due order; run each, then finish_attempt()
    // Topics of the messages that lost their last attempt to an expired lease: now dead.
    std::vector<std::string> lease_dead_topics;
};

// Claims up to limits.batch_size_max pending messages due at `now` (next_attempt_at <= now),
// oldest due first, skipping rows another transaction has locked (FOR UPDATE SKIP LOCKED):
// each gets attempts + 1, claimed_at = now and next_attempt_at = now + lease, so no other
// worker takes it until the lease runs out. A due message that is still claimed lost its
// previous attempt (its worker died or overran the lease): that attempt is recorded as
// 'retry' with a lease error, or as 'dead' (the message dead-lettered, not claimed, its topic in
// lease_dead_topics) when it was attempt number attempts_max.
// REQUIRES: a short transaction of its own, committed before the handlers run.
ClaimedBatch claim_due(pqxx::work& tx, TimePoint now, const ClaimLimits& limits);

// The end of one attempt, to record.
struct FinishedAttempt {
    std::int64_t id = 0;
    int attempt = 0;
    TimePoint started_at;
    TimePoint finished_at;
    OutboxOutcome outcome = OutboxOutcome::done;
    std::string error;          // empty for done, required otherwise
    TimePoint next_attempt_at;  // used for retry only
};

// Records `attempt` in outbox_attempts and moves the message to done, dead or back to pending
// due at next_attempt_at. Returns true when recorded; false (nothing changed) when the claim
// is no longer ours: the lease ran out and another worker claimed the message again (that
// worker recorded this attempt as lost), or it is no longer pending.
bool finish_attempt(pqxx::work& tx, const FinishedAttempt& attempt);

// Returns how long the oldest due pending message (next_attempt_at <= now, not in flight) has
// been waiting, in whole seconds rounded down; 0 when none is due. The outbox lag gauge.
std::int64_t oldest_due_age_seconds(pqxx::work& tx, TimePoint now);

struct OutboxCounts {
    std::int64_t pending = 0;  // includes messages in flight and waiting for a retry
    std::int64_t done = 0;
    std::int64_t dead = 0;
};
OutboxCounts count_by_status(pqxx::work& tx);

// A stored message as support tooling and tests see it.
struct StoredOutboxMessage {
    std::int64_t id = 0;
    OutboxStatus status = OutboxStatus::pending;
    int attempts = 0;
    TimePoint next_attempt_at;
    std::optional<TimePoint> claimed_at;
    std::optional<TimePoint> done_at;
    std::string last_error;  // empty when none
    nlohmann::json payload;
};
// Returns the message with this (topic, key), or nullopt when there is none.
std::optional<StoredOutboxMessage> find_message(pqxx::work& tx,
                                                std::string_view topic,
                                                std::string_view key);

struct StoredAttempt {
    int attempt = 0;
    TimePoint started_at;
    TimePoint finished_at;
    OutboxOutcome outcome = OutboxOutcome::done;
    std::string error;  // empty for done
};
// Returns the recorded attempts of message `id`, in attempt order.
std::vector<StoredAttempt> attempts_of(pqxx::work& tx, std::int64_t id);

}  // namespace gw::db
