#pragma once

// Trade limits by KYC status: the most a user may buy or sell in one trade and in a rolling
// 24 hours, in KES. Stored in PostgreSQL, changed by admins (audited), read by trading.
// Thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/money.hpp"
#include "db/pool.hpp"
#include "identity/actor.hpp"
#include "identity/kyc_status.hpp"

namespace gw::identity {

enum class TradeSide { buy, sell };

std::string_view to_string(TradeSide side);
std::optional<TradeSide> parse_trade_side(std::string_view name);

struct TradeLimit {
    KycStatus kyc_status = KycStatus::pending;
    TradeSide side = TradeSide::buy;
    Cents per_trade;
    Cents per_day;
};

struct UserLimits {
    KycStatus kyc_status = KycStatus::pending;
    TradeLimit buy;
    TradeLimit sell;
};

class TradeLimits {
public:
    // REQUIRES: `pool` and `clock` outlive this object.
    TradeLimits(db::ConnectionPool& pool, const Clock& clock);

    // The limits that apply to the user now. Error: not_found for an unknown or closed account.
    Result<UserLimits> for_user(const std::string& user_id);

    // Every configured limit, by KYC status then side.
    std::vector<TradeLimit> all();

    // Sets one limit (audited `limits.update` with before/after).
    // Errors: validation_failed when per_day < per_trade or an amount is negative.
    Result<TradeLimit> update(const Actor& actor, const TradeLimit& limit, const std::string& reason);

private:
    db::ConnectionPool& pool_;
    const Clock& clock_;
};

}  // namespace gw::identity
