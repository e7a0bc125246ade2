#include "trading/trade_checks.hpp"

#include "db/migrate.hpp"

namespace gw::trading {
namespace {

constexpr auto kLimitWindow = std::chrono::hours(24);

}  // namespace

Result<void> check_trade_limits(pqxx::work& tx,
                                const std::string& user_id,
                                identity::TradeSide side,
                                const TraderLimits& limits,
                                Cents amount,
                                TimePoint now) {
    const std::string side_name(identity::to_string(side));
    if (limits.per_trade.value() == 0) {
        return make_error(ErrorCode::kyc_required,
                          "your identity verification was not accepted; upload "
                          "your documents again to trade");
    }
    if (amount > limits.per_trade) {
        return make_error(
            ErrorCode::trade_limit_exceeded,
            "the most one " + side_name + " may be is KES " + format_kes(limits.per_trade));
    }
    const Cents today = traded_since(tx, user_id, side, now - kLimitWindow);
    if (today.value() + amount.value() > limits.per_day.value()) {
        return make_error(ErrorCode::trade_limit_exceeded,
                          "this " + side_name + " would take your last 24 hours above KES " +
                              format_kes(limits.per_day) + " (KES " + format_kes(today) +
                              " so far)");
    }
    return {};
}

Result<std::optional<std::string>> find_replay(pqxx::work& tx,
                                               const std::string& user_id,
                                               const std::string& idempotency_key,
                                               const std::string& request_hash_hex) {
    const auto keyed = find_keyed_trade(tx, user_id, idempotency_key);
    if (!keyed) {
        return std::optional<std::string>();
    }
    if (keyed->request_hash_hex != request_hash_hex) {
        return make_error(ErrorCode::idempotency_key_reused,
                          "this Idempotency-Key was used with a different request");
    }
    return std::optional<std::string>(keyed->trade_id);
}

std::string request_fingerprint(std::string_view canonical_request) {
    return db::sha256_hex(canonical_request);
}

}  // namespace gw::trading
