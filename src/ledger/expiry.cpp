#include "ledger/expiry.hpp"

#include "core/time_text.hpp"
#include "db/prepared.hpp"
#include "db/transaction.hpp"

namespace gw::ledger {
namespace {

// The void of pending transfer P is always the same UUID: P with its version nibble set to 5
// and the first group flipped, so sweepers on several nodes submit the same transfer.
std::string void_id_for(const std::string& pending_id) {
    std::string id = pending_id;
    constexpr char kHex[] = "0123456789abcdef";
    for (std::size_t i = 0; i < 8; ++i) {
        const char c = id[i];
        const int value = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
        id[i] = kHex[15 - value];
    }
    id[14] = '5';
    return id;
}

}  // namespace

std::vector<std::string> expired_pending_transfers(pqxx::work& tx, TimePoint now, std::size_t limit) {
    std::vector<std::string> ids;
    for (const auto& row : db::exec_prepared(tx,
             "SELECT t.id FROM transfers t WHERE t.flags = 1 AND t.trade_id IS NULL "
             "AND t.timeout_at <= $1::timestamptz "
             "AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id) "
             "ORDER BY t.timeout_at LIMIT $2",
             format_rfc3339(now), static_cast<std::int64_t>(limit))) {
        ids.push_back(row[0].as<std::string>());
    }
    return ids;
}

std::size_t void_expired_pending(db::ConnectionPool& pool, LedgerWriter& writer, TimePoint now,
                                 std::size_t limit) {
    const auto expired = db::with_transaction(pool, "ledger.expiry.find", [&](pqxx::work& tx) {
        return expired_pending_transfers(tx, now, limit);
    });
    Submission voids;
    voids.atomic = false;
    for (const std::string& pending_id : expired) {
        voids.transfers.push_back(TransferRequest{void_id_for(pending_id), 0, 0, 0, TransferType::void_pending,
                                                  pending_id, std::nullopt, {}, "expiry.void"});
    }
    if (voids.transfers.empty()) {
        return 0;
    }
    std::size_t voided = 0;
    for (TransferResult result : writer.submit(std::move(voids))) {
        voided += result == TransferResult::ok ? 1 : 0;
    }
    return voided;
}

}  // namespace gw::ledger
