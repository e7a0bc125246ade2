#pragma once

// SQL of the ledger. Every function REQUIRES being called inside a database transaction.
// Sets of ids travel as one array parameter, so a whole batch costs one round trip per step.

#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "ledger/account.hpp"
#include "ledger/transfer.hpp"

namespace gw::ledger {

struct NewAccount {
    std::string code;                   // unique: "vault:external", "pool:<id>", …
    Asset asset = Asset::xau_ug;
    std::uint32_t flags = 0;
    std::optional<std::string> owner_user_id;
    std::optional<std::string> pool_id;
};

// Returns the id of the account with `account.code`, creating it when missing (concurrent
// callers get the same id).
AccountId ensure_account(pqxx::work& tx, const NewAccount& account, TimePoint now);

std::optional<AccountId> find_account(pqxx::work& tx, const std::string& code);

// Reads (without locking) the accounts named by pending transfers: what a batch must lock.
std::set<AccountId> pending_transfer_accounts(pqxx::work& tx, const std::set<std::string>& pending_ids);

// Locks the accounts (FOR NO KEY UPDATE, in id order: concurrent writers never deadlock) and
// returns their state. Unknown ids are simply absent. NO KEY: the lock excludes every other
// writer of the row, but not the key-share lock a foreign key check takes, so transfers that
// name a locked account still insert without waiting for its holder to commit.
AccountMap lock_accounts(pqxx::work& tx, const std::set<AccountId>& ids);

// The stored transfers with these ids (resolved fields), for idempotency checks.
std::map<std::string, TransferRequest> load_transfers(pqxx::work& tx, const std::set<std::string>& ids);

// The state of these transfers as pending transfers (open, posted, voided, or not_pending).
// REQUIRES: their accounts are locked, so the state cannot change until commit.
PendingMap load_pendings(pqxx::work& tx, const std::set<std::string>& ids);

// Inserts the transfers (resolved: accounts and amounts filled in) and writes the balances of
// `accounts`, in one statement.
void write_batch(pqxx::work& tx,
                 const std::vector<TransferRequest>& transfers,
                 const std::vector<AccountState>& accounts,
                 TimePoint now);

// The four counters summed over every account the user owns (all assets), read with the rows
// locked so a closing account cannot receive a transfer in the meantime.
AccountBalance lock_user_totals(pqxx::work& tx, const std::string& user_id);

// The current state of one account (unlocked read), or nullopt.
std::optional<AccountState> read_account(pqxx::work& tx, AccountId id);

}  // namespace gw::ledger
