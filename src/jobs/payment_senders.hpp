#pragma once

// The outbox handlers that reach M-Pesa: the STK Push of a buy and the B2C payment of a
// payout. Each runs after the transaction that queued it committed, at least once: a second
// run finds the payment already live or done (mpesa_requests' one-live-request rule) and sends
// nothing. A refusal Daraja may lift soon (spike arrest, quota, a subscriber locked by another
// prompt) is retried with backoff, a final one fails the trade or payout.
//
// Thread-safe: stateless apart from collaborators, which are.

#include "db/outbox_store.hpp"
#include "jobs/outbox_worker.hpp"
#include "mpesa/mpesa_gateway.hpp"
#include "trading/buy_service.hpp"
#include "trading/payout_service.hpp"

namespace gw::jobs {

// True for a Daraja refusal that a later attempt may not meet (DARAJA.md §8): spike arrest
// and quota (500.003.02/03), "Unable to lock subscriber" (500.001.1001).
bool refusal_is_transient(const std::optional<mpesa::DarajaError>& error);

class StkPushSender {
public:
    // REQUIRES: both outlive the sender.
    StkPushSender(trading::BuyService& buys, mpesa::MpesaGateway& gateway)
        : buys_(buys), gateway_(gateway) {}

    // The handler of trading::kStkPushTopic (key: the trade id).
    OutboxResult send(const db::OutboxMessage& message);

private:
    trading::BuyService& buys_;
    mpesa::MpesaGateway& gateway_;
};

class B2cPayoutSender {
public:
    // REQUIRES: both outlive the sender.
    B2cPayoutSender(trading::PayoutService& payouts, mpesa::MpesaGateway& gateway)
        : payouts_(payouts), gateway_(gateway) {}

    // The handler of trading::kB2cPaymentTopic (key: the payout id).
    OutboxResult send(const db::OutboxMessage& message);

private:
    trading::PayoutService& payouts_;
    mpesa::MpesaGateway& gateway_;
};

}  // namespace gw::jobs
