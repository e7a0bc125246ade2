#include "ledger/transfer.hpp"

#include "core/uuid_text.hpp"

namespace gw::ledger {
namespace {

bool two_phase_resolution(TransferType type) {
    return type == TransferType::post_pending || type == TransferType::void_pending;
}

TransferResult check_shape(const TransferRequest& request) {
    if (!is_uuid(request.id) || (!request.pending_id.empty() && !is_uuid(request.pending_id)) ||
        (!request.trade_id.empty() && !is_uuid(request.trade_id))) {
        return TransferResult::id_must_be_uuid;
    }
    if (request.kind.empty() || request.kind.size() > 64) {
        return TransferResult::kind_required;
    }
    if (two_phase_resolution(request.type)) {
        if (request.amount < 0) {
            return TransferResult::amount_must_be_positive;
        }
        if (request.timeout_at) {
            return TransferResult::timeout_reserved_for_pending;
        }
        return request.pending_id.empty() ? TransferResult::pending_id_required
                                          : TransferResult::ok;
    }
    if (request.amount <= 0) {
        return TransferResult::amount_must_be_positive;
    }
    if (request.debit_account == request.credit_account) {
        return TransferResult::accounts_must_be_different;
    }
    if (request.timeout_at && request.type != TransferType::pending) {
        return TransferResult::timeout_reserved_for_pending;
    }
    return TransferResult::ok;
}

// Fills accounts and amount of a post/void from its pending transfer.
TransferResult resolve_pending(const TransferRequest& request, const PendingMap& pendings,
                               TimePoint now, TransferRequest& resolved) {
    const auto found = pendings.find(request.pending_id);
    if (found == pendings.end()) {
        return TransferResult::pending_transfer_not_found;
    }
    const PendingTransfer& pending = found->second;
    if (pending.status == PendingStatus::not_pending) {
        return TransferResult::pending_transfer_not_pending;
    }
    if (pending.status == PendingStatus::posted) {
        return TransferResult::pending_transfer_already_posted;
    }
    if (pending.status == PendingStatus::voided) {
        return TransferResult::pending_transfer_already_voided;
    }
    if ((request.debit_account != 0 && request.debit_account != pending.debit_account) ||
        (request.credit_account != 0 && request.credit_account != pending.credit_account) ||
        (request.amount != 0 && request.amount != pending.amount)) {
        return TransferResult::pending_transfer_has_different_fields;
    }
    if (request.type == TransferType::post_pending && pending.timeout_at &&
        *pending.timeout_at <= now) {
        return TransferResult::pending_transfer_expired;
    }
    resolved.debit_account = pending.debit_account;
    resolved.credit_account = pending.credit_account;
    resolved.amount = pending.amount;
    return TransferResult::ok;
}

bool add(std::int64_t& value, std::int64_t delta) {
    return !__builtin_add_overflow(value, delta, &value);
}

// The balances after the transfer, or overflows.
TransferResult move(const TransferRequest& request, AccountBalance& debit, AccountBalance& credit) {
    const std::int64_t amount = request.amount;
    bool ok = true;
    switch (request.type) {
        case TransferType::single_phase:
            ok = add(debit.debits_posted, amount) && add(credit.credits_posted, amount);
            break;
        case TransferType::pending:
            ok = add(debit.debits_pending, amount) && add(credit.credits_pending, amount);
            break;
        case TransferType::post_pending:
            ok = add(debit.debits_pending, -amount) && add(credit.credits_pending, -amount) &&
                 add(debit.debits_posted, amount) && add(credit.credits_posted, amount);
            break;
        case TransferType::void_pending:
            ok = add(debit.debits_pending, -amount) && add(credit.credits_pending, -amount);
            break;
    }
    return ok ? TransferResult::ok : TransferResult::overflows;
}

TransferResult check_limits(const AccountState& debit_account, const AccountBalance& debit,
                            const AccountState& credit_account, const AccountBalance& credit) {
    std::int64_t debits = 0;
    std::int64_t credits = 0;
    if (__builtin_add_overflow(debit.debits_pending, debit.debits_posted, &debits) ||
        __builtin_add_overflow(credit.credits_pending, credit.credits_posted, &credits)) {
        return TransferResult::overflows;
    }
    if ((debit_account.flags & kDebitsMustNotExceedCredits) != 0 && debits > debit.credits_posted) {
        return TransferResult::exceeds_credits;
    }
    if ((credit_account.flags & kCreditsMustNotExceedDebits) != 0 && credits > credit.debits_posted) {
        return TransferResult::exceeds_debits;
    }
    return TransferResult::ok;
}

}  // namespace

std::string_view to_string(TransferResult result) {
    switch (result) {
        case TransferResult::ok: return "ok";
        case TransferResult::exists: return "exists";
        case TransferResult::exists_with_different_fields: return "exists_with_different_fields";
        case TransferResult::linked_event_failed: return "linked_event_failed";
        case TransferResult::id_must_be_uuid: return "id_must_be_uuid";
        case TransferResult::kind_required: return "kind_required";
        case TransferResult::amount_must_be_positive: return "amount_must_be_positive";
        case TransferResult::accounts_must_be_different: return "accounts_must_be_different";
        case TransferResult::timeout_reserved_for_pending: return "timeout_reserved_for_pending";
        case TransferResult::pending_id_required: return "pending_id_required";
        case TransferResult::debit_account_not_found: return "debit_account_not_found";
        case TransferResult::credit_account_not_found: return "credit_account_not_found";
        case TransferResult::assets_must_match: return "assets_must_match";
        case TransferResult::pending_transfer_not_found: return "pending_transfer_not_found";
        case TransferResult::pending_transfer_not_pending: return "pending_transfer_not_pending";
        case TransferResult::pending_transfer_has_different_fields:
            return "pending_transfer_has_different_fields";
        case TransferResult::pending_transfer_already_posted: return "pending_transfer_already_posted";
        case TransferResult::pending_transfer_already_voided: return "pending_transfer_already_voided";
        case TransferResult::pending_transfer_expired: return "pending_transfer_expired";
        case TransferResult::overflows: return "overflows";
        case TransferResult::exceeds_credits: return "exceeds_credits";
        case TransferResult::exceeds_debits: return "exceeds_debits";
    }
    return "ok";
}

TransferResult apply_transfer(const TransferRequest& request, AccountMap& accounts,
                              PendingMap& pendings, TimePoint now, TransferRequest& resolved) {
    resolved = request;
    if (const TransferResult shape = check_shape(request); shape != TransferResult::ok) {
        return shape;
    }
    if (two_phase_resolution(request.type)) {
        const TransferResult found = resolve_pending(request, pendings, now, resolved);
        if (found != TransferResult::ok) {
            return found;
        }
    }
    const auto debit = accounts.find(resolved.debit_account);
    if (debit == accounts.end()) {
        return TransferResult::debit_account_not_found;
    }
    const auto credit = accounts.find(resolved.credit_account);
    if (credit == accounts.end()) {
        return TransferResult::credit_account_not_found;
    }
    if (debit->second.asset != credit->second.asset) {
        return TransferResult::assets_must_match;
    }
    AccountBalance debit_after = debit->second.balance;
    AccountBalance credit_after = credit->second.balance;
    if (const TransferResult moved = move(resolved, debit_after, credit_after);
        moved != TransferResult::ok) {
        return moved;
    }
    if (const TransferResult limited =
            check_limits(debit->second, debit_after, credit->second, credit_after);
        limited != TransferResult::ok) {
        return limited;
    }
    debit->second.balance = debit_after;
    credit->second.balance = credit_after;
    if (request.type == TransferType::pending) {
        pendings[request.id] = PendingTransfer{resolved.debit_account, resolved.credit_account,
                                               resolved.amount, request.timeout_at,
                                               PendingStatus::open};
    } else if (two_phase_resolution(request.type)) {
        pendings[request.pending_id].status = request.type == TransferType::post_pending
                                                  ? PendingStatus::posted
                                                  : PendingStatus::voided;
    }
    return TransferResult::ok;
}

}  // namespace gw::ledger
