#include "trading/allocation.hpp"

#include <algorithm>
#include <limits>

#include "core/assert.hpp"

namespace gw::trading {

std::vector<Allocation> allocate(const std::vector<PoolSupply>& pools, Micrograms wanted) {
    GW_ASSERT(wanted.value() > 0, "a buy wants some gold");
    std::vector<Allocation> allocations;
    std::int64_t missing = wanted.value();
    for (const PoolSupply& pool : pools) {
        if (missing == 0) {
            break;
        }
        const std::int64_t taken = std::min(missing, pool.available.value());
        if (taken > 0) {
            allocations.push_back({pool.pool_id, pool.account_id, Micrograms{taken}});
            missing -= taken;
        }
    }
    if (missing > 0) {
        return {};
    }
    return allocations;
}

Micrograms total_available(const std::vector<PoolSupply>& pools) {
    std::int64_t total = 0;
    for (const PoolSupply& pool : pools) {
        const std::int64_t available = std::max<std::int64_t>(pool.available.value(), 0);
        total = available > std::numeric_limits<std::int64_t>::max() - total
                    ? std::numeric_limits<std::int64_t>::max()
                    : total + available;
    }
    return Micrograms{total};
}

}  // namespace gw::trading
