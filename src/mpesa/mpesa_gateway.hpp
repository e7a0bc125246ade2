#pragma once

// Sends M-Pesa requests the safe way round (DARAJA.md §10, DESIGN §5): the request is stored
// (status `created`, with its callback token's hash) in one transaction BEFORE anything goes
// on the wire, because the callback can beat the synchronous answer; then Daraja is called
// with no transaction open; then the answer and every exchange are recorded in a second
// transaction, whose commit is announced on kRequestAnsweredChannel. A crash between the two
// leaves a `created` request that the sweeper resolves by asking Daraja, never by guessing.
//
// Thread-safe: stateless apart from its collaborators, which are.

#include <functional>
#include <string>

#include "db/pool.hpp"
#include "mpesa/daraja_client.hpp"
#include "mpesa/mpesa_request.hpp"

namespace gw::mpesa {

struct NewRequest;  // mpesa_store.hpp
struct Submission;  // mpesa_store.hpp

// Returns the blind index (hex) of a normalised MSISDN. Wired by app to identity's BlindIndex,
// so mpesa stores no phone number it could leak and needs no key of its own.
using PhoneTagger = std::function<std::string(std::string_view msisdn)>;

// The commit that records Daraja's answer to a request sends the request's id on this channel
// (db::notify_on_commit), so that callbacks which beat it are processed at once
// (CallbackIntake::note_answered).
inline constexpr std::string_view kRequestAnsweredChannel = "mpesa.request_answered";

struct StkPushInput {
    std::string reference;  // what the money is for (a trade id)
    Cents amount;           // whole shillings
    std::string msisdn;     // normalised
    std::string account_reference;
    std::string description;
};

struct StkPushSent {
    std::string request_id;
    StkPushAnswer answer;
};

struct B2cPaymentInput {
    std::string reference;  // a payout id
    Cents amount;           // whole shillings, KES 10–250,000
    std::string msisdn;
    std::string remarks;
};

struct B2cPaymentSent {
    std::string request_id;
    std::string originator_conversation_id;
    AsyncAnswer answer;
};

class MpesaGateway {
public:
    // REQUIRES: every collaborator outlives the gateway.
    // Callback URLs start with client.settings().public_url.
    MpesaGateway(db::ConnectionPool& pool,
                 DarajaClient& client,
                 const Clock& clock,
                 PhoneTagger phone_tagger);

    // Replaces the public URL callbacks are built from (a node bound to port 0 learns its
    // address only after binding). REQUIRES: called before the first request is sent.
    void set_public_url(std::string public_url) { public_url_ = std::move(public_url); }

    // Stores and sends an STK Push. Errors: those of stk_push_body, and payment_in_progress
    // when a push for input.reference is still live or succeeded (nothing stored or sent).
    [[nodiscard]] Result<StkPushSent> push_stk(const StkPushInput& input);

    // Stores and sends a B2C payment, once per payout: a payout whose answer was unknown is
    // followed by query_payout_status, never paid again. Errors: those of b2c_payment_body,
    // and payment_in_progress when a payment for input.reference is live or succeeded.
    [[nodiscard]] Result<B2cPaymentSent> pay_b2c(const B2cPaymentInput& input);

    // Asks STK Query about `request` and records the exchange; does not settle anything.
    // REQUIRES: request.kind is stk_push and its checkout_request_id is known.
    StkQueryAnswer query_stk(const MpesaRequest& request);

    // Asks Transaction Status about a B2C `request` (its result arrives on a fresh status
    // token's URL) and records the exchange. REQUIRES: request.kind is b2c_payment.
    AsyncAnswer query_payout_status(const MpesaRequest& request);

    // Returns the request `id`, or nullopt.
    std::optional<MpesaRequest> find(const std::string& id);

private:
    std::string url(std::string_view path, std::string_view token) const;
    // Stores a new request; payment_in_progress when one for the reference is live or done.
    Result<std::string> store(const NewRequest& request, const std::string& transaction_name);
    void record(const std::string& request_id,
                const std::string& transaction_name,
                const std::vector<Exchange>& exchanges,
                const Submission* submission);

    db::ConnectionPool& pool_;
    DarajaClient& client_;
    const Clock& clock_;
    PhoneTagger phone_tagger_;
    std::string public_url_;
};

}  // namespace gw::mpesa
