#pragma once

// Allocation of a buy's gold over pools (DESIGN §5): first-in first-out over the pools that are
// not retired, in the admin's priority order, so one buy may span several pools. Pure: the buy
// flow reads the pools' available gold with their ledger accounts locked and asks here.

#include <string>
#include <vector>

#include "core/money.hpp"

namespace gw::trading {

// A pool as allocation sees it, in allocation order (priority, then age).
struct PoolSupply {
    std::string pool_id;
    std::int64_t account_id = 0;
    Micrograms available;  // >= 0
};

struct Allocation {
    std::string pool_id;
    std::int64_t account_id = 0;
    Micrograms grams;  // > 0
};

// Takes `wanted` from `pools` in order, each pool giving what it has until the buy is filled.
// Returns the allocations (pools giving nothing are left out), or an empty vector when the
// pools together hold less than `wanted`. REQUIRES: wanted > 0.
std::vector<Allocation> allocate(const std::vector<PoolSupply>& pools, Micrograms wanted);

// The gold the pools hold together, saturating at INT64_MAX micrograms.
Micrograms total_available(const std::vector<PoolSupply>& pools);

}  // namespace gw::trading
