#pragma once

// Ledger accounts, as in TigerBeetle: four monotonic counters, and flags that forbid an account
// from going negative. Balances are derived: for a gold account that holds (a pool, a user's
// share of a pool), available = credits_posted − debits_posted − debits_pending.

#include <cstdint>

#include "ledger/asset.hpp"

namespace gw::ledger {

using AccountId = std::int64_t;

// Flags as stored in accounts.flags (a bit set; the CHECK constraints read the same bits).
inline constexpr std::uint32_t kDebitsMustNotExceedCredits = 1;  // no overdraft
inline constexpr std::uint32_t kCreditsMustNotExceedDebits = 2;  // no negative liability

struct AccountBalance {
    std::int64_t debits_pending = 0;
    std::int64_t debits_posted = 0;
    std::int64_t credits_pending = 0;
    std::int64_t credits_posted = 0;

    friend bool operator==(const AccountBalance&, const AccountBalance&) = default;
};

struct AccountState {
    AccountId id = 0;
    Asset asset = Asset::xau_ug;
    std::uint32_t flags = 0;
    AccountBalance balance;
};

}  // namespace gw::ledger
