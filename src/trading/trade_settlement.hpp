#pragma once

// Settling trades: a buy is completed by posting its pending transfers (the gold becomes the
// user's) or failed by voiding them (the gold returns to its pools), each in the caller's
// transaction together with the trade's event, so the ledger and the trade never disagree.
//
// TradeSettlement is the M-Pesa ResultListener: CallbackIntake (callbacks) and the sweeper
// (STK Query) tell it a payment's final result inside the transaction that records it.
// A payment that lands on a buy already failed (its STK timed out, then the customer paid)
// is a late payment: the same grams are credited if the pools still hold them, else the
// trade is marked for a refund (trade_events 'late_payment', logged at error level).

#include <pqxx/pqxx>
#include <string>

#include "core/clock.hpp"
#include "mpesa/callback_intake.hpp"
#include "observability/metrics.hpp"
#include "trading/trade.hpp"

namespace gw::trading {

// REQUIRES for both: inside a transaction holding the trade row (select_trade with lock), and
// `trade` open. Throw when the ledger refuses (a bug): the transaction must then roll back.
void complete_buy(pqxx::work& tx, const TradeView& trade, const std::string& mpesa_request_id,
                  const std::string& receipt, TimePoint now);
void fail_trade(pqxx::work& tx, const TradeView& trade, const std::string& reason,
                const std::string& mpesa_request_id, TimePoint now);

class TradeSettlement final : public mpesa::ResultListener {
public:
    // REQUIRES: `clock` and `metrics` outlive the listener.
    TradeSettlement(const Clock& clock, obs::MetricsRegistry& metrics);

    void on_final_result(pqxx::work& tx, const mpesa::MpesaRequest& request,
                         const mpesa::FinalResult& result) override;

private:
    void late_payment(pqxx::work& tx, const TradeView& trade, const mpesa::MpesaRequest& request,
                      const mpesa::FinalResult& result);

    const Clock& clock_;
    obs::MetricsRegistry& metrics_;
};

}  // namespace gw::trading
