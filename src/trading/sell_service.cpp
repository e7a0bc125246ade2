#include "trading/sell_service.hpp"

#include <algorithm>

#include "core/assert.hpp"
#include "core/crash_point.hpp"
#include "core/msisdn.hpp"
#include "db/transaction.hpp"
#include "identity/user_store.hpp"
#include "identity/uuid.hpp"
#include "ledger/batch_apply.hpp"
#include "observability/log.hpp"
#include "trading/quote.hpp"
#include "trading/trade_checks.hpp"
#include "trading/trade_settlement.hpp"
#include "trading/trade_store.hpp"

namespace gw::trading {
namespace {

// A sell's grams stay locked while its payout is with M-Pesa or in the manual queue; this is
// only when it is shown as overdue (reconciliation follows payouts up).
constexpr auto kPayoutDue = std::chrono::hours(24);

struct SellTerms {
    std::int64_t price_id = 0;
    PricePerGram price;
    Micrograms grams;
    Cents amount;
    std::optional<std::string> quote_id;
};

std::string sell_fingerprint(const SellOrder& order, const std::string& msisdn) {
    return request_fingerprint("sell\n" +
                               (order.grams ? std::to_string(order.grams->value()) : "none") +
                               "\n" + order.quote_id.value_or("") + "\n" + msisdn);
}

Result<SellTerms> sell_terms(pqxx::work& tx,
                             const std::string& user_id,
                             const SellOrder& order,
                             TimePoint now) {
    if (order.quote_id) {
        auto quote = usable_quote(tx, user_id, *order.quote_id, identity::TradeSide::sell, now);
        if (!quote) {
            return quote.error();
        }
        if (order.grams && *order.grams != quote->grams) {
            return make_error(ErrorCode::validation_failed,
                              "grams: must be what the quote was for (or left out)");
        }
        if (quote_taken(tx, quote->id)) {
            return make_error(ErrorCode::quote_used,
                              "a trade already used this quote; ask for a new one");
        }
        return SellTerms{
            quote->price_id, quote->price_per_gram, quote->grams, quote->amount, quote->id};
    }
    if (!order.grams) {
        return make_error(ErrorCode::validation_failed, "grams: required, or a quote_id");
    }
    auto price = current_price(tx);
    if (!price) {
        return price.error();
    }
    auto terms = price_quote(identity::TradeSide::sell, *order.grams, price->buy, price->sell);
    if (!terms) {
        return terms.error();
    }
    return SellTerms{price->id, price->sell, terms->grams, terms->amount, std::nullopt};
}

Result<void> check_payout_range(Cents amount) {
    if (amount < kPayoutMin || amount > kPayoutMax) {
        return make_error(ErrorCode::payout_out_of_range,
                          "M-Pesa pays out KES " + format_kes(kPayoutMin) + " to " +
                              format_kes(kPayoutMax) + " at a time; this sell would pay KES " +
                              format_kes(amount));
    }
    return {};
}

// Money leaves only to the M-Pesa number registered on the account: a stolen session must not
// be able to sell a wallet to another phone.
Result<void> check_registered_phone(pqxx::work& tx,
                                    const identity::FieldCipher& cipher,
                                    const std::string& user_id,
                                    const std::string& msisdn) {
    const auto user = identity::find_user_by_id(tx, user_id);
    std::optional<std::string> registered;
    if (user && user->phone) {
        registered = cipher.open(*user->phone, user_id + ":phone");
    }
    if (!registered) {
        return make_error(ErrorCode::payout_phone_not_registered,
                          "this account has no M-Pesa number to pay out to");
    }
    if (*registered != msisdn) {
        return make_error(
            ErrorCode::payout_phone_not_registered,
            "payouts go only to the account's M-Pesa number, " + mask_msisdn(*registered));
    }
    return {};
}

// Locks `grams` of the user's gold: pending transfers user -> pool, in pool order.
Result<std::vector<TradeAllocation>> lock_grams(pqxx::work& tx,
                                                const std::string& user_id,
                                                const std::string& trade_id,
                                                Micrograms grams,
                                                TimePoint now) {
    const std::vector<Holding> holdings = lock_user_holdings(tx, user_id);
    std::vector<PoolSupply> supply;
    for (const Holding& holding : holdings) {
        supply.push_back({holding.pool_id, holding.user_account, holding.available});
    }
    const std::vector<Allocation> taken = allocate(supply, grams);
    if (taken.empty()) {
        Error error = make_error(ErrorCode::insufficient_grams,
                                 "your wallet holds " + format_grams(total_available(supply)) +
                                     " g you can sell, less than this sell");
        error.extensions = {{"available_grams", format_grams(total_available(supply))}};
        return error;
    }
    ledger::Submission submission;
    std::vector<TradeAllocation> locked;
    for (const Allocation& allocation : taken) {
        const auto holding = std::find_if(holdings.begin(), holdings.end(), [&](const Holding& h) {
            return h.pool_id == allocation.pool_id;
        });
        GW_ASSERT(holding != holdings.end(), "allocate() only takes from the supply it was given");
        const std::string transfer_id = identity::random_uuid();
        submission.transfers.push_back(ledger::TransferRequest{transfer_id,
                                                               holding->user_account,
                                                               holding->pool_account,
                                                               allocation.grams.value(),
                                                               ledger::TransferType::pending,
                                                               {},
                                                               std::nullopt,
                                                               trade_id,
                                                               "sell.lock"});
        locked.push_back({allocation.pool_id, allocation.grams, transfer_id});
    }
    const auto results = ledger::apply_submissions(tx, {&submission}, now).front();
    for (ledger::TransferResult result : results) {
        if (!ledger::succeeded(result)) {
            // The accounts were locked when the holdings were read: this is a bug.
            return make_error(ErrorCode::ledger_rejected, std::string(ledger::to_string(result)));
        }
    }
    return locked;
}

// Writes the sell place() decided: the trade, its first event and its payout (a manual one
// waits in the admin queue at once, so the trade is awaiting_payout from the start).
PlacedSell record_sell(pqxx::work& tx, const NewTrade& trade, PayoutMode mode, TimePoint now) {
    insert_trade(tx, trade);
    insert_allocations(tx, trade.terms.id, trade.terms.allocations);
    insert_trade_event(tx, trade.terms.id, {TradeStatus::reserved, {}, {}, {}}, now);
    PayoutView payout;
    payout.id = identity::random_uuid();
    payout.kind = PayoutKind::sell;
    payout.trade_id = trade.terms.id;
    payout.user_id = trade.terms.user_id;
    payout.amount = trade.terms.amount;
    payout.mode = mode;
    payout.created_at = now;
    queue_payout(tx, payout, now);
    if (mode == PayoutMode::manual) {
        insert_trade_event(tx, trade.terms.id, {TradeStatus::awaiting_payout, {}, {}, {}}, now);
    }
    return PlacedSell{
        *select_trade(tx, trade.terms.id, false), *select_payout(tx, payout.id, false), false};
}

}  // namespace

SellService::SellService(db::ConnectionPool& pool,
                         const Clock& clock,
                         const identity::FieldCipher& cipher,
                         SellSettings settings)
    : pool_(pool), clock_(clock), cipher_(cipher), settings_(settings) {}

Result<PlacedSell> SellService::sell(const std::string& user_id,
                                     const std::string& idempotency_key,
                                     const SellOrder& order) {
    auto msisdn = normalize_msisdn(order.phone);
    if (!msisdn) {
        return msisdn.error();
    }
    auto placed = db::with_transaction(pool_, "trade.sell", [&](pqxx::work& tx) {
        return place(tx, user_id, idempotency_key, order, *msisdn, clock_.now());
    });
    if (placed && !placed->replayed) {
        crash_point("sell.reserved");
        obs::log_info("trade.sell",
                      {{"trade_id", placed->trade.id},
                       {"grams", format_grams(placed->trade.grams)},
                       {"amount_kes", format_kes(placed->trade.amount)},
                       {"payout_mode", to_string(placed->payout.mode)}});
    }
    return placed;
}

Result<PlacedSell> SellService::place(pqxx::work& tx,
                                      const std::string& user_id,
                                      const std::string& idempotency_key,
                                      const SellOrder& order,
                                      const std::string& msisdn,
                                      TimePoint now) {
    const std::string hash = sell_fingerprint(order, msisdn);
    const auto limits = lock_trader(tx, user_id, identity::TradeSide::sell);
    if (!limits) {
        return make_error(ErrorCode::not_found, "no such account");
    }
    const auto replay = find_replay(tx, user_id, idempotency_key, hash);
    if (!replay) {
        return replay.error();
    }
    if (*replay) {
        return PlacedSell{*select_trade_as_placed(tx, **replay),
                          *select_payout_of_trade(tx, PayoutKind::sell, **replay),
                          true};
    }
    if (auto own = check_registered_phone(tx, cipher_, user_id, msisdn); !own) {
        return own.error();
    }
    auto terms = sell_terms(tx, user_id, order, now);
    if (!terms) {
        return terms.error();
    }
    if (auto in_range = check_payout_range(terms->amount); !in_range) {
        return in_range.error();
    }
    if (auto allowed =
            check_trade_limits(tx, user_id, identity::TradeSide::sell, *limits, terms->amount, now);
        !allowed) {
        return allowed.error();
    }
    NewTrade trade;
    trade.terms.id = identity::random_uuid();
    auto locked = lock_grams(tx, user_id, trade.terms.id, terms->grams, now);
    if (!locked) {
        return locked.error();
    }
    trade.terms.user_id = user_id;
    trade.terms.side = identity::TradeSide::sell;
    trade.terms.quote_id = terms->quote_id;
    trade.terms.price_id = terms->price_id;
    trade.terms.price_per_gram = terms->price;
    trade.terms.grams = terms->grams;
    trade.terms.amount = terms->amount;
    trade.terms.phone_masked = mask_msisdn(msisdn);
    trade.terms.payment_due_at = now + kPayoutDue;
    trade.terms.created_at = now;
    trade.terms.allocations = std::move(*locked);
    trade.idempotency_key = idempotency_key;
    trade.request_hash_hex = hash;
    trade.phone = cipher_.seal(msisdn, trade.terms.id + ":phone");
    return record_sell(tx, trade, settings_.payout_mode, now);
}

}  // namespace gw::trading
