#include "mpesa/callback_intake.hpp"

#include "core/crash_point.hpp"
#include "db/transaction.hpp"
#include "mpesa/callback_parser.hpp"
#include "mpesa/callback_token.hpp"
#include "mpesa/mpesa_store.hpp"
#include "mpesa/source_allowlist.hpp"
#include "observability/log.hpp"

namespace gw::mpesa {
namespace {

// Deferred callbacks kept for note_answered(); the webhook job finishes any beyond these. An
// STK callback is a few hundred bytes, so 4 MiB keeps thousands; a bound in bytes, not events,
// because a body may be as large as the route admits.
constexpr std::size_t kDeferredBytesMax = 4 << 20;
constexpr std::chrono::seconds kDeferredKeptFor{60};

IntakeReport report(const StoredEvent& event, CallbackOutcome outcome, std::string detail) {
    return IntakeReport{event.id, outcome, std::move(detail)};
}

// A phone number we can compare: twelve digits. Daraja may mask or hash it (DARAJA.md §4); then
// the MSISDN stored at initiation is the one that counts and there is nothing to compare.
bool is_plain_msisdn(const std::string& phone) {
    return phone.size() == 12 && phone.starts_with("254") &&
           phone.find_first_not_of("0123456789") == std::string::npos;
}

bool expected_kind(CallbackKind kind, RequestKind request) {
    return kind == CallbackKind::stk ? request == RequestKind::stk_push
                                     : request == RequestKind::b2c_payment;
}

}  // namespace

CallbackIntake::CallbackIntake(db::ConnectionPool& pool,
                               MpesaGateway& gateway,
                               Settings settings,
                               PhoneTagger phone_tagger,
                               const Clock& clock,
                               obs::MetricsRegistry& metrics)
    : pool_(pool),
      gateway_(gateway),
      settings_(std::move(settings)),
      phone_tagger_(std::move(phone_tagger)),
      clock_(clock),
      metrics_(metrics),
      deferred_(kDeferredBytesMax, kDeferredKeptFor) {}

IntakeReport CallbackIntake::receive(const IncomingCallback& callback) {
    StoredEvent event;
    event.kind = callback.kind;
    event.token_hash_hex = callback_token_hash(callback.token);
    event.source_ip = callback.source_ip;
    event.body = callback.body;
    event.received_at = clock_.now();
    event.id = db::with_transaction(pool_, "mpesa.webhook.store", [&](pqxx::work& tx) {
        return insert_webhook_event(
            tx, event.kind, event.token_hash_hex, event.source_ip, event.body, event.received_at);
    });
    crash_point("callback.stored");
    if (settings_.confirm_by_query && event.kind == CallbackKind::stk) {
        // Confirming means calling STK Query; Daraja's callback is answered first and the
        // webhook job (retry_pending) does the rest.
        return settle_outcome(event,
                              {},
                              report(event,
                                     CallbackOutcome::awaiting_confirmation,
                                     "confirmation by STK Query is left to the webhook job"));
    }
    IntakeReport processed = process(event);
    crash_point("callback.settled");
    return processed;
}

std::size_t CallbackIntake::retry_pending(std::chrono::seconds older_than, std::size_t limit) {
    // One node at a time: the lock lives as long as this pooled connection is held.
    db::PooledConnection lock_connection = pool_.acquire();
    pqxx::nontransaction lock_tx(*lock_connection, "mpesa.webhook.lock");
    if (!lock_tx.exec("SELECT pg_try_advisory_lock(hashtext('gw.webhook_retry'))")[0][0].as<bool>()) {
        return 0;
    }
    std::size_t processed = 0;
    try {
        const auto events = db::with_transaction(pool_, "mpesa.webhook.due", [&](pqxx::work& tx) {
            return events_to_retry(tx, clock_.now() - older_than, limit);
        });
        for (const StoredEvent& event : events) {
            process_guarded(event);
            ++processed;
        }
    } catch (...) {
        lock_tx.exec("SELECT pg_advisory_unlock(hashtext('gw.webhook_retry'))");
        throw;
    }
    lock_tx.exec("SELECT pg_advisory_unlock(hashtext('gw.webhook_retry'))");
    return processed;
}

bool CallbackIntake::note_answered(const std::string& request_id) {
    return deferred_.answered(request_id);
}

std::size_t CallbackIntake::process_answered() {
    const std::vector<StoredEvent> ready = deferred_.take_ready();
    for (const StoredEvent& event : ready) {
        process_guarded(event);
    }
    return ready.size();
}

IntakeReport CallbackIntake::process_guarded(const StoredEvent& event) {
    try {
        return process(event);
    } catch (const std::exception& error) {
        // Recorded so that the event is retried with backoff instead of blocking the queue,
        // and given up on after kWebhookAttemptsMax attempts.
        obs::log_error("mpesa.callback_failed", {{"event_id", event.id}, {"what", error.what()}});
        return settle_outcome(event, {}, report(event, CallbackOutcome::error, "processing failed"));
    }
}

IntakeReport CallbackIntake::process(const StoredEvent& event) {
    if (!source_allowed(event.source_ip, settings_.callback_allowed_cidrs)) {
        return settle_outcome(
            event,
            {},
            report(event, CallbackOutcome::source_refused, "sender not on the callback allowlist"));
    }
    const auto request =
        db::with_one_statement(pool_, "mpesa.webhook.match", [&](pqxx::nontransaction& tx) {
            return find_request_by_token(tx, event.token_hash_hex);
        });
    if (!request) {
        return settle_outcome(
            event,
            {},
            report(
                event, CallbackOutcome::unknown_token, "no request carries this callback token"));
    }
    if (!expected_kind(event.kind, request->kind)) {
        return settle_outcome(
            event,
            request->id,
            report(event, CallbackOutcome::mismatch, "callback kind does not fit the request"));
    }
    switch (event.kind) {
        case CallbackKind::stk:
            return process_stk(event, *request);
        case CallbackKind::b2c_result:
            return process_payout_result(event, *request);
        case CallbackKind::status_result:
            return process_status_result(event, *request);
        case CallbackKind::b2c_timeout:
        case CallbackKind::status_timeout:
            return process_timeout(event, *request);
    }
    return settle_outcome(
        event, request->id, report(event, CallbackOutcome::malformed, "unknown callback kind"));
}

IntakeReport CallbackIntake::process_stk(const StoredEvent& event, const MpesaRequest& request) {
    auto parsed = parse_stk_callback(event.body);
    if (!parsed) {
        return settle_outcome(
            event, request.id, report(event, CallbackOutcome::malformed, parsed.error().detail));
    }
    // A payment reported for a push already failed (the customer paid after the prompt timed
    // out) is checked like any other, then handed to the listener as a late payment.
    const bool late_success = request.status == RequestStatus::failed && parsed->succeeded();
    if (is_final(request.status) && !late_success) {
        return settle_outcome(
            event, request.id, report(event, CallbackOutcome::duplicate, "request already final"));
    }
    const auto stale_after = settings_.connect_timeout + 2 * settings_.read_timeout +
                             std::chrono::seconds(30);
    if (request.status == RequestStatus::created && clock_.now() - request.created_at < stale_after) {
        return defer(event, request);
    }
    if (!request.checkout_request_id.empty() &&
        parsed->checkout_request_id != request.checkout_request_id) {
        return settle_outcome(
            event,
            request.id,
            report(event, CallbackOutcome::mismatch, "CheckoutRequestID does not match"));
    }
    if (parsed->succeeded() && parsed->amount != request.amount) {
        return settle_outcome(
            event, request.id, report(event, CallbackOutcome::mismatch, "amount does not match"));
    }
    if (parsed->succeeded() && parsed->phone && is_plain_msisdn(*parsed->phone) &&
        phone_tagger_(*parsed->phone) != request.phone_tag_hex) {
        return settle_outcome(
            event, request.id, report(event, CallbackOutcome::mismatch, "phone does not match"));
    }
    FinalResult result{.succeeded = parsed->succeeded(),
                       .result_code = parsed->result_code,
                       .result_desc = parsed->result_desc,
                       .receipt = parsed->receipt.value_or(""),
                       .source = "callback"};
    MpesaRequest confirmed = request;
    confirmed.checkout_request_id = parsed->checkout_request_id;
    if (settings_.confirm_by_query) {
        auto checked = confirm_stk(event, confirmed, std::move(result));
        if (auto* stop = std::get_if<IntakeReport>(&checked)) {
            return settle_outcome(event, request.id, std::move(*stop));
        }
        result = std::get<FinalResult>(std::move(checked));
    }
    return apply(event, request.id, result, parsed->checkout_request_id);
}

IntakeReport CallbackIntake::defer(const StoredEvent& event, const MpesaRequest& request) {
    // Kept once its `deferred` outcome is committed, so that its next outcome follows it; the
    // answer may have been recorded since the request was read, then nobody would announce it
    // again, so the request is read once more.
    IntakeReport deferred = settle_outcome(
        event,
        request.id,
        report(event, CallbackOutcome::deferred, "the submission answer is not recorded yet"));
    deferred_.remember(request.id, event, clock_.now());
    const auto now_request =
        db::with_one_statement(pool_, "mpesa.webhook.recheck", [&](pqxx::nontransaction& tx) {
            return find_request_by_token(tx, event.token_hash_hex);
        });
    if (now_request && now_request->status != RequestStatus::created && note_answered(request.id)) {
        process_answered();
    }
    return deferred;
}

std::variant<FinalResult, IntakeReport> CallbackIntake::confirm_stk(const StoredEvent& event,
                                                                    const MpesaRequest& request,
                                                                    FinalResult from_callback) {
    const StkQueryAnswer answer = gateway_.query_stk(request);
    switch (answer.state) {
        case StkQueryState::succeeded:
            if (!from_callback.succeeded) {
                // Paid according to Daraja, but the callback claims otherwise and carries no
                // receipt: wait for a consistent answer rather than guess.
                return report(event,
                              CallbackOutcome::awaiting_confirmation,
                              "STK Query reports payment the callback denies");
            }
            from_callback.source = "callback+stk_query";
            return from_callback;
        case StkQueryState::failed:
            return FinalResult{.succeeded = false,
                               .result_code = answer.result_code,
                               .result_desc = answer.result_desc,
                               .receipt = {},
                               .source = from_callback.succeeded ? "stk_query (callback overruled)"
                                                                 : "callback+stk_query"};
        case StkQueryState::pending:
        case StkQueryState::not_found:
        case StkQueryState::unavailable:
            break;
    }
    return report(event,
                  CallbackOutcome::awaiting_confirmation,
                  "STK Query: " + std::string(to_string(answer.state)));
}

IntakeReport CallbackIntake::process_payout_result(const StoredEvent& event,
                                                   const MpesaRequest& request) {
    auto parsed = parse_b2c_result(event.body);
    if (!parsed) {
        return settle_outcome(
            event, request.id, report(event, CallbackOutcome::malformed, parsed.error().detail));
    }
    const DarajaResult& result = parsed->result;
    if (result.originator_conversation_id != request.originator_conversation_id &&
        (request.conversation_id.empty() || result.conversation_id != request.conversation_id)) {
        return settle_outcome(
            event, request.id, report(event, CallbackOutcome::mismatch, "conversation id differs"));
    }
    if (is_final(request.status)) {
        return settle_outcome(
            event, request.id, report(event, CallbackOutcome::duplicate, "request already final"));
    }
    if (result.result_type == "1") {
        return settle_outcome(
            event,
            request.id,
            report(event, CallbackOutcome::not_final, "ResultType 1: more to come"));
    }
    if (result.succeeded() && parsed->amount != request.amount) {
        return settle_outcome(
            event, request.id, report(event, CallbackOutcome::mismatch, "amount does not match"));
    }
    return apply(event,
                 request.id,
                 FinalResult{.succeeded = result.succeeded(),
                             .result_code = result.result_code,
                             .result_desc = result.result_desc,
                             .receipt = parsed->receipt.value_or(""),
                             .source = "b2c_result"},
                 {});
}

IntakeReport CallbackIntake::process_status_result(const StoredEvent& event,
                                                   const MpesaRequest& request) {
    auto parsed = parse_transaction_status_result(event.body);
    if (!parsed) {
        return settle_outcome(
            event, request.id, report(event, CallbackOutcome::malformed, parsed.error().detail));
    }
    if (is_final(request.status)) {
        return settle_outcome(
            event, request.id, report(event, CallbackOutcome::duplicate, "request already final"));
    }
    const DarajaResult& result = parsed->result;
    if (result.succeeded() && parsed->status == "Completed") {
        // The envelope's ids are the query's; the payout's own are among the parameters.
        const bool same_payout =
            result.parameter("ConversationID") == request.conversation_id ||
            result.parameter("OriginatorConversationID") == request.originator_conversation_id;
        if (!same_payout) {
            return settle_outcome(event, request.id, report(event, CallbackOutcome::mismatch,
                                                            "the status is about another payout"));
        }
        if (parsed->amount != request.amount) {
            return settle_outcome(
                event,
                request.id,
                report(event, CallbackOutcome::mismatch, "amount does not match"));
        }
        return apply(event,
                     request.id,
                     FinalResult{.succeeded = true,
                                 .result_code = result.result_code,
                                 .result_desc = result.result_desc,
                                 .receipt = parsed->receipt.value_or(""),
                                 .source = "transaction_status"},
                     {});
    }
    // 2032 ("receipt does not exist") right after a queue timeout does not prove the payout
    // was never made, so it settles nothing: the payout stays unknown for the sweeper and,
    // failing that, for a human (reconciliation lists it).
    return settle_outcome(event,
                          request.id,
                          report(event,
                                 CallbackOutcome::not_final,
                                 "Transaction Status " + result.result_code + " settles nothing"));
}

IntakeReport CallbackIntake::process_timeout(const StoredEvent& event,
                                             const MpesaRequest& request) {
    if (is_final(request.status)) {
        return settle_outcome(
            event, request.id, report(event, CallbackOutcome::duplicate, "request already final"));
    }
    if (event.kind == CallbackKind::status_timeout) {
        return settle_outcome(
            event,
            request.id,
            report(event, CallbackOutcome::not_final, "status query timed out; ask again"));
    }
    // The body is undocumented (DARAJA.md §6): whatever it says, the payout's fate is unknown
    // until Transaction Status answers, so the request is only marked unknown.
    return db::with_transaction(pool_, "mpesa.webhook.timeout", [&](pqxx::work& tx) {
        mark_request_unknown(tx, request.id, "B2C queue timeout", clock_.now());
        IntakeReport result = report(
            event, CallbackOutcome::applied, "queue timeout: payout state unknown until queried");
        insert_webhook_outcome(
            tx, event.id, result.outcome, result.detail, request.id, clock_.now());
        return result;
    });
}

IntakeReport CallbackIntake::apply(const StoredEvent& event,
                                   const std::string& request_id,
                                   const FinalResult& result,
                                   const std::string& checkout_request_id) {
    IntakeReport outcome = db::with_transaction(pool_, "mpesa.webhook.apply", [&](pqxx::work& tx) {
        std::optional<MpesaRequest> locked = find_request(tx, request_id, true);
        if (locked && locked->status == RequestStatus::failed && locked->kind == RequestKind::stk_push &&
            result.succeeded && listener_ != nullptr) {
            listener_->on_late_success(tx, *locked, result);
            IntakeReport late = report(event, CallbackOutcome::applied, "paid after it had failed: late payment");
            insert_webhook_outcome(tx, event.id, late.outcome, late.detail, request_id, clock_.now());
            return late;
        }
        if (!locked || is_final(locked->status)) {
            IntakeReport duplicate =
                report(event, CallbackOutcome::duplicate, "request already final");
            insert_webhook_outcome(
                tx, event.id, duplicate.outcome, duplicate.detail, request_id, clock_.now());
            return duplicate;
        }
        if (!checkout_request_id.empty() && locked->checkout_request_id.empty()) {
            if (checkout_request_id_taken(tx, checkout_request_id, request_id)) {
                IntakeReport clash = report(event, CallbackOutcome::mismatch,
                                            "CheckoutRequestID belongs to another request");
                insert_webhook_outcome(tx, event.id, clash.outcome, clash.detail, request_id,
                                       clock_.now());
                return clash;
            }
            adopt_checkout_request_id(tx, request_id, checkout_request_id);
            locked->checkout_request_id = checkout_request_id;
        }
        IntakeReport applied =
            report(event,
                   CallbackOutcome::applied,
                   (result.succeeded ? "paid, from " : "not paid, from ") + result.source);
        insert_webhook_outcome(
            tx, event.id, applied.outcome, applied.detail, request_id, clock_.now());
        // Last: settling locks the pool accounts (see TradeSettlement).
        settle_locked(tx, *locked, result);
        return applied;
    });
    metrics_.increment("goldwallet_mpesa_callbacks_total",
                       "M-Pesa callbacks by kind and outcome",
                       {{"kind", std::string(to_string(event.kind))},
                        {"outcome", std::string(to_string(outcome.outcome))}});
    obs::log_info("mpesa.callback",
                  {{"event_id", event.id},
                   {"mpesa_request_id", request_id},
                   {"outcome", to_string(outcome.outcome)},
                   {"detail", outcome.detail}});
    return outcome;
}

void CallbackIntake::settle_locked(pqxx::work& tx, MpesaRequest& locked, const FinalResult& result) {
    complete_request(tx, locked.id, result, clock_.now());
    locked.status = result.succeeded ? RequestStatus::succeeded : RequestStatus::failed;
    if (listener_ != nullptr) {
        listener_->on_final_result(tx, locked, result);
    }
}

bool CallbackIntake::settle_from_query(const std::string& request_id, const FinalResult& result) {
    const bool settled = db::with_transaction(pool_, "mpesa.query.apply", [&](pqxx::work& tx) {
        std::optional<MpesaRequest> locked = find_request(tx, request_id, true);
        if (!locked || is_final(locked->status)) {
            return false;
        }
        settle_locked(tx, *locked, result);
        return true;
    });
    if (settled) {
        obs::log_info("mpesa.settled_by_query", {{"mpesa_request_id", request_id},
                                                  {"paid", result.succeeded},
                                                  {"source", result.source}});
    }
    return settled;
}

IntakeReport CallbackIntake::settle_outcome(const StoredEvent& event,
                                            const std::string& request_id,
                                            IntakeReport result) {
    db::with_transaction(pool_, "mpesa.webhook.outcome", [&](pqxx::work& tx) {
        insert_webhook_outcome(
            tx, event.id, result.outcome, result.detail, request_id, clock_.now());
    });
    metrics_.increment("goldwallet_mpesa_callbacks_total",
                       "M-Pesa callbacks by kind and outcome",
                       {{"kind", std::string(to_string(event.kind))},
                        {"outcome", std::string(to_string(result.outcome))}});
    const bool suspicious = result.outcome == CallbackOutcome::unknown_token ||
                            result.outcome == CallbackOutcome::mismatch ||
                            result.outcome == CallbackOutcome::source_refused ||
                            result.outcome == CallbackOutcome::malformed;
    obs::log(suspicious ? obs::LogLevel::warn : obs::LogLevel::info,
             "mpesa.callback",
             {{"event_id", event.id},
              {"mpesa_request_id", request_id},
              {"outcome", to_string(result.outcome)},
              {"detail", result.detail}});
    return result;
}

}  // namespace gw::mpesa
