#include "ledger/batch_apply.hpp"

#include <cctype>
#include <optional>
#include <set>

#include "core/uuid_text.hpp"
#include "ledger/ledger_store.hpp"

namespace gw::ledger {
namespace {

// UUIDs compare as PostgreSQL prints them: lower case.
std::string canonical(std::string id) {
    for (char& c : id) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return id;
}

TransferRequest canonical(TransferRequest request) {
    request.id = canonical(std::move(request.id));
    request.pending_id = canonical(std::move(request.pending_id));
    request.trade_id = canonical(std::move(request.trade_id));
    return request;
}

bool is_resolution(TransferType type) {
    return type == TransferType::post_pending || type == TransferType::void_pending;
}

// A retry matches the first attempt when every field it gives agrees with what was stored.
bool same_transfer(const TransferRequest& request, const TransferRequest& stored) {
    const bool accounts_match =
        (request.debit_account == stored.debit_account || (is_resolution(request.type) && request.debit_account == 0)) &&
        (request.credit_account == stored.credit_account || (is_resolution(request.type) && request.credit_account == 0));
    const bool amount_matches =
        request.amount == stored.amount || (is_resolution(request.type) && request.amount == 0);
    return accounts_match && amount_matches && request.type == stored.type &&
           request.pending_id == stored.pending_id && request.trade_id == stored.trade_id &&
           request.kind == stored.kind && request.timeout_at == stored.timeout_at;
}

struct BatchState {
    AccountMap accounts;
    PendingMap pendings;
    std::map<std::string, TransferRequest> known;  // stored before, or applied earlier in this batch
    std::vector<TransferRequest> to_insert;
    std::set<AccountId> changed;
};

// Reads what the batch needs, locking every touched account first.
BatchState load(pqxx::work& tx, const std::vector<const Submission*>& batch) {
    std::set<AccountId> account_ids;
    std::set<std::string> pending_ids;
    std::set<std::string> transfer_ids;
    for (const Submission* submission : batch) {
        for (const TransferRequest& transfer : submission->transfers) {
            // Malformed ids never reach SQL (they would fail the whole batch); the rules
            // refuse them one by one with id_must_be_uuid.
            if (is_uuid(transfer.id)) {
                transfer_ids.insert(canonical(transfer.id));
            }
            if (is_uuid(transfer.pending_id)) {
                pending_ids.insert(canonical(transfer.pending_id));
            }
            for (AccountId id : {transfer.debit_account, transfer.credit_account}) {
                if (id != 0) {
                    account_ids.insert(id);
                }
            }
        }
    }
    account_ids.merge(pending_transfer_accounts(tx, pending_ids));
    BatchState state;
    state.accounts = lock_accounts(tx, account_ids);
    // Read after locking: a concurrent writer that resolved a pending transfer or stored one of
    // these ids has committed by now, so what follows cannot be stale.
    state.known = load_transfers(tx, transfer_ids);
    state.pendings = load_pendings(tx, pending_ids);
    return state;
}

TransferResult apply_one(const TransferRequest& given, BatchState& state, TimePoint now,
                         std::vector<TransferRequest>& applied) {
    const TransferRequest request = canonical(given);
    if (const auto known = state.known.find(request.id); known != state.known.end()) {
        return same_transfer(request, known->second) ? TransferResult::exists
                                                     : TransferResult::exists_with_different_fields;
    }
    TransferRequest resolved;
    const TransferResult result = apply_transfer(request, state.accounts, state.pendings, now, resolved);
    if (result == TransferResult::ok) {
        applied.push_back(resolved);
        state.known.emplace(resolved.id, resolved);
    }
    return result;
}

// What an atomic submission may change, saved so a failure can put it back. Only the entries
// the submission touches are saved, so a large batch costs no more than its size.
class Undo {
public:
    void save(const TransferRequest& request, const BatchState& state) {
        save_pending(request.id, state);
        if (!request.pending_id.empty()) {
            save_pending(request.pending_id, state);
            if (const auto pending = state.pendings.find(request.pending_id);
                pending != state.pendings.end()) {
                save_account(pending->second.debit_account, state);
                save_account(pending->second.credit_account, state);
            }
        }
        save_account(request.debit_account, state);
        save_account(request.credit_account, state);
    }

    void restore(BatchState& state) const {
        for (const auto& [id, account] : accounts_) {
            state.accounts[id] = account;
        }
        for (const auto& [id, pending] : pendings_) {
            if (pending) {
                state.pendings[id] = *pending;
            } else {
                state.pendings.erase(id);
            }
        }
    }

private:
    void save_account(AccountId id, const BatchState& state) {
        const auto found = state.accounts.find(id);
        if (found != state.accounts.end()) {
            accounts_.emplace(id, found->second);  // keeps the first (oldest) copy
        }
    }
    void save_pending(const std::string& id, const BatchState& state) {
        const auto found = state.pendings.find(id);
        pendings_.emplace(id, found == state.pendings.end()
                                  ? std::nullopt
                                  : std::optional<PendingTransfer>(found->second));
    }

    std::map<AccountId, AccountState> accounts_;
    std::map<std::string, std::optional<PendingTransfer>> pendings_;
};

SubmissionResults apply_submission(const Submission& submission, BatchState& state, TimePoint now) {
    Undo undo;
    SubmissionResults results;
    std::vector<TransferRequest> applied;
    bool failed = false;
    for (const TransferRequest& request : submission.transfers) {
        if (submission.atomic) {
            undo.save(canonical(request), state);
        }
        const TransferResult result = apply_one(request, state, now, applied);
        failed = failed || !succeeded(result);
        results.push_back(result);
    }
    if (submission.atomic && failed) {
        undo.restore(state);
        for (const TransferRequest& undone : applied) {
            state.known.erase(undone.id);
        }
        for (TransferResult& result : results) {
            if (succeeded(result)) {
                result = TransferResult::linked_event_failed;
            }
        }
        return results;
    }
    for (const TransferRequest& transfer : applied) {
        state.changed.insert(transfer.debit_account);
        state.changed.insert(transfer.credit_account);
        state.to_insert.push_back(transfer);
    }
    return results;
}

}  // namespace

std::vector<SubmissionResults> apply_submissions(pqxx::work& tx,
                                                 const std::vector<const Submission*>& batch,
                                                 TimePoint now) {
    BatchState state = load(tx, batch);
    std::vector<SubmissionResults> results;
    results.reserve(batch.size());
    for (const Submission* submission : batch) {
        results.push_back(apply_submission(*submission, state, now));
    }
    std::vector<AccountState> changed;
    for (AccountId id : state.changed) {
        changed.push_back(state.accounts.at(id));
    }
    write_batch(tx, state.to_insert, changed, now);
    return results;
}

}  // namespace gw::ledger
