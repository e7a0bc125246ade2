#include "trading/buy_service.hpp"

#include "core/crash_point.hpp"
#include "core/msisdn.hpp"
#include "core/rounding.hpp"
#include "db/outbox_store.hpp"
#include "db/transaction.hpp"
#include "identity/uuid.hpp"
#include "ledger/batch_apply.hpp"
#include "ledger/ledger_store.hpp"
#include "observability/log.hpp"
#include "trading/allocation.hpp"
#include "trading/trade_checks.hpp"
#include "trading/trade_settlement.hpp"
#include "trading/trade_store.hpp"

namespace gw::trading {
namespace {

// The price, grams and KES of a buy, from its quote or the current price.
struct BuyTerms {
    std::int64_t price_id = 0;
    PricePerGram price;
    Micrograms grams;
    Cents amount;
    std::optional<std::string> quote_id;
};

// What makes two orders "the same request" for the Idempotency-Key.
std::string request_hash_hex(const BuyOrder& order, const std::string& msisdn) {
    std::string basis = "none";
    if (order.basis) {
        basis = std::holds_alternative<Cents>(*order.basis)
                    ? "amount:" + std::to_string(std::get<Cents>(*order.basis).value())
                    : "grams:" + std::to_string(std::get<Micrograms>(*order.basis).value());
    }
    return request_fingerprint("buy\n" + basis + "\n" + order.quote_id.value_or("") + "\n" + msisdn + "\n" +
                          (order.allow_partial ? "partial" : "whole"));
}

Result<BuyTerms> quoted_terms(pqxx::work& tx, const std::string& user_id, const BuyOrder& order, TimePoint now) {
    auto quote = usable_quote(tx, user_id, *order.quote_id, identity::TradeSide::buy, now);
    if (!quote) {
        return quote.error();
    }
    if (order.basis) {
        const bool same = kind_of(*order.basis) == quote->basis &&
                          (std::holds_alternative<Cents>(*order.basis)
                               ? std::get<Cents>(*order.basis) == quote->amount
                               : std::get<Micrograms>(*order.basis) == quote->grams);
        if (!same) {
            return make_error(ErrorCode::validation_failed,
                              "amount_kes, grams: must be what the quote was for (or left out)");
        }
    }
    if (quote_taken(tx, quote->id)) {
        return make_error(ErrorCode::quote_used, "a trade already used this quote; ask for a new one");
    }
    return BuyTerms{quote->price_id, quote->price_per_gram, quote->grams, quote->amount, quote->id};
}

Result<BuyTerms> terms_for(pqxx::work& tx, const std::string& user_id, const BuyOrder& order, TimePoint now) {
    if (order.quote_id) {
        return quoted_terms(tx, user_id, order, now);
    }
    if (!order.basis) {
        return make_error(ErrorCode::validation_failed, "amount_kes, grams: give one of them, or a quote_id");
    }
    auto price = current_price(tx);
    if (!price) {
        return price.error();
    }
    auto terms = price_quote(identity::TradeSide::buy, *order.basis, price->buy, price->sell);
    if (!terms) {
        return terms.error();
    }
    return BuyTerms{price->id, price->buy, terms->grams, terms->amount, std::nullopt};
}

Error shortfall(Micrograms available, PricePerGram price) {
    const auto charge = charge_for_grams(available, price);
    Error error = make_error(ErrorCode::insufficient_gold,
                             "the pools hold " + format_grams(available) + " g, less than this buy; send "
                             "allow_partial to buy that much");
    error.extensions = {{"available_grams", format_grams(available)},
                        {"available_amount_kes", format_kes(charge ? *charge : Cents{0})}};
    return error;
}

// The trade `terms` describe, under a new id; the caller adds who placed it and how.
NewTrade new_trade(const BuyTerms& terms, bool partial, TimePoint now, TimePoint payment_due_at) {
    NewTrade trade;
    trade.terms.id = identity::random_uuid();
    trade.terms.quote_id = terms.quote_id;
    trade.terms.price_id = terms.price_id;
    trade.terms.price_per_gram = terms.price;
    trade.terms.grams = terms.grams;
    trade.terms.amount = terms.amount;
    trade.terms.partial = partial;
    trade.terms.payment_due_at = payment_due_at;
    trade.terms.created_at = now;
    return trade;
}

// Allocates the buy (or, with allow_partial, what the pools hold), narrowing `terms`. A buy
// that may be partial locks the pools first, since its grams depend on what they hold; any
// other reads them unlocked and lets reserve() check again under lock, so the hot pool row is
// locked for the last statements of the transaction only.
Result<std::vector<Allocation>> allocate_buy(pqxx::work& tx, const std::string& user_id, bool allow_partial,
                                             BuyTerms& terms, bool& partial) {
    const std::vector<PoolSupply> pools = allow_partial ? lock_pool_supply(tx, user_id) : read_pool_supply(tx);
    std::vector<Allocation> allocations = allocate(pools, terms.grams);
    partial = false;
    if (!allocations.empty()) {
        return allocations;
    }
    const Micrograms available = total_available(pools);
    if (!allow_partial || available.value() == 0) {
        return shortfall(available, terms.price);
    }
    auto charge = charge_for_grams(available, terms.price);
    if (!charge) {
        return charge.error();
    }
    terms.grams = available;
    terms.amount = *charge;
    partial = true;
    return allocate(pools, available);
}

// The pending transfers pool -> user that reserve `allocations`, as one atomic submission, or
// nothing when a pool no longer holds its share (all or none are stored).
std::optional<std::vector<TradeAllocation>> try_reserve(pqxx::work& tx, const std::string& user_id,
                                                        const std::string& trade_id,
                                                        const std::vector<Allocation>& allocations, TimePoint now) {
    ledger::Submission submission;
    std::vector<TradeAllocation> reserved;
    for (const Allocation& allocation : allocations) {
        const ledger::AccountId user_account = ensure_user_gold_account(tx, user_id, allocation.pool_id, now);
        const std::string transfer_id = identity::random_uuid();
        submission.transfers.push_back(ledger::TransferRequest{
            transfer_id, allocation.account_id, user_account, allocation.grams.value(),
            ledger::TransferType::pending, {}, std::nullopt, trade_id, "buy.reserve"});
        reserved.push_back({allocation.pool_id, allocation.grams, transfer_id});
    }
    const auto results = ledger::apply_submissions(tx, {&submission}, now);
    for (ledger::TransferResult result : results.front()) {
        if (!ledger::succeeded(result)) {
            return std::nullopt;
        }
    }
    return reserved;
}

// Reserves `grams` for the trade: the allocation made before, or, when a concurrent buy took a
// pool's share since it was read, a new allocation over the pools as they stand locked.
Result<std::vector<TradeAllocation>> reserve(pqxx::work& tx, const std::string& user_id, const TradeView& trade,
                                             const std::vector<Allocation>& allocations, TimePoint now) {
    if (auto reserved = try_reserve(tx, user_id, trade.id, allocations, now)) {
        return std::move(*reserved);
    }
    const std::vector<PoolSupply> pools = lock_pool_supply(tx, user_id);
    const std::vector<Allocation> again = allocate(pools, trade.grams);
    if (again.empty()) {
        return shortfall(total_available(pools), trade.price_per_gram);
    }
    if (auto reserved = try_reserve(tx, user_id, trade.id, again, now)) {
        return std::move(*reserved);
    }
    // The accounts are locked and the allocation was computed from them: this is a bug.
    return make_error(ErrorCode::ledger_rejected, "the ledger refused a reservation the pools hold");
}

}  // namespace

BuyService::BuyService(db::ConnectionPool& pool,
                       const Clock& clock,
                       const identity::FieldCipher& cipher,
                       obs::MetricsRegistry& metrics,
                       BuySettings settings)
    : pool_(pool), clock_(clock), cipher_(cipher), metrics_(metrics), settings_(settings) {}

Result<PlacedTrade> BuyService::buy(const std::string& user_id,
                                    const std::string& idempotency_key,
                                    const BuyOrder& order) {
    auto msisdn = normalize_msisdn(order.phone);
    if (!msisdn) {
        return msisdn.error();
    }
    auto placed = db::with_transaction(pool_, "trade.buy", [&](pqxx::work& tx) {
        return place(tx, user_id, idempotency_key, order, *msisdn, clock_.now());
    });
    if (!placed && placed.error().code == ErrorCode::insufficient_gold) {
        // An operator watches this: buyers turned away because the pools ran short.
        metrics_.increment("goldwallet_pool_shortages_total", "Buys refused because the pools held too little gold",
                           {});
    }
    if (placed && !placed->replayed) {
        crash_point("buy.reserved");
        obs::log_info("trade.buy", {{"trade_id", placed->trade.id},
                                    {"grams", format_grams(placed->trade.grams)},
                                    {"amount_kes", format_kes(placed->trade.amount)},
                                    {"partial", placed->trade.partial}});
    }
    return placed;
}

Result<PlacedTrade> BuyService::place(pqxx::work& tx,
                                      const std::string& user_id,
                                      const std::string& idempotency_key,
                                      const BuyOrder& order,
                                      const std::string& msisdn,
                                      TimePoint now) {
    const std::string hash = request_hash_hex(order, msisdn);
    // The user row is locked first: one user's trades are decided one at a time, so neither the
    // same Idempotency-Key nor the 24-hour total can race itself.
    const auto limits = lock_trader(tx, user_id, identity::TradeSide::buy);
    if (!limits) {
        return make_error(ErrorCode::not_found, "no such account");
    }
    const auto replay = find_replay(tx, user_id, idempotency_key, hash);
    if (!replay) {
        return replay.error();
    }
    if (*replay) {
        return PlacedTrade{*select_trade_as_placed(tx, **replay), true};
    }
    auto terms = terms_for(tx, user_id, order, now);
    if (!terms) {
        return terms.error();
    }
    if (auto allowed = check_trade_limits(tx, user_id, identity::TradeSide::buy, *limits, terms->amount, now);
        !allowed) {
        return allowed.error();
    }
    bool partial = false;
    auto allocations = allocate_buy(tx, user_id, order.allow_partial, *terms, partial);
    if (!allocations) {
        return allocations.error();
    }
    NewTrade trade = new_trade(*terms, partial, now, now + settings_.payment_timeout);
    trade.terms.user_id = user_id;
    trade.terms.phone_masked = mask_msisdn(msisdn);
    trade.idempotency_key = idempotency_key;
    trade.request_hash_hex = hash;
    trade.phone = cipher_.seal(msisdn, trade.terms.id + ":phone");
    // Everything that does not depend on the pools' balances is written before reserve() locks
    // the pool accounts, which every buy and settlement of the pool waits for.
    insert_trade(tx, trade);
    insert_trade_event(tx, trade.terms.id, {TradeStatus::reserved, {}, {}, {}}, now);
    db::enqueue(tx, {std::string(kStkPushTopic), trade.terms.id, {{"trade_id", trade.terms.id}}}, now);
    auto reserved = reserve(tx, user_id, trade.terms, *allocations, now);
    if (!reserved) {
        return reserved.error();
    }
    insert_allocations(tx, trade.terms.id, *reserved);
    return PlacedTrade{*select_trade(tx, trade.terms.id, false), false};
}

std::optional<PushTarget> BuyService::push_target(const std::string& trade_id) {
    struct Loaded {
        std::optional<TradeView> trade;
        identity::SealedField phone;
    };
    const Loaded loaded = db::with_transaction(pool_, "trade.stk.load", [&](pqxx::work& tx) {
        Loaded found{select_trade(tx, trade_id, false), {}};
        if (found.trade) {
            found.phone = select_trade_phone(tx, trade_id);
        }
        return found;
    });
    if (!loaded.trade || loaded.trade->status != TradeStatus::reserved ||
        clock_.now() >= loaded.trade->payment_due_at) {
        return std::nullopt;
    }
    auto msisdn = cipher_.open(loaded.phone, trade_id + ":phone");
    if (!msisdn) {
        obs::log_error("trade.phone_unreadable", {{"trade_id", trade_id}});
        record_push(trade_id, std::nullopt, "phone_unreadable", {});
        return std::nullopt;
    }
    return PushTarget{trade_id, loaded.trade->amount, std::move(*msisdn)};
}

void BuyService::record_push(const std::string& trade_id, std::optional<TradeStatus> next,
                             const std::string& failure, const std::string& mpesa_request_id) {
    db::with_transaction(pool_, "trade.stk.record", [&](pqxx::work& tx) {
        const auto trade = select_trade(tx, trade_id, true);
        // The callback may have settled it already (it can beat Daraja's answer).
        if (!trade || trade->status != TradeStatus::reserved) {
            return;
        }
        const TimePoint now = clock_.now();
        if (next) {
            insert_trade_event(tx, trade_id, {*next, {}, mpesa_request_id, {}}, now);
        } else {
            fail_trade(tx, *trade, failure, mpesa_request_id, now);
        }
    });
}

}  // namespace gw::trading
