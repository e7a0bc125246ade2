#include "trading/adjustment_store.hpp"

#include <nlohmann/json.hpp>

#include "core/time_text.hpp"
#include "db/prepared.hpp"

namespace gw::trading {
namespace {

std::string transfers_json(const std::vector<AdjustmentTransfer>& transfers) {
    nlohmann::json list = nlohmann::json::array();
    for (const AdjustmentTransfer& transfer : transfers) {
        list.push_back({{"pool_id", transfer.pool_id},
                        {"grams_ug", transfer.grams.value()},
                        {"transfer_id", transfer.transfer_id}});
    }
    return list.dump();
}

std::vector<AdjustmentTransfer> parse_transfers(const std::string& text) {
    std::vector<AdjustmentTransfer> transfers;
    for (const nlohmann::json& transfer : nlohmann::json::parse(text)) {
        transfers.push_back({transfer.at("pool_id").get<std::string>(),
                             Micrograms{transfer.at("grams_ug").get<std::int64_t>()},
                             transfer.at("transfer_id").get<std::string>()});
    }
    return transfers;
}

}  // namespace

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

void insert_adjustment(pqxx::work& tx, const AdjustmentView& adjustment, const AdjustmentKey& key) {
    db::exec_prepared0(tx,
        "INSERT INTO adjustments (id, user_id, direction, grams_ug, reason, admin_id, created_at, "
        "idempotency_key, request_hash, transfers) VALUES ($1::uuid, $2::uuid, $3, $4, $5, "
        "$6::uuid, $7::timestamptz, $8, decode($9, 'hex'), $10::jsonb)",
        adjustment.id,
        adjustment.user_id,
        std::string(to_string(adjustment.direction)),
        adjustment.grams.value(),
        adjustment.reason,
        key.admin_id,
        format_rfc3339(adjustment.created_at),
        key.idempotency_key,
        key.request_hash_hex,
        transfers_json(adjustment.transfers));
}

void lock_adjustment_key(pqxx::work& tx, const AdjustmentKey& key) {
    db::exec_prepared(tx,
        "SELECT pg_advisory_xact_lock(hashtextextended('gw.adjustment:' || $1 || ':' || $2, 0))",
        key.admin_id, key.idempotency_key);
}

std::optional<KeyedAdjustment> find_keyed_adjustment(pqxx::work& tx, const AdjustmentKey& key) {
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT encode(request_hash, 'hex'), id, user_id, direction, grams_ug, reason, "
        "transfers::text, created_at FROM adjustments "
        "WHERE admin_id = $1::uuid AND idempotency_key = $2",
        key.admin_id, key.idempotency_key);
    if (rows.empty()) {
        return std::nullopt;
    }
    const pqxx::row row = rows[0];
    return KeyedAdjustment{row[0].as<std::string>(),
                           AdjustmentView{row[1].as<std::string>(),
                                          row[2].as<std::string>(),
                                          parse_adjustment_direction(row[3].as<std::string>()).value(),
                                          Micrograms{row[4].as<std::int64_t>()},
                                          row[5].as<std::string>(),
                                          parse_transfers(row[6].as<std::string>()),
                                          time_from_pg(row[7].as<std::string>())}};
}

}  // namespace gw::trading
