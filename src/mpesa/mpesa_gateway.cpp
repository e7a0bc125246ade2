#include "mpesa/mpesa_gateway.hpp"

#include "core/crash_point.hpp"
#include "core/msisdn.hpp"
#include "db/transaction.hpp"
#include "mpesa/callback_token.hpp"
#include "mpesa/mpesa_store.hpp"
#include "observability/log.hpp"

#include <thread>

namespace gw::mpesa {
namespace {

Submission submission_of(Certainty certainty, const std::optional<DarajaError>& error, bool retry_safe) {
    Submission submission;
    if (certainty == Certainty::unknown && retry_safe) {
        // Nothing reached Daraja (the connection was never made): the request is over, and a
        // new one for the same purpose may be sent.
        submission.status = RequestStatus::rejected;
        submission.error_code = "not_sent";
        submission.error_message = "the connection to Daraja failed before anything was sent";
        return submission;
    }
    switch (certainty) {
        case Certainty::accepted:
            submission.status = RequestStatus::accepted;
            break;
        case Certainty::rejected:
            submission.status = RequestStatus::rejected;
            break;
        case Certainty::unknown:
            submission.status = RequestStatus::unknown;
            break;
    }
    if (error) {
        submission.error_code = error->error_code;
        submission.error_message = error->error_message;
    }
    return submission;
}

// Our OriginatorConversationID: unique per payout attempt, and recognisably ours in Daraja's
// records ("gw-" + 32 hex characters of the token hash).
std::string originator_id_for(const CallbackToken& token) {
    return "gw-" + token.hash_hex.substr(0, 32);
}

}  // namespace

MpesaGateway::MpesaGateway(db::ConnectionPool& pool,
                           DarajaClient& client,
                           const Clock& clock,
                           PhoneTagger phone_tagger)
    : pool_(pool),
      client_(client),
      clock_(clock),
      phone_tagger_(std::move(phone_tagger)),
      public_url_(client.settings().public_url) {}

Result<StkPushSent> MpesaGateway::push_stk(const StkPushInput& input) {
    const CallbackToken token = new_callback_token();
    const StkPushOrder order{.amount = input.amount,
                             .msisdn = input.msisdn,
                             .account_reference = input.account_reference,
                             .description = input.description,
                             .callback_url = url(kStkCallbackPath, token.token)};
    // Validate before storing anything: a body we would refuse to send is the caller's error.
    if (auto body = stk_push_body(client_.settings(), Credentials{}, order, clock_.now()); !body) {
        return body.error();
    }
    NewRequest request{.kind = RequestKind::stk_push,
                       .reference = input.reference,
                       .amount = input.amount,
                       .phone_masked = mask_msisdn(input.msisdn),
                       .phone_tag_hex = phone_tagger_(input.msisdn),
                       .token_hash_hex = token.hash_hex,
                       .originator_conversation_id = {}};
    StkPushSent sent;
    auto stored = store(request, "mpesa.stk.store");
    if (!stored) {
        return stored.error();
    }
    sent.request_id = *stored;
    auto call = client_.stk_push(order);
    if (!call) {
        return call.error();  // unreachable after the check above; kept for the contract
    }
    sent.answer = call->answer;
    if (sent.answer.certainty == Certainty::accepted) {
        crash_point("stk.sent");
    }
    Submission submission = submission_of(sent.answer.certainty, sent.answer.error, sent.answer.retry_safe);
    submission.checkout_request_id = sent.answer.checkout_request_id;
    submission.merchant_request_id = sent.answer.merchant_request_id;
    record(sent.request_id, "mpesa.stk.record", call->exchanges, &submission);
    return sent;
}

Result<B2cPaymentSent> MpesaGateway::pay_b2c(const B2cPaymentInput& input) {
    const CallbackToken token = new_callback_token();
    const B2cOrder order{.originator_conversation_id = originator_id_for(token),
                         .amount = input.amount,
                         .msisdn = input.msisdn,
                         .remarks = input.remarks,
                         .occasion = {},
                         .result_url = url(kPayoutResultPath, token.token),
                         .queue_timeout_url = url(kPayoutTimeoutPath, token.token)};
    if (auto body = b2c_payment_body(client_.settings(), Credentials{}, order); !body) {
        return body.error();
    }
    NewRequest request{.kind = RequestKind::b2c_payment,
                       .reference = input.reference,
                       .amount = input.amount,
                       .phone_masked = mask_msisdn(input.msisdn),
                       .phone_tag_hex = phone_tagger_(input.msisdn),
                       .token_hash_hex = token.hash_hex,
                       .originator_conversation_id = order.originator_conversation_id};
    B2cPaymentSent sent;
    sent.originator_conversation_id = order.originator_conversation_id;
    auto stored = store(request, "mpesa.b2c.store");
    if (!stored) {
        return stored.error();
    }
    sent.request_id = *stored;
    auto call = client_.b2c_payment(order);
    if (!call) {
        return call.error();
    }
    sent.answer = call->answer;
    if (sent.answer.certainty == Certainty::accepted) {
        crash_point("b2c.sent");
    }
    Submission submission = submission_of(sent.answer.certainty, sent.answer.error, sent.answer.retry_safe);
    if (sent.answer.duplicate) {
        submission.status = RequestStatus::unknown;  // the first attempt got through: query it
    }
    submission.conversation_id = sent.answer.conversation_id;
    record(sent.request_id, "mpesa.b2c.record", call->exchanges, &submission);
    return sent;
}

StkQueryAnswer MpesaGateway::query_stk(const MpesaRequest& request) {
    auto call = client_.stk_query(request.checkout_request_id);
    record(request.id, "mpesa.stk_query.record", call.exchanges, nullptr);
    return call.answer;
}

AsyncAnswer MpesaGateway::query_payout_status(const MpesaRequest& request) {
    const CallbackToken token = new_callback_token();
    db::with_transaction(pool_, "mpesa.status.token", [&](pqxx::work& tx) {
        set_status_token(tx, request.id, token.hash_hex, clock_.now());
    });
    const StatusQuery query{.transaction_id = request.receipt,
                            .originator_conversation_id = request.originator_conversation_id,
                            .result_url = url(kStatusResultPath, token.token),
                            .queue_timeout_url = url(kStatusTimeoutPath, token.token)};
    auto call = client_.transaction_status(query);
    record(request.id, "mpesa.status.record", call.exchanges, nullptr);
    return call.answer;
}

std::optional<MpesaRequest> MpesaGateway::find(const std::string& id) {
    return db::with_transaction(
        pool_, "mpesa.request.find", [&](pqxx::work& tx) { return find_request(tx, id, false); });
}

std::string MpesaGateway::url(std::string_view path, std::string_view token) const {
    return public_url_ + std::string(path) + std::string(token);
}

Result<std::string> MpesaGateway::store(const NewRequest& request,
                                        const std::string& transaction_name) {
    auto id = db::with_transaction(pool_, transaction_name, [&](pqxx::work& tx) {
        return insert_request(tx, request, clock_.now());
    });
    if (!id) {
        return make_error(ErrorCode::payment_in_progress,
                          "an M-Pesa payment for this is already in flight or done");
    }
    return *id;
}

void MpesaGateway::record(const std::string& request_id,
                          const std::string& transaction_name,
                          const std::vector<Exchange>& exchanges,
                          const Submission* submission) {
    // Daraja has answered: losing that answer to a database blip would leave the request
    // `created` and unfollowable, so the record is retried before giving up (the intake then
    // treats a stale `created` request as unknown).
    constexpr int kAttemptsMax = 3;
    for (int attempt = 1;; ++attempt) {
        try {
            db::with_transaction(pool_, transaction_name, [&](pqxx::work& tx) {
                insert_exchanges(tx, request_id, exchanges);
                if (submission != nullptr &&
                    record_submission(tx, request_id, *submission, clock_.now())) {
                    db::notify_on_commit(tx, std::string(kRequestAnsweredChannel), request_id);
                }
            });
            return;
        } catch (const std::exception& error) {
            obs::log_error("mpesa.record_failed", {{"mpesa_request_id", request_id},
                                                   {"attempt", attempt},
                                                   {"what", error.what()}});
            if (attempt >= kAttemptsMax) {
                throw;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100 * attempt));
        }
    }
}

}  // namespace gw::mpesa
