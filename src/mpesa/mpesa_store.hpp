#pragma once

// SQL for mpesa_requests and mpesa_exchanges (migrations/0004_mpesa.sql).
// REQUIRES for every function: called inside a db transaction (db::with_transaction).

#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "mpesa/daraja_client.hpp"
#include "mpesa/mpesa_request.hpp"

namespace gw::mpesa {

struct NewRequest {
    RequestKind kind = RequestKind::stk_push;
    std::string reference;
    Cents amount;
    std::string phone_masked;
    std::string phone_tag_hex;
    std::string token_hash_hex;
    std::string originator_conversation_id;  // B2C only
};

// Inserts a request in status `created` and returns its id, or nullopt (nothing stored) when a
// request of the same kind and reference is still live or succeeded.
std::optional<std::string> insert_request(pqxx::work& tx, const NewRequest& request, TimePoint at);

// Returns whether a request other than `id` already holds `checkout_request_id`.
bool checkout_request_id_taken(pqxx::work& tx, const std::string& checkout_request_id,
                               const std::string& id);

// What Daraja said when the request was submitted.
struct Submission {
    RequestStatus status = RequestStatus::unknown;  // accepted, rejected or unknown
    std::string checkout_request_id;
    std::string merchant_request_id;
    std::string conversation_id;
    std::string error_code;
    std::string error_message;
};

// Records the submission answer while the request is still `created`; a callback or timeout
// that got there first (it can beat the synchronous answer) is never overwritten. Returns
// whether the row changed.
bool record_submission(pqxx::work& tx,
                       const std::string& id,
                       const Submission& submission,
                       TimePoint at);

// Settles a request with its final result unless it is already final. Returns whether it did
// (false: someone settled it first, the caller has nothing to apply).
bool complete_request(pqxx::work& tx,
                      const std::string& id,
                      const FinalResult& result,
                      TimePoint at);

// Moves an accepted request to `unknown` (e.g. a B2C queue timeout). No effect on final ones.
bool mark_request_unknown(pqxx::work& tx,
                          const std::string& id,
                          std::string_view why,
                          TimePoint at);

// Records the CheckoutRequestID a genuine callback revealed for a request whose submission
// answer never arrived (a timeout). No effect when one is already recorded.
void adopt_checkout_request_id(pqxx::work& tx,
                               const std::string& id,
                               const std::string& checkout_request_id);

// Sets the token a Transaction Status result for request `id` must carry (replacing any
// earlier one, so answers to older queries no longer match).
void set_status_token(pqxx::work& tx,
                      const std::string& id,
                      const std::string& token_hash_hex,
                      TimePoint at);

// Appends the exchanges made for request `id` (empty id: not tied to a request).
void insert_exchanges(pqxx::work& tx,
                      const std::string& id,
                      const std::vector<Exchange>& exchanges);

// Find a request; `for_update` locks its row until the transaction ends.
std::optional<MpesaRequest> find_request(pqxx::work& tx, const std::string& id, bool for_update);
// Finds the request whose callback token or latest status token hashes to `token_hash_hex`.
std::optional<MpesaRequest> find_request_by_token(pqxx::transaction_base& tx,
                                                  const std::string& token_hash_hex);

// The request of `kind` for `reference` that is live or paid (at most one: the
// one-live-per-reference index), or nullopt when every request for it ended unpaid or none exists.
std::optional<MpesaRequest> find_live_request(pqxx::work& tx, RequestKind kind, const std::string& reference);

// Returns up to `limit` requests of `kind` still open (created, accepted, unknown) and last
// touched before `before`, oldest first: the work list of the sweepers.
std::vector<MpesaRequest> open_requests(pqxx::work& tx,
                                        RequestKind kind,
                                        TimePoint before,
                                        std::size_t limit);

}  // namespace gw::mpesa
