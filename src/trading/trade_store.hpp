#pragma once

// SQL of trades, allocations, trade_events and open_trades (migrations/0007_trades.sql).
// Every function REQUIRES being called inside a database transaction.

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/money.hpp"
#include "identity/field_crypto.hpp"
#include "identity/trade_limits.hpp"
#include "trading/allocation.hpp"
#include "trading/trade.hpp"

namespace gw::trading {

// The limits that apply to a trader now, read with their user row locked (FOR NO KEY UPDATE:
// rows that refer to the user still insert meanwhile), so one user's trades are decided one at
// a time and the 24-hour total cannot be raced.
struct TraderLimits {
    Cents per_trade;
    Cents per_day;
};
// nullopt when there is no such user or the account is closed.
std::optional<TraderLimits> lock_trader(pqxx::work& tx, const std::string& user_id, identity::TradeSide side);

// What the user's trades on `side` created after `since` add up to, failed ones left out.
Cents traded_since(pqxx::work& tx, const std::string& user_id, identity::TradeSide side, TimePoint since);

struct KeyedTrade {
    std::string trade_id;
    std::string request_hash_hex;
};
std::optional<KeyedTrade> find_keyed_trade(pqxx::work& tx, const std::string& user_id, const std::string& key);

bool quote_taken(pqxx::work& tx, const std::string& quote_id);

// The pools a buy may draw on, in allocation order (priority, then age), with what their
// ledger accounts held when read (not locked: a buy that reserves from this supply must let
// the ledger check it again under lock).
std::vector<PoolSupply> read_pool_supply(pqxx::work& tx);

// The same supply with the pools' ledger accounts and the user's own gold accounts locked (in
// id order, as every ledger writer locks), so what they report cannot change before commit.
std::vector<PoolSupply> lock_pool_supply(pqxx::work& tx, const std::string& user_id);

// A user's gold in one pool, for a sell.
struct Holding {
    std::string pool_id;
    std::int64_t pool_account = 0;
    std::int64_t user_account = 0;
    Micrograms available;  // held and not locked in another sell
};
// The user's holdings in pool order (priority, then age; retired pools included: their gold
// goes back to them), with the user's and those pools' accounts locked in id order.
std::vector<Holding> lock_user_holdings(pqxx::work& tx, const std::string& user_id);

// The user's gold account in `pool_id` (user:<user>:pool:<pool>), created when missing.
std::int64_t ensure_user_gold_account(pqxx::work& tx, const std::string& user_id, const std::string& pool_id,
                                      TimePoint now);

struct NewTrade {
    TradeView terms;  // id, user_id, side, quote_id, price, grams, amount, partial, phone_masked,
                      // payment_due_at, created_at
    std::string idempotency_key;
    std::string request_hash_hex;  // SHA-256 of the request, as lower-case hex
    identity::SealedField phone;
};
// Inserts the trade and its open_trades row (terms.allocations are left to insert_allocations).
void insert_trade(pqxx::work& tx, const NewTrade& trade);

// Inserts the allocations of `trade_id`.
// REQUIRES: their transfers are stored (foreign key), and the trade is.
void insert_allocations(pqxx::work& tx, const std::string& trade_id,
                        const std::vector<TradeAllocation>& allocations);

struct TradeEvent {
    TradeStatus status = TradeStatus::reserved;
    std::string reason;
    std::string mpesa_request_id;
    std::string receipt;
};
// The channel on which the commit of a trade's end (completed or failed) tells its id
// (db::notify_on_commit), so that a request waiting for it answers at once (TradeWatch).
inline constexpr std::string_view kTradeEndedChannel = "trade.ended";

// Appends an event; a completed or failed one also takes the trade off open_trades and sends
// the trade id on kTradeEndedChannel.
void insert_trade_event(pqxx::work& tx, const std::string& trade_id, const TradeEvent& event, TimePoint at);
// Whether a late payment with this receipt was already acted on.
bool late_payment_known(pqxx::work& tx, const std::string& receipt);
// A payment that arrived for a trade already failed (a note, not a state change).
void insert_late_payment(pqxx::work& tx, const std::string& trade_id, const std::string& mpesa_request_id,
                         const std::string& receipt, const std::string& detail, TimePoint at);

// The trade with its allocations; `lock` takes its row FOR NO KEY UPDATE (settlements
// serialize on it; its events and transfers still insert meanwhile).
std::optional<TradeView> select_trade(pqxx::work& tx, const std::string& trade_id, bool lock);

// The trade with its allocations, unlocked, in one statement: it may run outside a transaction
// (db::with_one_statement).
std::optional<TradeView> read_trade(pqxx::transaction_base& tx, const std::string& trade_id);

// The trade as the transaction that placed it left it: the "first answer" an idempotent retry
// repeats, whatever happened since.
std::optional<TradeView> select_trade_as_placed(pqxx::work& tx, const std::string& trade_id);

// The sealed phone of the trade (for the STK Push or the payout).
identity::SealedField select_trade_phone(pqxx::work& tx, const std::string& trade_id);

// Up to `limit` trades of the user, newest first, strictly older than `before` (created_at, id).
struct TradeCursor {
    TimePoint created_at;
    std::string id;
};
std::vector<TradeView> select_user_trades(pqxx::transaction_base& tx, const std::string& user_id,
                                          const std::optional<TradeCursor>& before, std::size_t limit);

// Claims up to `limit` open BUYS whose next check is due at `now` (next_check_at <= now, the
// oldest first, skipping rows another sweeper holds): their next check moves to `hold_until`,
// so a sweeper on another node leaves them alone meanwhile. Returns their ids. (A sell waits
// for its payout, which reconciliation follows up.)
std::vector<std::string> claim_due_buys(pqxx::work& tx, TimePoint now, TimePoint hold_until, std::size_t limit);

// How many trades are open, by side and status (the goldwallet_trades_open gauge).
struct OpenTradeCount {
    identity::TradeSide side = identity::TradeSide::buy;
    TradeStatus status = TradeStatus::reserved;
    std::int64_t count = 0;
};
std::vector<OpenTradeCount> count_open_trades(pqxx::work& tx);

// Puts off the next check of an open trade (a sweeper found it still waiting).
void postpone_open_trade(pqxx::work& tx, const std::string& trade_id, TimePoint next_check_at);

// Makes every open buy past its payment deadline at `now` due for a check now, however far
// off its next check was (reconciliation asks about all of them at once). Returns how many.
std::size_t make_overdue_buys_due(pqxx::work& tx, TimePoint now);

// Open buys past their payment deadline at `now`, oldest deadline first.
struct OverdueBuy {
    std::string trade_id;
    TradeStatus status = TradeStatus::reserved;
    Cents amount;
    TimePoint payment_due_at;
};
std::vector<OverdueBuy> select_overdue_buys(pqxx::work& tx, TimePoint now);

}  // namespace gw::trading
