#include "jobs/payment_results.hpp"

#include "core/uuid_text.hpp"

namespace gw::jobs {

namespace {

trading::PaymentOutcome outcome_of(const mpesa::MpesaRequest& request,
                                   const mpesa::FinalResult& result) {
    return {.paid = result.succeeded,
            .result_code = result.result_code,
            .receipt = result.receipt,
            .mpesa_request_id = request.id,
            .amount = request.amount,
            .source = result.source};
}

}  // namespace

void PaymentResults::on_final_result(pqxx::work& tx,
                                     const mpesa::MpesaRequest& request,
                                     const mpesa::FinalResult& result) {
    if (!is_uuid(request.reference)) {
        return;  // not a trade's or a payout's (they are always named by UUID)
    }
    const trading::PaymentOutcome outcome = outcome_of(request, result);
    if (request.kind == mpesa::RequestKind::stk_push) {
        settlement_.settle_buy(tx, request.reference, outcome);
    } else {
        settlement_.settle_payout(tx, request.reference, outcome);
    }
}

void PaymentResults::on_late_success(pqxx::work& tx,
                                     const mpesa::MpesaRequest& request,
                                     const mpesa::FinalResult& result) {
    if (is_uuid(request.reference) && request.kind == mpesa::RequestKind::stk_push) {
        settlement_.settle_buy(tx, request.reference, outcome_of(request, result));
    }
}

}  // namespace gw::jobs
