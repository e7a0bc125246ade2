#include "trading/trade_settlement.hpp"

#include <stdexcept>

#include "core/uuid_text.hpp"
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
    const std::string kind = type == ledger::TransferType::post_pending ? "buy.settle" : "buy.void";
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

void complete_buy(pqxx::work& tx, const TradeView& trade, const std::string& mpesa_request_id,
                  const std::string& receipt, TimePoint now) {
    resolve_allocations(tx, trade, ledger::TransferType::post_pending, now);
    insert_trade_event(tx, trade.id, {TradeStatus::completed, {}, mpesa_request_id, receipt}, now);
}

void fail_trade(pqxx::work& tx, const TradeView& trade, const std::string& reason,
                const std::string& mpesa_request_id, TimePoint now) {
    resolve_allocations(tx, trade, ledger::TransferType::void_pending, now);
    insert_trade_event(tx, trade.id, {TradeStatus::failed, reason, mpesa_request_id, {}}, now);
}

TradeSettlement::TradeSettlement(const Clock& clock, obs::MetricsRegistry& metrics)
    : clock_(clock), metrics_(metrics) {}

void TradeSettlement::on_final_result(pqxx::work& tx, const mpesa::MpesaRequest& request,
                                      const mpesa::FinalResult& result) {
    if (request.kind != mpesa::RequestKind::stk_push || !is_uuid(request.reference)) {
        return;  // not a buy's payment
    }
    const auto trade = select_trade(tx, request.reference, true);
    if (!trade || trade->side != identity::TradeSide::buy) {
        obs::log_warn("trade.payment_without_buy", {{"mpesa_request_id", request.id}});
        return;
    }
    const TimePoint now = clock_.now();
    if (is_open(trade->status)) {
        if (result.succeeded) {
            complete_buy(tx, *trade, request.id, result.receipt, now);
        } else {
            fail_trade(tx, *trade, failure_reason(result.result_code), request.id, now);
            metrics_.increment("goldwallet_trades_failed_total", "Failed trades by reason",
                               {{"reason", failure_reason(result.result_code)}});
        }
        obs::log_info("trade.settled", {{"trade_id", trade->id},
                                        {"paid", result.succeeded},
                                        {"source", result.source}});
        return;
    }
    if (result.succeeded && trade->status == TradeStatus::failed) {
        late_payment(tx, *trade, request, result);
    }
}

void TradeSettlement::late_payment(pqxx::work& tx, const TradeView& trade, const mpesa::MpesaRequest& request,
                                   const mpesa::FinalResult& result) {
    const TimePoint now = clock_.now();
    if (credit_from_pools(tx, trade, now)) {
        insert_late_payment(tx, trade.id, request.id, result.receipt, "credited", now);
        insert_trade_event(tx, trade.id, {TradeStatus::completed, "late_payment", request.id, result.receipt}, now);
        obs::log_warn("trade.late_payment_credited", {{"trade_id", trade.id}});
        return;
    }
    insert_late_payment(tx, trade.id, request.id, result.receipt, "refund_due", now);
    metrics_.increment("goldwallet_trade_refunds_due_total", "Late payments that need a refund", {});
    obs::log_error("trade.late_payment_refund_due", {{"trade_id", trade.id}, {"mpesa_request_id", request.id}});
}

}  // namespace gw::trading
