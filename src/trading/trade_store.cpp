#include "trading/trade_store.hpp"

#include <set>

#include <nlohmann/json.hpp>

#include "core/assert.hpp"
#include "core/time_text.hpp"
#include "db/prepared.hpp"
#include "db/transaction.hpp"
#include "identity/hex.hpp"
#include "ledger/ledger_store.hpp"

namespace gw::trading {
namespace {

// The trade's status: its latest event that is a state, as the trade_status view defines it.
// Joined laterally on the trade row in hand rather than through the view, which joins trades a
// second time: a plan made once for a prepared statement may then scan every trade to filter
// one user's (the 24-hour total did, 13 ms a buy for a user with 500 trades that day).
#define GW_TRADE_STATE_OF(trade_id)                                                     \
    "JOIN LATERAL (SELECT status, reason, receipt, created_at AS updated_at "           \
    "FROM trade_events WHERE trade_id = " trade_id " AND status <> 'late_payment' "     \
    "ORDER BY id DESC LIMIT 1) s ON true "

// The trade, its status and (column 16) its allocations in pool order as a JSON array of
// [pool_id, grams_ug, transfer_id]: one statement per trade, or per page of trades.
constexpr const char* kTradeColumns =
    "t.id, t.user_id, t.side, s.status, coalesce(s.reason, ''), coalesce(s.receipt, ''), "
    "t.quote_id, t.price_id, t.price_per_gram_cents, t.grams_ug, t.amount_cents, t.partial, "
    "t.phone_masked, t.payment_due_at, t.created_at, s.updated_at, "
    "coalesce((SELECT json_agg(json_build_array(a.pool_id, a.grams_ug, a.transfer_id) "
    "ORDER BY p.priority, p.created_at, p.id) FROM allocations a JOIN gold_pools p ON p.id = a.pool_id "
    "WHERE a.trade_id = t.id), '[]') "
    "FROM trades t " GW_TRADE_STATE_OF("t.id");

std::vector<TradeAllocation> allocations_from_json(const std::string& text) {
    std::vector<TradeAllocation> allocations;
    for (const nlohmann::json& item : nlohmann::json::parse(text)) {
        allocations.push_back({item.at(0).get<std::string>(), Micrograms{item.at(1).get<std::int64_t>()},
                               item.at(2).get<std::string>()});
    }
    return allocations;
}

TradeView trade_from_row(const pqxx::row& row) {
    const auto side = identity::parse_trade_side(row[2].as<std::string>());
    const auto status = parse_trade_status(row[3].as<std::string>());
    GW_ASSERT(side.has_value(), "the CHECK constraint admits only buy and sell");
    GW_ASSERT(status.has_value(), "trade_status never shows late_payment");
    TradeView trade;
    trade.id = row[0].as<std::string>();
    trade.user_id = row[1].as<std::string>();
    trade.side = *side;
    trade.status = *status;
    trade.reason = row[4].as<std::string>();
    trade.receipt = row[5].as<std::string>();
    if (!row[6].is_null()) {
        trade.quote_id = row[6].as<std::string>();
    }
    trade.price_id = row[7].as<std::int64_t>();
    trade.price_per_gram = PricePerGram{row[8].as<std::int64_t>()};
    trade.grams = Micrograms{row[9].as<std::int64_t>()};
    trade.amount = Cents{row[10].as<std::int64_t>()};
    trade.partial = row[11].as<bool>();
    trade.phone_masked = row[12].as<std::string>();
    trade.payment_due_at = time_from_pg(row[13].as<std::string>());
    trade.created_at = time_from_pg(row[14].as<std::string>());
    trade.updated_at = time_from_pg(row[15].as<std::string>());
    trade.allocations = allocations_from_json(row[16].as<std::string>());
    return trade;
}

}  // namespace

std::optional<TraderLimits> lock_trader(pqxx::work& tx, const std::string& user_id, identity::TradeSide side) {
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT l.per_trade_cents, l.per_day_cents FROM users u "
        "JOIN trade_limits l ON l.kyc_status = u.kyc_status AND l.side = $2 "
        "WHERE u.id = $1::uuid AND u.closed_at IS NULL FOR NO KEY UPDATE OF u",
        user_id, std::string(identity::to_string(side)));
    if (rows.empty()) {
        return std::nullopt;
    }
    return TraderLimits{Cents{rows[0][0].as<std::int64_t>()}, Cents{rows[0][1].as<std::int64_t>()}};
}

Cents traded_since(pqxx::work& tx, const std::string& user_id, identity::TradeSide side, TimePoint since) {
    const pqxx::row row = db::exec_prepared1(tx,
        "SELECT coalesce(sum(t.amount_cents), 0)::bigint FROM trades t " GW_TRADE_STATE_OF("t.id")
        "WHERE t.user_id = $1::uuid AND t.side = $2 AND t.created_at > $3::timestamptz "
        "AND s.status <> 'failed'",
        user_id, std::string(identity::to_string(side)), format_rfc3339(since));
    return Cents{row[0].as<std::int64_t>()};
}

std::optional<KeyedTrade> find_keyed_trade(pqxx::work& tx, const std::string& user_id, const std::string& key) {
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT id, encode(request_hash, 'hex') FROM trades "
        "WHERE user_id = $1::uuid AND idempotency_key = $2",
        user_id, key);
    if (rows.empty()) {
        return std::nullopt;
    }
    return KeyedTrade{rows[0][0].as<std::string>(), rows[0][1].as<std::string>()};
}

bool quote_taken(pqxx::work& tx, const std::string& quote_id) {
    return !db::exec_prepared(tx, "SELECT 1 FROM trades WHERE quote_id = $1::uuid", quote_id).empty();
}

std::vector<PoolSupply> read_pool_supply(pqxx::work& tx) {
    // FOR SHARE OF p: a pool cannot be retired while a buy draws on it. The accounts are read,
    // not locked: the ledger writer that reserves the allocation locks them and checks again.
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT p.id, p.account_id, a.credits_posted - a.debits_posted - a.debits_pending "
        "FROM gold_pools p JOIN accounts a ON a.id = p.account_id WHERE p.retired_at IS NULL "
        "ORDER BY p.priority, p.created_at, p.id FOR SHARE OF p");
    std::vector<PoolSupply> supply;
    for (const auto& row : rows) {
        supply.push_back({row[0].as<std::string>(), row[1].as<ledger::AccountId>(),
                          Micrograms{row[2].as<std::int64_t>()}});
    }
    return supply;
}

std::vector<PoolSupply> lock_pool_supply(pqxx::work& tx, const std::string& user_id) {
    // FOR SHARE: a pool cannot be retired while a buy draws on it.
    const pqxx::result pools = db::exec_prepared(tx,
        "SELECT id, account_id FROM gold_pools WHERE retired_at IS NULL "
        "ORDER BY priority, created_at, id FOR SHARE");
    std::set<ledger::AccountId> to_lock;
    for (const auto& row : pools) {
        to_lock.insert(row[1].as<ledger::AccountId>());
    }
    for (const auto& row : db::exec_prepared(tx, "SELECT id FROM accounts WHERE owner_user_id = $1::uuid", user_id)) {
        to_lock.insert(row[0].as<ledger::AccountId>());
    }
    const ledger::AccountMap locked = ledger::lock_accounts(tx, to_lock);
    std::vector<PoolSupply> supply;
    for (const auto& row : pools) {
        const ledger::AccountId account = row[1].as<ledger::AccountId>();
        const ledger::AccountBalance& balance = locked.at(account).balance;
        supply.push_back({row[0].as<std::string>(), account,
                          Micrograms{balance.credits_posted - balance.debits_posted - balance.debits_pending}});
    }
    return supply;
}

std::vector<Holding> lock_user_holdings(pqxx::work& tx, const std::string& user_id) {
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT p.id, p.account_id, a.id FROM accounts a JOIN gold_pools p ON p.id = a.pool_id "
        "WHERE a.owner_user_id = $1::uuid AND a.asset = 'XAU_UG' ORDER BY p.priority, p.created_at, p.id",
        user_id);
    std::set<ledger::AccountId> to_lock;
    for (const auto& row : rows) {
        to_lock.insert(row[1].as<ledger::AccountId>());
        to_lock.insert(row[2].as<ledger::AccountId>());
    }
    const ledger::AccountMap locked = ledger::lock_accounts(tx, to_lock);
    std::vector<Holding> holdings;
    for (const auto& row : rows) {
        const ledger::AccountId user_account = row[2].as<ledger::AccountId>();
        const ledger::AccountBalance& balance = locked.at(user_account).balance;
        holdings.push_back({row[0].as<std::string>(), row[1].as<ledger::AccountId>(), user_account,
                            Micrograms{balance.credits_posted - balance.debits_posted - balance.debits_pending}});
    }
    return holdings;
}

std::int64_t ensure_user_gold_account(pqxx::work& tx, const std::string& user_id, const std::string& pool_id,
                                      TimePoint now) {
    return ledger::ensure_account(tx,
                                  {"user:" + user_id + ":pool:" + pool_id, ledger::Asset::xau_ug,
                                   ledger::kDebitsMustNotExceedCredits, user_id, pool_id},
                                  now);
}

void insert_trade(pqxx::work& tx, const NewTrade& trade) {
    const TradeView& t = trade.terms;
    db::exec_prepared0(tx,
        "INSERT INTO trades (id, user_id, side, idempotency_key, request_hash, quote_id, price_id, "
        "price_per_gram_cents, grams_ug, amount_cents, phone_masked, phone_key_id, phone_sealed, "
        "partial, payment_due_at, created_at) VALUES ($1::uuid, $2::uuid, $3, $4, decode($5, 'hex'), "
        "$6::uuid, $7, $8, $9, $10, $11, $12, decode($13, 'hex'), $14, $15::timestamptz, "
        "$16::timestamptz)",
        t.id, t.user_id, std::string(identity::to_string(t.side)), trade.idempotency_key,
        trade.request_hash_hex, t.quote_id, t.price_id, t.price_per_gram.value(),
        t.grams.value(), t.amount.value(), t.phone_masked, static_cast<std::int64_t>(trade.phone.key_id),
        identity::to_hex(trade.phone.bytes), t.partial, format_rfc3339(t.payment_due_at),
        format_rfc3339(t.created_at));
    db::exec_prepared0(tx, "INSERT INTO open_trades (trade_id, due_at, next_check_at) "
                    "VALUES ($1::uuid, $2::timestamptz, $2::timestamptz)",
                    t.id, format_rfc3339(t.payment_due_at));
}

void insert_allocations(pqxx::work& tx, const std::string& trade_id,
                        const std::vector<TradeAllocation>& allocations) {
    for (const TradeAllocation& allocation : allocations) {
        db::exec_prepared0(tx,
            "INSERT INTO allocations (trade_id, pool_id, grams_ug, transfer_id) "
            "VALUES ($1::uuid, $2::uuid, $3, $4::uuid)",
            trade_id, allocation.pool_id, allocation.grams.value(), allocation.transfer_id);
    }
}

void insert_trade_event(pqxx::work& tx, const std::string& trade_id, const TradeEvent& event, TimePoint at) {
    auto optional = [](const std::string& text) { return text.empty() ? std::nullopt : std::optional(text); };
    db::exec_prepared0(tx,
        "INSERT INTO trade_events (trade_id, status, reason, mpesa_request_id, receipt, created_at) "
        "VALUES ($1::uuid, $2, $3, $4::uuid, $5, $6::timestamptz)",
        trade_id, std::string(to_string(event.status)), optional(event.reason), optional(event.mpesa_request_id),
        optional(event.receipt), format_rfc3339(at));
    if (!is_open(event.status)) {
        db::exec_prepared0(tx, "DELETE FROM open_trades WHERE trade_id = $1::uuid", trade_id);
        db::notify_on_commit(tx, std::string(kTradeEndedChannel), trade_id);
    }
}

bool late_payment_known(pqxx::work& tx, const std::string& receipt) {
    return !db::exec_prepared(tx, "SELECT 1 FROM trade_events WHERE status = 'late_payment' AND receipt = $1", receipt)
                .empty();
}

void insert_late_payment(pqxx::work& tx, const std::string& trade_id, const std::string& mpesa_request_id,
                         const std::string& receipt, const std::string& detail, TimePoint at) {
    db::exec_prepared0(tx,
        "INSERT INTO trade_events (trade_id, status, reason, mpesa_request_id, receipt, created_at) "
        "VALUES ($1::uuid, 'late_payment', $2, $3::uuid, $4, $5::timestamptz)",
        trade_id, detail, mpesa_request_id, receipt, format_rfc3339(at));
}

std::optional<TradeView> read_trade(pqxx::transaction_base& tx, const std::string& trade_id) {
    const pqxx::result rows =
        db::exec_prepared(tx, std::string("SELECT ") + kTradeColumns + "WHERE t.id = $1::uuid", trade_id);
    if (rows.empty()) {
        return std::nullopt;
    }
    return trade_from_row(rows[0]);
}

std::optional<TradeView> select_trade(pqxx::work& tx, const std::string& trade_id, bool lock) {
    if (lock && db::exec_prepared(tx, "SELECT 1 FROM trades WHERE id = $1::uuid FOR NO KEY UPDATE", trade_id).empty()) {
        return std::nullopt;
    }
    return read_trade(tx, trade_id);
}

std::optional<TradeView> select_trade_as_placed(pqxx::work& tx, const std::string& trade_id) {
    auto trade = select_trade(tx, trade_id, false);
    if (!trade) {
        return std::nullopt;
    }
    const pqxx::row first = db::exec_prepared1(tx,
        // The events the placing transaction wrote carry its transaction id (xmin), as the trade
        // row does; later events, even at the same instant, were written by others.
        "SELECT e.status, coalesce(e.reason, ''), coalesce(e.receipt, '') FROM trade_events e "
        "JOIN trades t ON t.id = e.trade_id WHERE e.trade_id = $1::uuid AND e.xmin = t.xmin "
        "AND e.status <> 'late_payment' ORDER BY e.id DESC LIMIT 1",
        trade_id);
    const auto status = parse_trade_status(first[0].as<std::string>());
    GW_ASSERT(status.has_value(), "late_payment rows are filtered out");
    trade->status = *status;
    trade->reason = first[1].as<std::string>();
    trade->receipt = first[2].as<std::string>();
    trade->updated_at = trade->created_at;
    return trade;
}

identity::SealedField select_trade_phone(pqxx::work& tx, const std::string& trade_id) {
    const pqxx::row row =
        db::exec_prepared1(tx, "SELECT phone_key_id, encode(phone_sealed, 'hex') FROM trades WHERE id = $1::uuid",
                        trade_id);
    return {row[0].as<std::uint32_t>(), identity::from_hex(row[1].as<std::string>())};
}

std::vector<TradeView> select_user_trades(pqxx::transaction_base& tx, const std::string& user_id,
                                          const std::optional<TradeCursor>& before, std::size_t limit) {
    const pqxx::result rows = db::exec_prepared(tx,
        std::string("SELECT ") + kTradeColumns +
            "WHERE t.user_id = $1::uuid AND ($2::timestamptz IS NULL OR (t.created_at, t.id) < "
            "($2::timestamptz, $3::uuid)) ORDER BY t.created_at DESC, t.id DESC LIMIT $4",
        user_id, before ? std::optional(format_rfc3339(before->created_at)) : std::nullopt,
        before ? std::optional(before->id) : std::nullopt, static_cast<std::int64_t>(limit));
    std::vector<TradeView> trades;
    for (const auto& row : rows) {
        trades.push_back(trade_from_row(row));
    }
    return trades;
}

std::vector<std::string> claim_due_buys(pqxx::work& tx, TimePoint now, TimePoint hold_until, std::size_t limit) {
    std::vector<std::string> ids;
    for (const auto& row : db::exec_prepared(tx,
             "UPDATE open_trades o SET next_check_at = $2::timestamptz FROM ("
             "  SELECT d.trade_id FROM open_trades d JOIN trades t ON t.id = d.trade_id AND t.side = 'buy' "
             "  WHERE d.next_check_at <= $1::timestamptz ORDER BY d.next_check_at LIMIT $3 "
             "  FOR UPDATE OF d SKIP LOCKED) due "
             "WHERE o.trade_id = due.trade_id RETURNING o.trade_id",
             format_rfc3339(now), format_rfc3339(hold_until), static_cast<std::int64_t>(limit))) {
        ids.push_back(row[0].as<std::string>());
    }
    return ids;
}

void postpone_open_trade(pqxx::work& tx, const std::string& trade_id, TimePoint next_check_at) {
    db::exec_prepared0(tx, "UPDATE open_trades SET next_check_at = $2::timestamptz WHERE trade_id = $1::uuid", trade_id,
                    format_rfc3339(next_check_at));
}

std::vector<OpenTradeCount> count_open_trades(pqxx::work& tx) {
    std::vector<OpenTradeCount> counts;
    for (const auto& row : tx.exec(
             "SELECT t.side, s.status, count(*) FROM open_trades o JOIN trades t ON t.id = o.trade_id "
             GW_TRADE_STATE_OF("o.trade_id") "GROUP BY 1, 2")) {
        const auto side = identity::parse_trade_side(row[0].as<std::string>());
        const auto status = parse_trade_status(row[1].as<std::string>());
        GW_ASSERT(side.has_value(), "a CHECK constraint admits only known words");
        GW_ASSERT(status.has_value(), "a CHECK constraint admits only known words");
        counts.push_back({*side, *status, row[2].as<std::int64_t>()});
    }
    return counts;
}

std::size_t make_overdue_buys_due(pqxx::work& tx, TimePoint now) {
    const pqxx::result updated = db::exec_prepared(tx,
        "UPDATE open_trades o SET next_check_at = $1::timestamptz FROM trades t "
        "WHERE t.id = o.trade_id AND t.side = 'buy' AND o.due_at <= $1::timestamptz "
        "AND o.next_check_at > $1::timestamptz",
        format_rfc3339(now));
    return static_cast<std::size_t>(updated.affected_rows());
}

std::vector<OverdueBuy> select_overdue_buys(pqxx::work& tx, TimePoint now) {
    std::vector<OverdueBuy> buys;
    for (const auto& row : db::exec_prepared(tx,
             "SELECT t.id::text, s.status, t.amount_cents, o.due_at FROM open_trades o "
             "JOIN trades t ON t.id = o.trade_id AND t.side = 'buy' " GW_TRADE_STATE_OF("o.trade_id")
             "WHERE o.due_at <= $1::timestamptz ORDER BY o.due_at, t.id",
             format_rfc3339(now))) {
        const auto status = parse_trade_status(row[1].as<std::string>());
        GW_ASSERT(status.has_value(), "a CHECK constraint admits only known words");
        buys.push_back({row[0].as<std::string>(), *status, Cents{row[2].as<std::int64_t>()},
                        time_from_pg(row[3].c_str())});
    }
    return buys;
}

}  // namespace gw::trading
