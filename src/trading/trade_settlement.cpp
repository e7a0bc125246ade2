#include "trading/trade_settlement.hpp"

#include <stdexcept>

#include "core/assert.hpp"
#include "core/uuid_text.hpp"
#include "db/outbox_store.hpp"
#include "identity/uuid.hpp"
#include "ledger/batch_apply.hpp"
#include "observability/log.hpp"
#include "trading/allocation.hpp"
#include "trading/trade_store.hpp"

namespace gw::trading {
namespace {

// Posts or voids every pending transfer of the trade, all or nothing.
void resolve_allocations(pqxx::work& tx, const TradeView& trade, ledger::TransferType type, TimePoint now) {
    ledger::Submission submission;
    const std::string kind = std::string(identity::to_string(trade.side)) +
                             (type == ledger::TransferType::post_pending ? ".settle" : ".void");
    for (const TradeAllocation& allocation : trade.allocations) {
        submission.transfers.push_back(ledger::TransferRequest{identity::random_uuid(), 0, 0, 0, type,
                                                               allocation.transfer_id, std::nullopt, trade.id,
                                                               kind});
    }
    const auto results = ledger::apply_submissions(tx, {&submission}, now);
    for (ledger::TransferResult result : results.front()) {
        if (!ledger::succeeded(result)) {
            throw std::logic_error("trade " + trade.id + ": the ledger refused " + kind + ": " +
                                   std::string(ledger::to_string(result)));
        }
    }
}

// Credits `grams` to the user from the pools as they stand (single-phase transfers), or returns
// false when they hold less.
bool credit_from_pools(pqxx::work& tx, const TradeView& trade, TimePoint now) {
    const std::vector<Allocation> allocations = allocate(lock_pool_supply(tx, trade.user_id), trade.grams);
    if (allocations.empty()) {
        return false;
    }
    ledger::Submission submission;
    for (const Allocation& allocation : allocations) {
        const std::int64_t user_account = ensure_user_gold_account(tx, trade.user_id, allocation.pool_id, now);
        submission.transfers.push_back(ledger::TransferRequest{
            identity::random_uuid(), allocation.account_id, user_account, allocation.grams.value(),
            ledger::TransferType::single_phase, {}, std::nullopt, trade.id, "buy.late_credit"});
    }
    const auto results = ledger::apply_submissions(tx, {&submission}, now);
    for (ledger::TransferResult result : results.front()) {
        if (!ledger::succeeded(result)) {
            throw std::logic_error("trade " + trade.id + ": the ledger refused a late credit: " +
                                   std::string(ledger::to_string(result)));
        }
    }
    return true;
}

}  // namespace

void notify_trade(pqxx::work& tx, const TradeView& trade, TradeStatus status, const std::string& reason,
                  const std::string& receipt, TimePoint now) {
    const std::string status_name(to_string(status));
    db::enqueue(tx,
                {std::string(kNotifyTopic), "trade:" + trade.id + ":" + status_name,
                 {{"user_id", trade.user_id},
                  {"trade_id", trade.id},
                  {"side", std::string(identity::to_string(trade.side))},
                  {"status", status_name},
                  {"reason", reason},
                  {"grams", format_grams(trade.grams)},
                  {"amount_kes", format_kes(trade.amount)},
                  {"receipt", receipt}}},
                now);
}

// The ledger goes last in each settlement: it locks the pool accounts, which every buy and
// settlement of the pool waits for, so they are held for the fewest statements.
void complete_buy(pqxx::work& tx, const TradeView& trade, const std::string& mpesa_request_id,
                  const std::string& receipt, TimePoint now) {
    insert_trade_event(tx, trade.id, {TradeStatus::completed, {}, mpesa_request_id, receipt}, now);
    notify_trade(tx, trade, TradeStatus::completed, {}, receipt, now);
    resolve_allocations(tx, trade, ledger::TransferType::post_pending, now);
}

void fail_trade(pqxx::work& tx, const TradeView& trade, const std::string& reason,
                const std::string& mpesa_request_id, TimePoint now) {
    insert_trade_event(tx, trade.id, {TradeStatus::failed, reason, mpesa_request_id, {}}, now);
    notify_trade(tx, trade, TradeStatus::failed, reason, {}, now);
    resolve_allocations(tx, trade, ledger::TransferType::void_pending, now);
}

void queue_payout(pqxx::work& tx, const PayoutView& payout, TimePoint now) {
    insert_payout(tx, payout);
    if (payout.mode == PayoutMode::b2c) {
        db::enqueue(tx, {std::string(kB2cPaymentTopic), payout.id, {{"payout_id", payout.id}}}, now);
    }
}

void complete_sell(pqxx::work& tx, const PayoutView& payout, const std::string& mpesa_transaction_id,
                   const std::string& decided_by, TimePoint now) {
    const auto trade = select_trade(tx, payout.trade_id, true);
    // The payout row is locked and not final, and only its settlement closes its sell.
    GW_ASSERT(trade.has_value(), "a payout's trade exists (foreign key)");
    GW_ASSERT(is_open(trade->status), "a sell with an open payout is open");
    insert_trade_event(tx, trade->id, {TradeStatus::completed, {}, payout.mpesa_request_id, mpesa_transaction_id},
                       now);
    update_payout(tx, payout.id, {PayoutStatus::completed, {}, mpesa_transaction_id, {}, decided_by}, now);
    notify_trade(tx, *trade, TradeStatus::completed, {}, mpesa_transaction_id, now);
    resolve_allocations(tx, *trade, ledger::TransferType::post_pending, now);
}

void fail_sell(pqxx::work& tx, const PayoutView& payout, const std::string& reason, const std::string& decided_by,
               TimePoint now) {
    const auto trade = select_trade(tx, payout.trade_id, true);
    // The payout row is locked and not final, and only its settlement closes its sell.
    GW_ASSERT(trade.has_value(), "a payout's trade exists (foreign key)");
    GW_ASSERT(is_open(trade->status), "a sell with an open payout is open");
    update_payout(tx, payout.id, {PayoutStatus::failed, {}, {}, reason, decided_by}, now);
    fail_trade(tx, *trade, reason, payout.mpesa_request_id, now);
}

void fail_refund(pqxx::work& tx, const PayoutView& refund, const std::string& reason, const std::string& decided_by,
                 TimePoint now) {
    GW_ASSERT(refund.kind == PayoutKind::refund, "sells fail through fail_sell");
    update_payout(tx, refund.id, {PayoutStatus::failed, refund.mpesa_request_id, {}, reason, decided_by}, now);
    if (refund.mode == PayoutMode::manual) {
        obs::log_error("payout.refund_failed", {{"payout_id", refund.id}, {"trade_id", refund.trade_id}});
        return;
    }
    PayoutView by_hand = refund;
    by_hand.id = identity::random_uuid();
    by_hand.mode = PayoutMode::manual;
    by_hand.status = PayoutStatus::pending;
    by_hand.mpesa_request_id.clear();
    by_hand.created_at = now;
    queue_payout(tx, by_hand, now);
    obs::log_error("payout.refund_to_manual_queue", {{"payout_id", refund.id}, {"manual_payout_id", by_hand.id}});
}

TradeSettlement::TradeSettlement(const Clock& clock, obs::MetricsRegistry& metrics, PayoutMode refund_mode)
    : clock_(clock), metrics_(metrics), refund_mode_(refund_mode) {}

void TradeSettlement::settle_buy(pqxx::work& tx, const std::string& trade_id, const PaymentOutcome& outcome) {
    const auto trade = select_trade(tx, trade_id, true);
    if (!trade || trade->side != identity::TradeSide::buy) {
        obs::log_warn("trade.payment_without_buy", {{"mpesa_request_id", outcome.mpesa_request_id}});
        return;
    }
    const TimePoint now = clock_.now();
    if (is_open(trade->status)) {
        if (outcome.paid) {
            complete_buy(tx, *trade, outcome.mpesa_request_id, outcome.receipt, now);
        } else {
            fail_trade(tx, *trade, failure_reason(outcome.result_code), outcome.mpesa_request_id, now);
            metrics_.increment("goldwallet_trades_failed_total", "Failed trades by reason",
                               {{"reason", failure_reason(outcome.result_code)}});
        }
        obs::log_info("trade.settled", {{"trade_id", trade->id}, {"paid", outcome.paid}, {"source", outcome.source}});
        return;
    }
    if (outcome.paid && trade->status == TradeStatus::failed) {
        late_payment(tx, *trade, outcome);
    }
}

void TradeSettlement::settle_payout(pqxx::work& tx, const std::string& payout_id, const PaymentOutcome& outcome) {
    const auto payout = select_payout(tx, payout_id, true);
    if (!payout || payout->status == PayoutStatus::completed || payout->status == PayoutStatus::failed) {
        obs::log_warn("payout.result_without_open_payout", {{"mpesa_request_id", outcome.mpesa_request_id}});
        return;
    }
    const TimePoint now = clock_.now();
    PayoutView settled = *payout;
    settled.mpesa_request_id = outcome.mpesa_request_id;
    if (payout->kind == PayoutKind::sell) {
        outcome.paid ? complete_sell(tx, settled, outcome.receipt, {}, now)
                     : fail_sell(tx, settled, "payout_failed", {}, now);
    } else if (outcome.paid) {
        update_payout(tx, payout->id,
                      {PayoutStatus::completed, outcome.mpesa_request_id, outcome.receipt, {}, {}}, now);
    } else {
        fail_refund(tx, settled, "payout_failed", {}, now);
    }
    if (!outcome.paid) {
        metrics_.increment("goldwallet_trades_failed_total", "Failed trades by reason", {{"reason", "payout_failed"}});
    }
    obs::log_info("payout.settled", {{"payout_id", payout->id}, {"paid", outcome.paid}});
}

void TradeSettlement::late_payment(pqxx::work& tx, const TradeView& trade, const PaymentOutcome& outcome) {
    if (late_payment_known(tx, outcome.receipt)) {
        return;  // the same payment reported again
    }
    const TimePoint now = clock_.now();
    if (credit_from_pools(tx, trade, now)) {
        insert_late_payment(tx, trade.id, outcome.mpesa_request_id, outcome.receipt, "credited", now);
        insert_trade_event(tx, trade.id,
                           {TradeStatus::completed, "late_payment", outcome.mpesa_request_id, outcome.receipt}, now);
        notify_trade(tx, trade, TradeStatus::completed, "late_payment", outcome.receipt, now);
        obs::log_warn("trade.late_payment_credited", {{"trade_id", trade.id}});
        return;
    }
    // The customer paid and no gold is left: their money goes back to the number that paid.
    insert_late_payment(tx, trade.id, outcome.mpesa_request_id, outcome.receipt, "refund_due", now);
    PayoutView refund;
    refund.id = identity::random_uuid();
    refund.kind = PayoutKind::refund;
    refund.trade_id = trade.id;
    refund.user_id = trade.user_id;
    refund.amount = outcome.amount;
    // B2C pays KES 10 at least; a smaller refund is paid by hand.
    refund.mode = outcome.amount < kPayoutMin ? PayoutMode::manual : refund_mode_;
    refund.created_at = now;
    queue_payout(tx, refund, now);
    metrics_.increment("goldwallet_trade_refunds_due_total", "Late payments that need a refund", {});
    obs::log_error("trade.late_payment_refund_due", {{"trade_id", trade.id}, {"payout_id", refund.id}});
}

}  // namespace gw::trading
