#include "identity/trade_limits.hpp"

#include "core/assert.hpp"
#include "core/time_text.hpp"
#include "db/prepared.hpp"
#include "db/transaction.hpp"
#include "identity/audit_store.hpp"
#include "identity/user_store.hpp"

namespace gw::identity {
namespace {

TradeLimit limit_from_row(const pqxx::row& row) {
    const auto status = parse_kyc_status(row[0].as<std::string>());
    const auto side = parse_trade_side(row[1].as<std::string>());
    GW_ASSERT(status && side, "CHECK constraints admit only known statuses and sides");
    return TradeLimit{*status, *side, Cents{row[2].as<std::int64_t>()},
                      Cents{row[3].as<std::int64_t>()}};
}

std::vector<TradeLimit> read_limits(pqxx::work& tx, const std::optional<KycStatus>& status) {
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT kyc_status, side, per_trade_cents, per_day_cents FROM trade_limits "
        "WHERE $1::text IS NULL OR kyc_status = $1 ORDER BY kyc_status, side",
        status ? std::optional<std::string>(std::string(to_string(*status))) : std::nullopt);
    std::vector<TradeLimit> limits;
    for (const auto& row : rows) {
        limits.push_back(limit_from_row(row));
    }
    return limits;
}

nlohmann::json limit_json(const TradeLimit& limit) {
    return {{"per_trade_kes", format_kes(limit.per_trade)}, {"per_day_kes", format_kes(limit.per_day)}};
}

}  // namespace

std::string_view to_string(TradeSide side) { return side == TradeSide::buy ? "buy" : "sell"; }

std::optional<TradeSide> parse_trade_side(std::string_view name) {
    if (name == "buy") {
        return TradeSide::buy;
    }
    if (name == "sell") {
        return TradeSide::sell;
    }
    return std::nullopt;
}

TradeLimits::TradeLimits(db::ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

Result<UserLimits> TradeLimits::for_user(const std::string& user_id) {
    return db::with_transaction(pool_, "limits.for_user", [&](pqxx::work& tx) -> Result<UserLimits> {
        const auto user = find_user_by_id(tx, user_id);
        if (!user || user->closed) {
            return make_error(ErrorCode::not_found, "no such account");
        }
        UserLimits limits{user->kyc_status, {}, {}};
        for (const TradeLimit& limit : read_limits(tx, user->kyc_status)) {
            (limit.side == TradeSide::buy ? limits.buy : limits.sell) = limit;
        }
        return limits;
    });
}

std::vector<TradeLimit> TradeLimits::all() {
    return db::with_transaction(pool_, "limits.all",
                                [](pqxx::work& tx) { return read_limits(tx, std::nullopt); });
}

Result<TradeLimit> TradeLimits::update(const Actor& actor, const TradeLimit& limit,
                                       const std::string& reason) {
    if (limit.per_trade.value() < 0 || limit.per_day < limit.per_trade) {
        return make_error(ErrorCode::validation_failed,
                          "per_day_kes: must be at least per_trade_kes");
    }
    return db::with_transaction(pool_, "limits.update", [&](pqxx::work& tx) -> Result<TradeLimit> {
        const pqxx::row before = db::exec_prepared1(tx,
            "SELECT kyc_status, side, per_trade_cents, per_day_cents FROM trade_limits "
            "WHERE kyc_status = $1 AND side = $2 FOR UPDATE",
            std::string(to_string(limit.kyc_status)), std::string(to_string(limit.side)));
        const TimePoint now = clock_.now();
        db::exec_prepared(tx,
            "UPDATE trade_limits SET per_trade_cents = $3, per_day_cents = $4, "
            "updated_at = $5::timestamptz WHERE kyc_status = $1 AND side = $2",
            std::string(to_string(limit.kyc_status)), std::string(to_string(limit.side)),
            limit.per_trade.value(), limit.per_day.value(), format_rfc3339(now));
        append_audit(tx, actor,
                     {"limits.update", "trade_limit",
                      std::string(to_string(limit.kyc_status)) + ":" + std::string(to_string(limit.side)),
                      limit_json(limit_from_row(before)), limit_json(limit), reason},
                     now);
        return limit;
    });
}

}  // namespace gw::identity
