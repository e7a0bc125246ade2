#pragma once

// Transfers and the pure rules that apply them (no I/O): single-phase, pending (reserves),
// post (settles the whole pending amount), void (releases it). The batch applier and the tests
// share these rules; PostgreSQL enforces the same limits again with CHECK constraints.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "ledger/account.hpp"

namespace gw::ledger {

enum class TransferType { single_phase, pending, post_pending, void_pending };

struct TransferRequest {
    std::string id;               // caller-chosen UUID; a retry with the same id is idempotent
    AccountId debit_account = 0;  // post/void: 0 or the pending transfer's account
    AccountId credit_account = 0;
    std::int64_t amount = 0;      // post/void: 0 or the pending transfer's amount
    TransferType type = TransferType::single_phase;
    std::string pending_id;                 // post/void: the pending transfer
    std::optional<TimePoint> timeout_at;    // pending only: when the expiry sweeper may void it
    std::string trade_id;                   // optional: the trade this movement belongs to
    std::string kind;                       // what it is for, e.g. "buy.reserve", "pool.topup"
};

// Results in the order they are checked (the first that applies is returned).
enum class TransferResult {
    ok,
    exists,                        // the same transfer was already applied: success, no change
    exists_with_different_fields,  // the id is taken by another transfer
    linked_event_failed,           // another transfer of the same atomic submission failed
    id_must_be_uuid,               // id, pending_id or trade_id is not a UUID
    kind_required,                 // kind must be 1–64 characters
    amount_must_be_positive,
    accounts_must_be_different,
    timeout_reserved_for_pending,
    pending_id_required,
    debit_account_not_found,
    credit_account_not_found,
    assets_must_match,
    pending_transfer_not_found,
    pending_transfer_not_pending,
    pending_transfer_has_different_fields,
    pending_transfer_already_posted,
    pending_transfer_already_voided,
    pending_transfer_expired,
    overflows,
    exceeds_credits,  // the debit account would go below zero
    exceeds_debits,   // the credit account would exceed what it may hold
};

std::string_view to_string(TransferResult result);

// True for ok and exists.
inline bool succeeded(TransferResult result) {
    return result == TransferResult::ok || result == TransferResult::exists;
}

// not_pending: the id names a transfer that was never pending (so cannot be posted/voided).
enum class PendingStatus { open, posted, voided, not_pending };

// A pending transfer as the rules need it.
struct PendingTransfer {
    AccountId debit_account = 0;
    AccountId credit_account = 0;
    std::int64_t amount = 0;
    std::optional<TimePoint> timeout_at;
    PendingStatus status = PendingStatus::open;
};

using AccountMap = std::map<AccountId, AccountState>;
using PendingMap = std::map<std::string, PendingTransfer>;

// Applies `request` to `accounts` and `pendings` at `now`. On any result but ok, nothing is
// changed. On ok, a pending request adds itself to `pendings`, and a post/void marks its
// pending transfer and fills the request's accounts and amount in (`resolved`).
// REQUIRES: accounts referenced by the request (and its pending) are in `accounts` if they
// exist; pending transfers referenced are in `pendings` if they exist.
TransferResult apply_transfer(const TransferRequest& request,
                              AccountMap& accounts,
                              PendingMap& pendings,
                              TimePoint now,
                              TransferRequest& resolved);

}  // namespace gw::ledger
