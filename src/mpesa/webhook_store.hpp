#pragma once

// SQL for webhook_events (raw callbacks, append-only) and webhook_outcomes (what processing
// made of each; the latest row is the event's state). See migrations/0004_mpesa.sql.
// REQUIRES for every function: called inside a db transaction (db::with_transaction).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

#include "core/clock.hpp"

namespace gw::mpesa {

enum class CallbackKind { stk, b2c_result, b2c_timeout, status_result, status_timeout };
std::string_view to_string(CallbackKind kind);
std::optional<CallbackKind> parse_callback_kind(std::string_view text);

// What processing made of a callback. Final outcomes end its processing; `deferred` (the
// request's submission answer is not recorded yet) and `awaiting_confirmation` (STK Query did
// not confirm yet) are tried again by the webhook retry job.
enum class CallbackOutcome {
    applied,         // settled the request (or marked a B2C unknown on queue timeout)
    duplicate,       // the request was already final: nothing changed
    not_final,       // a Result with ResultType 1 ("more to come")
    unknown_token,   // no request has this URL token: forged or stale
    mismatch,        // token known, body disagrees (id, amount, phone or kind)
    source_refused,  // sender outside the allowlist
    malformed,       // a body we do not understand
    deferred,
    awaiting_confirmation,
    error,  // processing threw (database trouble, a clash); retried
};
std::string_view to_string(CallbackOutcome outcome);
bool is_final(CallbackOutcome outcome);

struct StoredEvent {
    std::string id;
    CallbackKind kind = CallbackKind::stk;
    std::string token_hash_hex;
    std::string source_ip;
    std::string body;
    TimePoint received_at;
};

// Stores a raw callback and returns its id.
std::string insert_webhook_event(pqxx::work& tx,
                                 CallbackKind kind,
                                 const std::string& token_hash_hex,
                                 const std::string& source_ip,
                                 std::string_view body,
                                 TimePoint at);

// Appends an outcome for event `event_id`; `request_id` may be empty.
void insert_webhook_outcome(pqxx::work& tx,
                            const std::string& event_id,
                            CallbackOutcome outcome,
                            std::string_view detail,
                            const std::string& request_id,
                            TimePoint at);

// How many times processing of one event is attempted before it is left for a human.
inline constexpr std::size_t kWebhookAttemptsMax = 20;

// Returns up to `limit` events, oldest first, that still need processing: those with no
// outcome received strictly before `before` (the process died mid-way; an event being
// processed right now has no outcome yet either, hence the age), and those whose latest
// outcome is not final, recorded at or before `before`, with fewer than kWebhookAttemptsMax
// outcomes. Locks nothing: the caller runs on one node at a time.
std::vector<StoredEvent> events_to_retry(pqxx::work& tx, TimePoint before, std::size_t limit);

// Returns the outcomes of the events that carried `token_hash_hex`, oldest first (tests,
// support tooling).
std::vector<std::pair<std::string, CallbackOutcome>> outcomes_for_token(
    pqxx::work& tx, const std::string& token_hash_hex);

}  // namespace gw::mpesa
