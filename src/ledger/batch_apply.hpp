#pragma once

// Applies many submissions of transfers in one database transaction: lock the touched accounts
// once (in id order), check everything in memory with the pure rules, then write all transfers
// and balances with one statement each. One submission's failure never fails another.

#include <pqxx/pqxx>
#include <vector>

#include "core/clock.hpp"
#include "ledger/transfer.hpp"

namespace gw::ledger {

// Transfers that one caller submits together. Atomic submissions apply all or nothing (a buy
// that spans two pools); the others apply transfer by transfer.
struct Submission {
    std::vector<TransferRequest> transfers;
    bool atomic = true;
};

using SubmissionResults = std::vector<TransferResult>;

// Applies `batch` in order and returns one result list per submission.
// REQUIRES: called inside a database transaction, which the caller commits.
std::vector<SubmissionResults> apply_submissions(pqxx::work& tx,
                                                 const std::vector<const Submission*>& batch,
                                                 TimePoint now);

}  // namespace gw::ledger
