#pragma once

// Where M-Pesa's final results meet trading: the ResultListener that CallbackIntake (callbacks)
// and the sweeper (STK Query, via settle_from_query) call inside the transaction that records a
// result. An STK Push's result settles the buy it was for, a B2C payment's the payout.

#include <pqxx/pqxx>

#include "mpesa/callback_intake.hpp"
#include "trading/trade_settlement.hpp"

namespace gw::jobs {

class PaymentResults final : public mpesa::ResultListener {
public:
    // REQUIRES: `settlement` outlives this.
    explicit PaymentResults(trading::TradeSettlement& settlement) : settlement_(settlement) {}

    void on_final_result(pqxx::work& tx,
                         const mpesa::MpesaRequest& request,
                         const mpesa::FinalResult& result) override;
    // The buy failed earlier, so this is a late payment (credited or refunded, once per receipt).
    void on_late_success(pqxx::work& tx,
                         const mpesa::MpesaRequest& request,
                         const mpesa::FinalResult& result) override;

private:
    trading::TradeSettlement& settlement_;
};

}  // namespace gw::jobs
