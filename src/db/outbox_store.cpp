#include "db/outbox_store.hpp"

#include <array>
#include <utility>

#include "core/assert.hpp"
#include "core/time_text.hpp"
#include "db/prepared.hpp"
#include "db/transaction.hpp"

namespace gw::db {
namespace {

constexpr std::array<std::pair<OutboxStatus, std::string_view>, 3> kStatuses = {{
    {OutboxStatus::pending, "pending"},
    {OutboxStatus::done, "done"},
    {OutboxStatus::dead, "dead"},
}};

constexpr std::array<std::pair<OutboxOutcome, std::string_view>, 3> kOutcomes = {{
    {OutboxOutcome::done, "done"},
    {OutboxOutcome::retry, "retry"},
    {OutboxOutcome::dead, "dead"},
}};

// What a lost attempt (claimed, never reported back) is recorded with.
constexpr std::string_view kLeaseExpired =
    "lease expired: the worker did not report back (it stopped or overran the lease)";

OutboxStatus status_of(std::string_view text) {
    for (const auto& [candidate, name] : kStatuses) {
        if (name == text) {
            return candidate;
        }
    }
    GW_ASSERT(false, "the CHECK constraint admits only pending, done and dead");
    return OutboxStatus::pending;
}

OutboxOutcome outcome_of(std::string_view text) {
    for (const auto& [candidate, name] : kOutcomes) {
        if (name == text) {
            return candidate;
        }
    }
    GW_ASSERT(false, "the CHECK constraint admits only done, retry and dead");
    return OutboxOutcome::done;
}

TimePoint time_from_pg(const pqxx::field& field) {
    const auto at = parse_rfc3339(rfc3339_from_pg(field.as<std::string>()));
    GW_ASSERT(at.has_value(), "the pool sets TimeZone to UTC, so timestamptz reads as RFC 3339");
    return *at;
}

std::optional<TimePoint> optional_time_from_pg(const pqxx::field& field) {
    if (field.is_null()) {
        return std::nullopt;
    }
    return time_from_pg(field);
}

std::string bigint_array(const std::vector<std::int64_t>& ids) {
    std::string text = "{";
    for (const std::int64_t id : ids) {
        if (text.size() > 1) {
            text += ',';
        }
        text += std::to_string(id);
    }
    return text + "}";
}

// Records the lost attempt of each message in `lost_ids` (due again while still claimed) and
// dead-letters those for which it was attempt number attempts_max. Returns their topics.
std::vector<std::string> settle_lost_attempts(pqxx::work& tx,
                                              const std::vector<std::int64_t>& lost_ids,
                                              const std::string& now_text,
                                              int attempts_max) {
    const std::string ids = bigint_array(lost_ids);
    db::exec_prepared(tx,
        "INSERT INTO outbox_attempts (outbox_id, attempt, started_at, finished_at, outcome, "
        "error) SELECT id, attempts, claimed_at, greatest(claimed_at, $2::timestamptz), "
        "CASE WHEN attempts >= $3 THEN 'dead' ELSE 'retry' END, $4 "
        "FROM outbox WHERE id = ANY($1::bigint[]) AND claimed_at IS NOT NULL",
        ids,
        now_text,
        attempts_max,
        std::string(kLeaseExpired));
    const pqxx::result died = db::exec_prepared(tx,
        "UPDATE outbox SET last_error = $4, claimed_at = NULL, "
        "status = CASE WHEN attempts >= $3 THEN 'dead' ELSE status END, "
        "done_at = CASE WHEN attempts >= $3 THEN $2::timestamptz ELSE done_at END "
        "WHERE id = ANY($1::bigint[]) RETURNING status, topic",
        ids,
        now_text,
        attempts_max,
        std::string(kLeaseExpired));
    std::vector<std::string> dead_topics;
    for (const auto& row : died) {
        if (row[0].as<std::string>() == "dead") {
            dead_topics.push_back(row[1].as<std::string>());
        }
    }
    return dead_topics;
}

// Claims the messages in `ids` (locked by the caller) for one attempt each, in `ids` order.
std::vector<ClaimedMessage> claim_rows(pqxx::work& tx,
                                       const std::vector<std::int64_t>& ids,
                                       TimePoint now,
                                       std::chrono::milliseconds lease) {
    const TimePoint lease_end = now + std::chrono::duration_cast<std::chrono::microseconds>(lease);
    const pqxx::result rows = db::exec_prepared(tx,
        "WITH claimed AS (UPDATE outbox SET attempts = attempts + 1, claimed_at = $2::timestamptz, "
        "next_attempt_at = $3::timestamptz WHERE id = ANY($1::bigint[]) AND status = 'pending' "
        "RETURNING id, attempts, topic, key, payload) "
        "SELECT id, attempts, topic, key, payload::text FROM claimed "
        "ORDER BY array_position($1::bigint[], id)",
        bigint_array(ids),
        format_rfc3339(now),
        format_rfc3339(lease_end));
    std::vector<ClaimedMessage> messages;
    messages.reserve(rows.size());
    for (const auto& row : rows) {
        ClaimedMessage claimed;
        claimed.id = row[0].as<std::int64_t>();
        claimed.attempt = row[1].as<int>();
        claimed.message.topic = row[2].as<std::string>();
        claimed.message.key = row[3].as<std::string>();
        claimed.message.payload = nlohmann::json::parse(row[4].as<std::string>());
        messages.push_back(std::move(claimed));
    }
    return messages;
}

}  // namespace

std::string_view to_string(OutboxStatus status) {
    for (const auto& [candidate, name] : kStatuses) {
        if (candidate == status) {
            return name;
        }
    }
    return "pending";
}

std::string_view to_string(OutboxOutcome outcome) {
    for (const auto& [candidate, name] : kOutcomes) {
        if (candidate == outcome) {
            return name;
        }
    }
    return "retry";
}

bool enqueue(pqxx::work& tx, const OutboxMessage& message, TimePoint now) {
    const std::string at = format_rfc3339(now);
    const pqxx::result inserted = db::exec_prepared(tx,
        "INSERT INTO outbox (topic, key, payload, next_attempt_at, created_at) "
        "VALUES ($1, $2, $3::jsonb, $4::timestamptz, $4::timestamptz) "
        "ON CONFLICT (topic, key) DO NOTHING RETURNING id",
        message.topic,
        message.key,
        message.payload.dump(),
        at);
    if (inserted.empty()) {
        return false;
    }
    notify_on_commit(tx, std::string(kOutboxChannel), message.topic);
    return true;
}

ClaimedBatch claim_due(pqxx::work& tx, TimePoint now, const ClaimLimits& limits) {
    GW_ASSERT(limits.batch_size_max > 0, "a claim must be able to take at least one message");
    GW_ASSERT(limits.attempts_max > 0, "a message gets at least one attempt");
    GW_ASSERT(limits.lease.count() > 0, "a zero lease would let two workers run one message");
    const std::string now_text = format_rfc3339(now);
    const pqxx::result due = db::exec_prepared(tx,
        "SELECT id, attempts, claimed_at IS NOT NULL FROM outbox "
        "WHERE status = 'pending' AND next_attempt_at <= $1::timestamptz "
        "ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED",
        now_text,
        static_cast<std::int64_t>(limits.batch_size_max));
    std::vector<std::int64_t> lost_ids;
    std::vector<std::int64_t> claim_ids;
    for (const auto& row : due) {
        const auto id = row[0].as<std::int64_t>();
        const bool lost = row[2].as<bool>();
        if (lost) {
            lost_ids.push_back(id);
        }
        if (!lost || row[1].as<int>() < limits.attempts_max) {
            claim_ids.push_back(id);
        }
    }
    ClaimedBatch batch;
    if (!lost_ids.empty()) {
        batch.lease_dead_topics = settle_lost_attempts(tx, lost_ids, now_text, limits.attempts_max);
    }
    if (!claim_ids.empty()) {
        batch.messages = claim_rows(tx, claim_ids, now, limits.lease);
    }
    return batch;
}

bool finish_attempt(pqxx::work& tx, const FinishedAttempt& attempt) {
    const bool failed = attempt.outcome != OutboxOutcome::done;
    GW_ASSERT(failed != attempt.error.empty(), "a failed attempt says why; a done one does not");
    const OutboxStatus status = attempt.outcome == OutboxOutcome::done   ? OutboxStatus::done
                                : attempt.outcome == OutboxOutcome::dead ? OutboxStatus::dead
                                                                         : OutboxStatus::pending;
    const std::string finished = format_rfc3339(attempt.finished_at);
    const std::optional<std::string> error =
        failed ? std::optional<std::string>(attempt.error) : std::nullopt;
    const pqxx::result updated = db::exec_prepared(tx,
        "UPDATE outbox SET status = $3, claimed_at = NULL, "
        "next_attempt_at = CASE WHEN $3 = 'pending' THEN $4::timestamptz ELSE next_attempt_at END, "
        "done_at = CASE WHEN $3 = 'pending' THEN NULL ELSE $5::timestamptz END, "
        "last_error = coalesce($6, last_error) "
        "WHERE id = $1 AND attempts = $2 AND status = 'pending' AND claimed_at IS NOT NULL "
        "RETURNING id",
        attempt.id,
        attempt.attempt,
        std::string(to_string(status)),
        format_rfc3339(attempt.next_attempt_at),
        finished,
        error);
    if (updated.empty()) {
        return false;
    }
    db::exec_prepared(tx,
        "INSERT INTO outbox_attempts (outbox_id, attempt, started_at, finished_at, outcome, "
        "error) VALUES ($1, $2, $3::timestamptz, $4::timestamptz, $5, $6)",
        attempt.id,
        attempt.attempt,
        format_rfc3339(attempt.started_at),
        finished,
        std::string(to_string(attempt.outcome)),
        error);
    return true;
}

std::int64_t oldest_due_age_seconds(pqxx::work& tx, TimePoint now) {
    return db::exec_prepared1(tx,
            "SELECT coalesce(floor(extract(epoch FROM ($1::timestamptz - min(next_attempt_at))))"
            "::bigint, 0) FROM outbox WHERE status = 'pending' AND next_attempt_at <= "
            "$1::timestamptz",
            format_rfc3339(now))[0]
        .as<std::int64_t>();
}

OutboxCounts count_by_status(pqxx::work& tx) {
    OutboxCounts counts;
    for (const auto& row : tx.exec("SELECT status, count(*) FROM outbox GROUP BY status")) {
        const auto count = row[1].as<std::int64_t>();
        switch (status_of(row[0].as<std::string>())) {
            case OutboxStatus::pending:
                counts.pending = count;
                break;
            case OutboxStatus::done:
                counts.done = count;
                break;
            case OutboxStatus::dead:
                counts.dead = count;
                break;
        }
    }
    return counts;
}

std::optional<StoredOutboxMessage> find_message(pqxx::work& tx,
                                                std::string_view topic,
                                                std::string_view key) {
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT id, status, attempts, next_attempt_at, claimed_at, done_at, last_error, "
        "payload::text FROM outbox WHERE topic = $1 AND key = $2",
        std::string(topic),
        std::string(key));
    if (rows.empty()) {
        return std::nullopt;
    }
    const pqxx::row row = rows[0];
    StoredOutboxMessage message;
    message.id = row[0].as<std::int64_t>();
    message.status = status_of(row[1].as<std::string>());
    message.attempts = row[2].as<int>();
    message.next_attempt_at = time_from_pg(row[3]);
    message.claimed_at = optional_time_from_pg(row[4]);
    message.done_at = optional_time_from_pg(row[5]);
    message.last_error = row[6].is_null() ? std::string() : row[6].as<std::string>();
    message.payload = nlohmann::json::parse(row[7].as<std::string>());
    return message;
}

std::vector<StoredAttempt> attempts_of(pqxx::work& tx, std::int64_t id) {
    std::vector<StoredAttempt> attempts;
    for (const auto& row : db::exec_prepared(tx,
             "SELECT attempt, started_at, finished_at, outcome, error FROM outbox_attempts "
             "WHERE outbox_id = $1 ORDER BY attempt",
             id)) {
        StoredAttempt attempt;
        attempt.attempt = row[0].as<int>();
        attempt.started_at = time_from_pg(row[1]);
        attempt.finished_at = time_from_pg(row[2]);
        attempt.outcome = outcome_of(row[3].as<std::string>());
        attempt.error = row[4].is_null() ? std::string() : row[4].as<std::string>();
        attempts.push_back(std::move(attempt));
    }
    return attempts;
}

}  // namespace gw::db
