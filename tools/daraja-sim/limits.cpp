#include "daraja-sim/limits.hpp"

#include "daraja-sim/nairobi_time.hpp"

namespace gw::sim {

std::optional<ResultOutcome> customer_limit_breach(const std::vector<Transaction>& history,
                                                   std::string_view msisdn,
                                                   std::int64_t amount_kes,
                                                   TimePoint now) {
    if (amount_kes > kCustomerTransactionMaxKes) {
        return kResultAboveMaximum;
    }
    const std::chrono::sys_days today = nairobi_day(now);
    std::int64_t paid_today_kes = 0;
    bool same_amount_recently = false;
    for (const Transaction& t : history) {
        if (t.kind != TransactionKind::stk || t.status != TransactionStatus::completed ||
            t.msisdn != msisdn || !t.finalised_at) {
            continue;
        }
        if (nairobi_day(*t.finalised_at) == today) {
            paid_today_kes += t.amount_kes;  // bounded: at most 500,000 per completed day
        }
        if (t.amount_kes == amount_kes && now - *t.finalised_at < kSameAmountWindow &&
            now >= *t.finalised_at) {
            same_amount_recently = true;
        }
    }
    if (paid_today_kes + amount_kes > kCustomerDailyMaxKes) {
        return kResultDailyLimit;
    }
    if (same_amount_recently) {
        return kResultRuleLimited;
    }
    return std::nullopt;
}

}  // namespace gw::sim
