#pragma once

// The ledger's invariants, checked by tests after every step, by reconciliation, and by
// `goldwallet check`. Each is also enforced where it can be: CHECK constraints keep no-overdraft
// accounts non-negative, a trigger keeps transfers immutable.

#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace gw::ledger {

struct InvariantViolation {
    std::string invariant;  // e.g. "asset_balanced", "account_matches_transfers"
    std::string detail;     // which asset, account or pool, and the numbers
};

// Returns every violation found (empty when the ledger is sound):
// - asset_balanced: for each asset, Σ debits = Σ credits, posted and pending separately;
// - account_matches_transfers: each account's four counters equal the sums of its transfers;
// - no_overdraft: no flagged account is below zero (the CHECK makes this unreachable);
// - pending_resolved_once: no pending transfer is both posted and voided, or resolved twice;
// - pool_total: each pool's total equals the gold that entered it from outside, net, and
//   total = available + reserved + held by users + being sold back;
// - gold_held: over all pools, available + reserved + held by users + being sold back equals
//   the gold vault:external issued (top-ups less withdrawals), exact to the microgram.
// REQUIRES: called inside a database transaction (REPEATABLE READ gives one snapshot).
std::vector<InvariantViolation> check_invariants(pqxx::transaction_base& tx);

}  // namespace gw::ledger
