#pragma once

// Read-only SQL of the whole gold ledger for staff (admin, treasury): every XAU_UG transfer,
// pending, single-phase and resolutions alike, with optional filters. Unlike
// ledger_read_store's user view, nothing is folded: a post or void is a row of its own, with
// status "resolution", and the pending transfer it resolves shows as posted or voided.
// Every function REQUIRES being called inside a database transaction.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

#include "core/clock.hpp"
#include "core/money.hpp"
#include "ledger/ledger_read_store.hpp"

namespace gw::ledger {

// The state of one transfer as staff see it: single-phase ones are posted; a pending one is
// pending until a post (posted) or void (voided) resolves it; the post or void itself is a
// resolution.
enum class TransferStatus { posted, pending, voided, resolution };

std::string_view to_string(TransferStatus status);
// Returns nullopt for anything but the four wire names.
std::optional<TransferStatus> parse_transfer_status(std::string_view text);

// Filters that combine with AND; an absent one matches everything.
struct AdminLedgerFilter {
    std::optional<std::string> user_id;  // canonical UUID: transfers touching any of their accounts
    std::optional<std::string> kind;     // exact match, e.g. "buy.reserve"
    std::optional<TransferStatus> status;
    std::optional<TimePoint> from;  // created_at >= from
    std::optional<TimePoint> to;    // created_at < to
};

struct AdminLedgerEntry {
    std::string transfer_id;
    TimePoint created_at;
    std::string kind;
    std::string debit_account;   // the account's code, e.g. "pool:<id>"
    std::string credit_account;  // e.g. "user:<user>:pool:<pool>"
    Micrograms amount;           // > 0
    TransferStatus status = TransferStatus::posted;
    std::string pending_id;  // the resolved pending transfer (resolutions only), else empty
    std::string trade_id;    // empty when the transfer belongs to no trade
    std::string user_id;     // owner of the user account touched, else empty
    std::string pool_id;     // pool of the accounts touched, else empty (vault top-ups have one)
};

// Up to `limit` transfers matching `filter`, newest first (created_at, then id, descending),
// strictly after `before` when given. Reuses the user ledger's cursor type.
// REQUIRES: filter.user_id and before->transfer_id, when set, are canonical UUIDs; 1 <= limit.
std::vector<AdminLedgerEntry> read_admin_ledger(pqxx::work& tx,
                                                const AdminLedgerFilter& filter,
                                                const std::optional<LedgerCursor>& before,
                                                std::size_t limit);

}  // namespace gw::ledger
