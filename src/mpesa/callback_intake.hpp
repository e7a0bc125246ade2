#pragma once

// Where M-Pesa callbacks land (DESIGN §6–§7). Every body is stored raw in webhook_events
// BEFORE it is looked at; then it must prove itself before it changes anything:
//   1. the sender is on the allowlist (when one is configured);
//   2. the URL token hashes to a request we made, of the right kind;
//   3. the body parses strictly and matches that request (CheckoutRequestID or conversation
//      id, amount, phone);
//   4. with confirm_by_query, STK Query agrees (no transaction open while asking);
//   5. the request is settled in one transaction that locks it, refuses to touch a final
//      request (so a replay or a late duplicate is a no-op), tells the ResultListener, and
//      records the outcome.
// Every event gets an outcome row, whatever happens; nothing is ever credited on a callback
// that failed a check. Events left `deferred` or `awaiting_confirmation` (or unfinished after a
// crash) are processed again by retry_pending().
//
// Thread-safe: callbacks arrive on many server threads; all state is in PostgreSQL.

#include <string>
#include <variant>

#include <pqxx/pqxx>

#include "db/pool.hpp"
#include "mpesa/deferred_callbacks.hpp"
#include "mpesa/mpesa_gateway.hpp"
#include "mpesa/mpesa_request.hpp"
#include "mpesa/settings.hpp"
#include "mpesa/webhook_store.hpp"
#include "observability/metrics.hpp"

namespace gw::mpesa {

// Told of each request's final result inside the transaction that records it, so the trade it
// pays for settles atomically with it (trading implements this; issue 7).
class ResultListener {
public:
    virtual ~ResultListener() = default;
    // REQUIRES: inside `tx`, with the request row locked. An exception rolls everything back;
    // the event is then retried.
    virtual void on_final_result(pqxx::work& tx,
                                 const MpesaRequest& request,
                                 const FinalResult& result) = 0;
    // A payment reported as made (with its receipt) for an STK Push already recorded as failed
    // — the customer paid after Daraja had said the prompt timed out or was cancelled: money
    // arrived that nothing expects. The request stays failed (final rows never change); what
    // to do with the money is the listener's. REQUIRES: as on_final_result. Default: nothing.
    virtual void on_late_success(pqxx::work& /*tx*/, const MpesaRequest& /*request*/,
                                 const FinalResult& /*result*/) {}
};

struct IncomingCallback {
    CallbackKind kind = CallbackKind::stk;
    std::string token;      // from the URL path
    std::string source_ip;  // the TCP peer (or the trusted proxy's forwarded address)
    std::string body;       // raw bytes as received
};

struct IntakeReport {
    std::string event_id;
    CallbackOutcome outcome = CallbackOutcome::malformed;
    std::string detail;  // why, for the outcome row and the log; never contains a phone number
};

class CallbackIntake {
public:
    // REQUIRES: every collaborator outlives the intake.
    CallbackIntake(db::ConnectionPool& pool,
                   MpesaGateway& gateway,
                   Settings settings,
                   PhoneTagger phone_tagger,
                   const Clock& clock,
                   obs::MetricsRegistry& metrics);

    // Sets who hears about final results. REQUIRES: called before the first callback arrives.
    void set_listener(ResultListener* listener) { listener_ = listener; }

    // Stores the callback and processes it (an STK callback under confirm_by_query is left to
    // retry_pending, so Daraja is answered without waiting for STK Query), returning what
    // became of it. Throws when the event cannot be stored (database trouble: Daraja should be
    // answered 5xx) or processing throws (the event is stored; retry_pending takes it up).
    IntakeReport receive(const IncomingCallback& callback);

    // Processes up to `limit` events whose processing is unfinished (see events_to_retry) and
    // whose last attempt is at least `older_than` old, on one node at a time (a session
    // advisory lock; 0 when another node holds it). Never throws for one event's failure: it
    // is recorded as an `error` outcome and retried later. Returns how many were processed.
    std::size_t retry_pending(std::chrono::seconds older_than, std::size_t limit);

    // Daraja's answer to request `request_id` is recorded (kRequestAnsweredChannel): the STK
    // callbacks this node deferred for want of it are ready. Returns whether there are any, so
    // that the caller has process_answered() run. Quick; never throws.
    bool note_answered(const std::string& request_id);

    // Processes the callbacks note_answered() made ready, as retry_pending would (an `error`
    // outcome instead of throwing). Returns how many.
    std::size_t process_answered();

    // How many deferred callbacks wait for note_answered().
    std::size_t deferred_waiting_for_test() const { return deferred_.waiting(); }

    // Records a final result learnt by asking Daraja (the sweeper's STK Query) the way a
    // callback's is applied: in one transaction that locks the request, leaves a final one
    // alone and tells the listener. Returns false when the request was already final (or
    // does not exist). Throws on database trouble (nothing recorded).
    bool settle_from_query(const std::string& request_id, const FinalResult& result);

private:
    // Completes the locked, non-final `locked` with `result` and tells the listener.
    void settle_locked(pqxx::work& tx, MpesaRequest& locked, const FinalResult& result);
    IntakeReport process(const StoredEvent& event);
    // process(), recording an `error` outcome instead of throwing.
    IntakeReport process_guarded(const StoredEvent& event);
    IntakeReport process_stk(const StoredEvent& event, const MpesaRequest& request);
    // Records `event` as deferred for want of the answer to `request` and keeps it for
    // note_answered(); processes it at once if the answer was recorded meanwhile.
    IntakeReport defer(const StoredEvent& event, const MpesaRequest& request);
    IntakeReport process_payout_result(const StoredEvent& event, const MpesaRequest& request);
    IntakeReport process_status_result(const StoredEvent& event, const MpesaRequest& request);
    IntakeReport process_timeout(const StoredEvent& event, const MpesaRequest& request);
    // Confirms an STK result with STK Query; returns the result to apply or an outcome report.
    std::variant<FinalResult, IntakeReport> confirm_stk(const StoredEvent& event,
                                                        const MpesaRequest& request,
                                                        FinalResult from_callback);
    // Settles `request_id` with `result` and records the outcome, atomically.
    IntakeReport apply(const StoredEvent& event,
                       const std::string& request_id,
                       const FinalResult& result,
                       const std::string& checkout_request_id);
    IntakeReport settle_outcome(const StoredEvent& event,
                                const std::string& request_id,
                                IntakeReport report);

    db::ConnectionPool& pool_;
    MpesaGateway& gateway_;
    Settings settings_;
    PhoneTagger phone_tagger_;
    const Clock& clock_;
    obs::MetricsRegistry& metrics_;
    ResultListener* listener_ = nullptr;
    DeferredCallbacks deferred_;
};

}  // namespace gw::mpesa
