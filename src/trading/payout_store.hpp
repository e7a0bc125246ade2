#pragma once

// Payouts: money paid to a user by M-Pesa — a sell's proceeds, or the refund of a payment that
// arrived after its buy was voided — and the SQL of the payouts table
// (migrations/0008_payouts_notifications.sql). Every function REQUIRES being called inside a
// database transaction.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

#include "core/clock.hpp"
#include "core/money.hpp"

namespace gw::trading {

// M-Pesa pays out KES 10–250,000 in one B2C payment (DARAJA.md §6).
inline constexpr Cents kPayoutMin{10 * kCentsPerShilling};
inline constexpr Cents kPayoutMax{250'000 * kCentsPerShilling};

enum class PayoutKind { sell, refund };
// b2c: the outbox worker pays by B2C and M-Pesa's Result settles it; manual: an admin pays it
// by hand and records the M-Pesa transaction id (GOLDWALLET_PAYOUT_MODE).
enum class PayoutMode { b2c, manual };
// pending -> sent (B2C accepted) -> completed | failed; manual: pending -> completed | failed.
enum class PayoutStatus { pending, sent, completed, failed };

std::string_view to_string(PayoutKind kind);
std::string_view to_string(PayoutMode mode);
std::string_view to_string(PayoutStatus status);
std::optional<PayoutMode> parse_payout_mode(std::string_view text);
std::optional<PayoutStatus> parse_payout_status(std::string_view text);

struct PayoutView {
    std::string id;
    PayoutKind kind = PayoutKind::sell;
    std::string trade_id;
    std::string user_id;
    Cents amount;
    PayoutMode mode = PayoutMode::manual;
    PayoutStatus status = PayoutStatus::pending;
    std::string phone_masked;  // the trade's
    std::string mpesa_request_id;
    std::string mpesa_transaction_id;
    std::string failure_reason;
    TimePoint created_at;
    TimePoint updated_at;
};

// Stores a new payout (status pending). Its id, and its kind with its trade, are unique.
void insert_payout(pqxx::work& tx, const PayoutView& payout);

// Whether a payout was already completed with this M-Pesa transaction id (one M-Pesa payment
// pays one payout).
bool transaction_id_used(pqxx::work& tx, const std::string& mpesa_transaction_id);

// `lock` takes the row FOR NO KEY UPDATE (settlements serialize on it).
std::optional<PayoutView> select_payout(pqxx::work& tx, const std::string& payout_id, bool lock);
// The newest payout of `kind` for `trade_id` (not locked), or nullopt when the trade has none.
// (A sell has one payout; a refund that B2C could not pay is followed by a manual one.)
std::optional<PayoutView> select_payout_of_trade(pqxx::work& tx,
                                                 PayoutKind kind,
                                                 const std::string& trade_id);

// Moves the payout to `status` with what is known; REQUIRES it is not final (the trigger
// refuses otherwise).
struct PayoutUpdate {
    PayoutStatus status = PayoutStatus::pending;
    std::string mpesa_request_id;
    std::string mpesa_transaction_id;
    std::string failure_reason;
    std::string decided_by;  // the admin, for a manual decision
};
void update_payout(pqxx::work& tx,
                   const std::string& payout_id,
                   const PayoutUpdate& update,
                   TimePoint at);

// Up to `limit` payouts, oldest first (a queue), with `status` when given, strictly after
// `after` (created_at, id).
struct PayoutCursor {
    TimePoint created_at;
    std::string id;
};
std::vector<PayoutView> select_payouts(pqxx::work& tx,
                                       std::optional<PayoutStatus> status,
                                       const std::optional<PayoutCursor>& after,
                                       std::size_t limit);

// How many payouts are not final yet (pending or sent), by mode and status (the
// goldwallet_payouts_open gauge).
struct OpenPayoutCount {
    PayoutMode mode = PayoutMode::manual;
    PayoutStatus status = PayoutStatus::pending;
    std::int64_t count = 0;
};
std::vector<OpenPayoutCount> count_open_payouts(pqxx::work& tx);

// Claims up to `limit` B2C payouts still pending or sent that were created before
// `created_before` and are due for a check at `now` (oldest first, skipping rows another
// sweeper holds): their next check moves to `next_check_at`. Returns their ids.
std::vector<std::string> claim_stale_b2c_payouts(pqxx::work& tx,
                                                 TimePoint created_before,
                                                 TimePoint now,
                                                 TimePoint next_check_at,
                                                 std::size_t limit);

// Payouts nobody has settled in time, oldest first: B2C ones still pending or sent that were
// created before `b2c_created_before`, and manual ones still in the admin queue that were
// created before `manual_created_before`.
std::vector<PayoutView> select_stale_payouts(pqxx::work& tx,
                                             TimePoint b2c_created_before,
                                             TimePoint manual_created_before);

}  // namespace gw::trading
