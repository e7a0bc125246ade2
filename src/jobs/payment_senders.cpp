#include "jobs/payment_senders.hpp"

#include "observability/log.hpp"
#include "trading/trade_settlement.hpp"

namespace gw::jobs {

bool refusal_is_transient(const std::optional<mpesa::DarajaError>& error) {
    if (!error) {
        return false;
    }
    return error->error_code == "500.003.02" || error->error_code == "500.003.03" ||
           (error->error_code == "500.001.1001" &&
            error->error_message.find("Unable to lock subscriber") != std::string::npos);
}

OutboxResult StkPushSender::send(const db::OutboxMessage& message) {
    const auto target = buys_.push_target(message.key);
    if (!target) {
        return OutboxResult::done();  // settled, or past its deadline: the sweeper's now
    }
    auto sent = gateway_.push_stk({.reference = target->trade_id,
                                   .amount = target->amount,
                                   .msisdn = target->msisdn,
                                   .account_reference = trading::payment_account_reference(target->trade_id),
                                   .description = "Gold purchase"});
    if (!sent) {
        if (sent.error().code != ErrorCode::payment_in_progress) {
            buys_.record_push(target->trade_id, std::nullopt, "stk_refused", {});
        }
        return OutboxResult::done();  // refused before sending, or an earlier attempt sent it
    }
    switch (sent->answer.certainty) {
        case mpesa::Certainty::accepted:
            buys_.record_push(
                target->trade_id, trading::TradeStatus::awaiting_payment, {}, sent->request_id);
            return OutboxResult::done();
        case mpesa::Certainty::rejected:
            if (refusal_is_transient(sent->answer.error)) {
                return OutboxResult::retry("Daraja asked to try later (" +
                                           sent->answer.error->error_code + ")");
            }
            buys_.record_push(target->trade_id, std::nullopt, "stk_rejected", sent->request_id);
            return OutboxResult::done();
        case mpesa::Certainty::unknown:
            break;
    }
    // Nothing reached Daraja: send again. Otherwise the prompt may be on the customer's phone:
    // the callback or the sweeper's STK Query will tell.
    return sent->answer.retry_safe
               ? OutboxResult::retry("Daraja could not be reached; nothing was sent")
               : OutboxResult::done();
}

OutboxResult B2cPayoutSender::send(const db::OutboxMessage& message) {
    const auto target = payouts_.payout_target(message.key);
    if (!target) {
        return OutboxResult::done();
    }
    auto sent = gateway_.pay_b2c({.reference = target->payout_id,
                                  .amount = target->amount,
                                  .msisdn = target->msisdn,
                                  .remarks = target->remarks});
    if (!sent) {
        if (sent.error().code == ErrorCode::payment_in_progress) {
            return OutboxResult::done();  // an earlier attempt sent it
        }
        // Our own checks refused the body (amount out of range, bad number): no retry helps.
        obs::log_error("payout.b2c_refused",
                       {{"payout_id", target->payout_id}, {"code", to_string(sent.error().code)}});
        payouts_.record_b2c(target->payout_id, {}, false);
        return OutboxResult::done();
    }
    switch (sent->answer.certainty) {
        case mpesa::Certainty::accepted:
            payouts_.record_b2c(target->payout_id, sent->request_id, true);
            return OutboxResult::done();
        case mpesa::Certainty::rejected:
            if (refusal_is_transient(sent->answer.error)) {
                return OutboxResult::retry("Daraja asked to try later (" +
                                           sent->answer.error->error_code + ")");
            }
            payouts_.record_b2c(target->payout_id, sent->request_id, false);
            return OutboxResult::done();
        case mpesa::Certainty::unknown:
            break;
    }
    if (sent->answer.retry_safe) {
        return OutboxResult::retry("Daraja could not be reached; nothing was sent");
    }
    // It may be paid: the Result, the queue timeout or Transaction Status will tell.
    payouts_.record_b2c(target->payout_id, sent->request_id, true);
    return OutboxResult::done();
}

}  // namespace gw::jobs
