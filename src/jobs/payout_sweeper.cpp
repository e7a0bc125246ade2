#include "jobs/payout_sweeper.hpp"

#include "db/transaction.hpp"
#include "mpesa/mpesa_store.hpp"
#include "observability/log.hpp"
#include "trading/payout_store.hpp"

namespace gw::jobs {

PayoutSweeper::PayoutSweeper(db::ConnectionPool& pool,
                             mpesa::MpesaGateway& gateway,
                             PayoutSweepSettings settings)
    : pool_(pool), gateway_(gateway), settings_(settings) {}

PayoutSweepReport PayoutSweeper::sweep(TimePoint now, std::size_t limit) {
    const auto due = db::with_transaction(pool_, "payout.sweep.claim", [&](pqxx::work& tx) {
        return trading::claim_stale_b2c_payouts(
            tx, now - settings_.timeout, now, now + settings_.recheck, limit);
    });
    PayoutSweepReport report;
    for (const std::string& payout_id : due) {
        ++report.examined;
        try {
            if (ask(payout_id)) {
                ++report.asked;
            } else {
                ++report.waiting;
            }
        } catch (const std::exception& error) {
            ++report.waiting;  // asked again at its next check
            obs::log_error("payout.sweep_failed", {{"payout_id", payout_id}, {"what", error.what()}});
        }
    }
    return report;
}

bool PayoutSweeper::ask(const std::string& payout_id) {
    const auto request = db::with_transaction(pool_, "payout.sweep.load", [&](pqxx::work& tx) {
        return mpesa::find_live_request(tx, mpesa::RequestKind::b2c_payment, payout_id);
    });
    const bool open = request && (request->status == mpesa::RequestStatus::created ||
                                  request->status == mpesa::RequestStatus::accepted ||
                                  request->status == mpesa::RequestStatus::unknown);
    if (!open) {
        return false;  // not sent yet (or settled meanwhile)
    }
    const mpesa::AsyncAnswer answer = gateway_.query_payout_status(*request);
    const bool asked = answer.certainty == mpesa::Certainty::accepted;
    obs::log_info("payout.status_asked", {{"payout_id", payout_id}, {"accepted", asked}});
    return asked;
}

}  // namespace gw::jobs
