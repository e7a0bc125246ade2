#pragma once

// Settling trades: a buy is completed by posting its pending transfers (the gold becomes the
// user's) or failed by voiding them (the gold returns to its pools), each in the caller's
// transaction together with the trade's event, so the ledger and the trade never disagree.
//
// TradeSettlement is told each payment's final result (by callback or STK Query) inside the
// transaction that records it, through jobs/payment_results (trading knows nothing of M-Pesa).
// A payment that lands on a buy already failed (its STK timed out, then the customer paid)
// is a late payment: the same grams are credited if the pools still hold them, else the
// trade is marked for a refund (trade_events 'late_payment', logged at error level).

#include <pqxx/pqxx>
#include <string>

#include "core/clock.hpp"
#include "observability/metrics.hpp"
#include "trading/payout_store.hpp"
#include "trading/trade.hpp"

namespace gw::trading {

// REQUIRES for both: inside a transaction holding the trade row (select_trade with lock), and
// `trade` open. Throw when the ledger refuses (a bug): the transaction must then roll back.
void complete_buy(pqxx::work& tx, const TradeView& trade, const std::string& mpesa_request_id,
                  const std::string& receipt, TimePoint now);
void fail_trade(pqxx::work& tx, const TradeView& trade, const std::string& reason,
                const std::string& mpesa_request_id, TimePoint now);

// The outbox topic of in-app notifications; key "trade:<id>:<status>", payload
// {user_id, trade_id, side, status, reason, grams, amount_kes, receipt} (all strings).
inline constexpr std::string_view kNotifyTopic = "notify.trade";

// Queues the notification of the trade's new `status` (completed or failed), in the caller's
// transaction, so the user is told exactly when the change commits.
void notify_trade(pqxx::work& tx, const TradeView& trade, TradeStatus status, const std::string& reason,
                  const std::string& receipt, TimePoint now);

// The outbox topic of "pay payout <key> by B2C".
inline constexpr std::string_view kB2cPaymentTopic = "mpesa.b2c_payment";

// Stores `payout` (status pending) and, in b2c mode, queues its B2C payment; a manual payout
// waits in the admin queue. REQUIRES: inside the transaction that decided it.
void queue_payout(pqxx::work& tx, const PayoutView& payout, TimePoint now);

// A sell's payout arrived (posts the locked grams back to their pools, the trade completes) or
// failed (voids them: the grams are the user's again, the trade fails with `reason`).
// REQUIRES: inside a transaction holding the payout row (select_payout with lock), which is
// not final, and whose trade is a sell.
void complete_sell(pqxx::work& tx, const PayoutView& payout, const std::string& mpesa_transaction_id,
                   const std::string& decided_by, TimePoint now);
void fail_sell(pqxx::work& tx, const PayoutView& payout, const std::string& reason, const std::string& decided_by,
               TimePoint now);

// A refund payout was not paid (B2C refused or failed it, or an admin failed it). The money
// is still owed: a B2C refund is followed by a manual one in the admin queue; a manual refund
// an admin failed is final (logged at error level for follow-up).
// REQUIRES: inside a transaction holding the payout row, which is a refund and not final.
void fail_refund(pqxx::work& tx, const PayoutView& refund, const std::string& reason, const std::string& decided_by,
                 TimePoint now);

// The final word on one payment (a buy's STK Push, a payout's B2C payment), as trading needs
// it; jobs/payment_results translates M-Pesa's results into this.
struct PaymentOutcome {
    bool paid = false;
    std::string result_code;       // M-Pesa's ResultCode, as text
    std::string receipt;           // the M-Pesa receipt, when paid
    std::string mpesa_request_id;  // the request it answers
    Cents amount;                  // what the request asked for
    std::string source;            // "callback", "stk_query", …
};

class TradeSettlement {
public:
    // REQUIRES: `clock` and `metrics` outlive this. `refund_mode` is how a payment that landed
    // on a voided buy with no gold left is paid back.
    TradeSettlement(const Clock& clock, obs::MetricsRegistry& metrics, PayoutMode refund_mode);

    // The buy `trade_id` was paid or not: an open buy completes or fails; a payment landing on
    // a buy already failed is a late payment (credited, or refunded); anything else is a no-op.
    // REQUIRES: inside the transaction that records the payment's result.
    void settle_buy(pqxx::work& tx, const std::string& trade_id, const PaymentOutcome& outcome);

    // The payout `payout_id` was paid or not; a final payout is left alone.
    // REQUIRES: as settle_buy.
    void settle_payout(pqxx::work& tx, const std::string& payout_id, const PaymentOutcome& outcome);

private:
    void late_payment(pqxx::work& tx, const TradeView& trade, const PaymentOutcome& outcome);

    const Clock& clock_;
    obs::MetricsRegistry& metrics_;
    PayoutMode refund_mode_;
};

}  // namespace gw::trading
