#include "trading/payout_store.hpp"

#include "core/assert.hpp"
#include "core/time_text.hpp"
#include "db/prepared.hpp"

namespace gw::trading {
namespace {

constexpr const char* kPayoutColumns =
    "SELECT p.id, p.kind, p.trade_id, p.user_id, p.amount_cents, p.mode, p.status, t.phone_masked, "
    "coalesce(p.mpesa_request_id::text, ''), coalesce(p.mpesa_transaction_id, ''), "
    "coalesce(p.failure_reason, ''), p.created_at, p.updated_at "
    "FROM payouts p JOIN trades t ON t.id = p.trade_id ";

std::optional<std::string> text_or_null(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

PayoutView payout_from_row(const pqxx::row& row) {
    const auto mode = parse_payout_mode(row[5].as<std::string>());
    const auto status = parse_payout_status(row[6].as<std::string>());
    GW_ASSERT(mode && status, "the CHECK constraints admit only known modes and statuses");
    PayoutView payout;
    payout.id = row[0].as<std::string>();
    payout.kind = row[1].as<std::string>() == "refund" ? PayoutKind::refund : PayoutKind::sell;
    payout.trade_id = row[2].as<std::string>();
    payout.user_id = row[3].as<std::string>();
    payout.amount = Cents{row[4].as<std::int64_t>()};
    payout.mode = *mode;
    payout.status = *status;
    payout.phone_masked = row[7].as<std::string>();
    payout.mpesa_request_id = row[8].as<std::string>();
    payout.mpesa_transaction_id = row[9].as<std::string>();
    payout.failure_reason = row[10].as<std::string>();
    payout.created_at = time_from_pg(row[11].as<std::string>());
    payout.updated_at = time_from_pg(row[12].as<std::string>());
    return payout;
}

std::optional<PayoutView> first(const pqxx::result& rows) {
    return rows.empty() ? std::nullopt : std::optional(payout_from_row(rows[0]));
}

}  // namespace

std::string_view to_string(PayoutKind kind) {
    return kind == PayoutKind::refund ? "refund" : "sell";
}

std::string_view to_string(PayoutMode mode) {
    return mode == PayoutMode::b2c ? "b2c" : "manual";
}

std::string_view to_string(PayoutStatus status) {
    switch (status) {
        case PayoutStatus::pending:
            return "pending";
        case PayoutStatus::sent:
            return "sent";
        case PayoutStatus::completed:
            return "completed";
        case PayoutStatus::failed:
            return "failed";
    }
    return "pending";
}

std::optional<PayoutMode> parse_payout_mode(std::string_view text) {
    if (text == "b2c") {
        return PayoutMode::b2c;
    }
    if (text == "manual") {
        return PayoutMode::manual;
    }
    return std::nullopt;
}

std::optional<PayoutStatus> parse_payout_status(std::string_view text) {
    for (PayoutStatus status : {PayoutStatus::pending,
                                PayoutStatus::sent,
                                PayoutStatus::completed,
                                PayoutStatus::failed}) {
        if (to_string(status) == text) {
            return status;
        }
    }
    return std::nullopt;
}

void insert_payout(pqxx::work& tx, const PayoutView& payout) {
    db::exec_prepared0(tx,
        "INSERT INTO payouts (id, kind, trade_id, user_id, amount_cents, mode, status, created_at, "
        "updated_at) "
        "VALUES ($1::uuid, $2, $3::uuid, $4::uuid, $5, $6, $7, $8::timestamptz, $8::timestamptz)",
        payout.id,
        std::string(to_string(payout.kind)),
        payout.trade_id,
        payout.user_id,
        payout.amount.value(),
        std::string(to_string(payout.mode)),
        std::string(to_string(payout.status)),
        format_rfc3339(payout.created_at));
}

std::optional<PayoutView> select_payout(pqxx::work& tx, const std::string& payout_id, bool lock) {
    return first(db::exec_prepared(tx,
        std::string(kPayoutColumns) + "WHERE p.id = $1::uuid" + (lock ? " FOR NO KEY UPDATE OF p" : ""),
        payout_id));
}

std::optional<PayoutView> select_payout_of_trade(pqxx::work& tx,
                                                 PayoutKind kind,
                                                 const std::string& trade_id) {
    return first(db::exec_prepared(tx,
        std::string(kPayoutColumns) +
            "WHERE p.kind = $1 AND p.trade_id = $2::uuid ORDER BY p.created_at DESC, p.id "
            "LIMIT 1",
        std::string(to_string(kind)),
        trade_id));
}

void update_payout(pqxx::work& tx,
                   const std::string& payout_id,
                   const PayoutUpdate& update,
                   TimePoint at) {
    db::exec_prepared0(tx,
        "UPDATE payouts SET status = $2, mpesa_request_id = coalesce($3::uuid, mpesa_request_id), "
        "mpesa_transaction_id = coalesce($4, mpesa_transaction_id), "
        "failure_reason = coalesce($5, failure_reason), decided_by = coalesce($6::uuid, "
        "decided_by), "
        "updated_at = $7::timestamptz WHERE id = $1::uuid",
        payout_id,
        std::string(to_string(update.status)),
        text_or_null(update.mpesa_request_id),
        text_or_null(update.mpesa_transaction_id),
        text_or_null(update.failure_reason),
        text_or_null(update.decided_by),
        format_rfc3339(at));
}

std::vector<PayoutView> select_payouts(pqxx::work& tx,
                                       std::optional<PayoutStatus> status,
                                       const std::optional<PayoutCursor>& after,
                                       std::size_t limit) {
    const pqxx::result rows = db::exec_prepared(tx,
        std::string(kPayoutColumns) +
            "WHERE ($1::text IS NULL OR p.status = $1) AND ($2::timestamptz IS NULL OR "
            "(p.created_at, p.id) > ($2::timestamptz, $3::uuid)) ORDER BY p.created_at, p.id LIMIT "
            "$4",
        status ? std::optional(std::string(to_string(*status))) : std::nullopt,
        after ? std::optional(format_rfc3339(after->created_at)) : std::nullopt,
        after ? std::optional(after->id) : std::nullopt,
        static_cast<std::int64_t>(limit));
    std::vector<PayoutView> payouts;
    for (const auto& row : rows) {
        payouts.push_back(payout_from_row(row));
    }
    return payouts;
}

std::vector<OpenPayoutCount> count_open_payouts(pqxx::work& tx) {
    std::vector<OpenPayoutCount> counts;
    for (const auto& row : tx.exec("SELECT mode, status, count(*) FROM payouts WHERE status IN "
                                   "('pending', 'sent') GROUP BY 1, 2")) {
        const auto mode = parse_payout_mode(row[0].as<std::string>());
        const auto status = parse_payout_status(row[1].as<std::string>());
        GW_ASSERT(mode.has_value(), "a CHECK constraint admits only known words");
        GW_ASSERT(status.has_value(), "a CHECK constraint admits only known words");
        counts.push_back({*mode, *status, row[2].as<std::int64_t>()});
    }
    return counts;
}

bool transaction_id_used(pqxx::work& tx, const std::string& mpesa_transaction_id) {
    return db::exec_prepared1(tx, "SELECT EXISTS (SELECT 1 FROM payouts WHERE mpesa_transaction_id = $1)",
                      mpesa_transaction_id)[0]
        .as<bool>();
}

std::vector<std::string> claim_stale_b2c_payouts(pqxx::work& tx,
                                                 TimePoint created_before,
                                                 TimePoint now,
                                                 TimePoint next_check_at,
                                                 std::size_t limit) {
    std::vector<std::string> ids;
    for (const auto& row : db::exec_prepared(tx,
             "UPDATE payouts p SET next_check_at = $3::timestamptz FROM ("
             "  SELECT id FROM payouts WHERE mode = 'b2c' AND status IN ('pending', 'sent')"
             "    AND created_at < $1::timestamptz"
             "    AND (next_check_at IS NULL OR next_check_at <= $2::timestamptz)"
             "  ORDER BY created_at, id LIMIT $4 FOR UPDATE SKIP LOCKED"
             ") d WHERE p.id = d.id RETURNING p.id::text",
             format_rfc3339(created_before),
             format_rfc3339(now),
             format_rfc3339(next_check_at),
             static_cast<std::int64_t>(limit))) {
        ids.push_back(row[0].as<std::string>());
    }
    return ids;
}

std::vector<PayoutView> select_stale_payouts(pqxx::work& tx,
                                             TimePoint b2c_created_before,
                                             TimePoint manual_created_before) {
    std::vector<PayoutView> payouts;
    for (const auto& row : db::exec_prepared(tx,
             std::string(kPayoutColumns) +
                 "WHERE (p.mode = 'b2c' AND p.status IN ('pending', 'sent') "
                 "       AND p.created_at < $1::timestamptz) "
                 "   OR (p.mode = 'manual' AND p.status = 'pending' AND p.created_at < $2::timestamptz) "
                 "ORDER BY p.created_at, p.id",
             format_rfc3339(b2c_created_before),
             format_rfc3339(manual_created_before))) {
        payouts.push_back(payout_from_row(row));
    }
    return payouts;
}

}  // namespace gw::trading
