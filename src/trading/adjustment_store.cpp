#include "trading/adjustment_store.hpp"

#include "core/time_text.hpp"
#include "db/prepared.hpp"

namespace gw::trading {

std::string_view to_string(AdjustmentDirection direction) {
    switch (direction) {
        case AdjustmentDirection::credit:
            return "credit";
        case AdjustmentDirection::debit:
            return "debit";
    }
    return "credit";
}

std::optional<AdjustmentDirection> parse_adjustment_direction(std::string_view text) {
    if (text == "credit") {
        return AdjustmentDirection::credit;
    }
    if (text == "debit") {
        return AdjustmentDirection::debit;
    }
    return std::nullopt;
}

bool lock_open_user(pqxx::work& tx, const std::string& user_id) {
    return !db::exec_prepared(tx,
                  "SELECT 1 FROM users WHERE id = $1::uuid AND closed_at IS NULL FOR NO KEY UPDATE",
                  user_id)
                .empty();
}

void insert_adjustment(pqxx::work& tx, const NewAdjustment& adjustment) {
    db::exec_prepared0(tx,
        "INSERT INTO adjustments (id, user_id, direction, grams_ug, reason, admin_id, created_at) "
        "VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::uuid, $7::timestamptz)",
        adjustment.id,
        adjustment.user_id,
        std::string(to_string(adjustment.direction)),
        adjustment.grams.value(),
        adjustment.reason,
        adjustment.admin_id,
        format_rfc3339(adjustment.created_at));
}

}  // namespace gw::trading
