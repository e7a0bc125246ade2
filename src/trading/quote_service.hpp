#pragma once

// Quotes of a buy or a sell for one user: the price in force, locked for
// QuoteSettings::quote_ttl, with the grams and the KES amount it gives (trading/quote.hpp).
// A quote is stored append-only; the buy and sell flows look it up with find_usable and a
// trade consumes it. Thread-safe.

#include <chrono>
#include <pqxx/pqxx>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/money.hpp"
#include "db/pool.hpp"
#include "identity/trade_limits.hpp"
#include "trading/price_service.hpp"
#include "trading/quote.hpp"

namespace gw::trading {

struct QuoteSettings {
    std::chrono::seconds quote_ttl{60};  // GOLDWALLET_QUOTE_TTL_SECONDS
};

struct QuoteView {
    std::string id;
    identity::TradeSide side = identity::TradeSide::buy;
    QuoteBasisKind basis = QuoteBasisKind::amount;
    std::int64_t price_id = 0;    // the prices row it was priced at
    PricePerGram price_per_gram;  // the buy price for a buy, the sell price for a sell
    Micrograms grams;
    Cents amount;  // whole shillings
    TimePoint created_at;
    TimePoint expires_at;  // created_at + quote_ttl; usable while now < expires_at
};

// find_usable in the caller's transaction (same errors, same order).
Result<QuoteView> usable_quote(pqxx::work& tx,
                               const std::string& user_id,
                               const std::string& quote_id,
                               identity::TradeSide side,
                               TimePoint now);

class QuoteService {
public:
    // REQUIRES: `pool`, `clock` and `prices` outlive the service; settings.quote_ttl > 0.
    QuoteService(db::ConnectionPool& pool,
                 const Clock& clock,
                 PriceService& prices,
                 QuoteSettings settings);

    // Prices a trade for `user_id` at the current price (price_quote) and stores the quote,
    // valid from now for quote_ttl. Returns the stored quote.
    // Errors: price_not_set before the first price; the errors of price_quote
    // (not_whole_shillings, amount_too_large, zero_amount). Nothing is stored on an error.
    // REQUIRES: `user_id` is a live account (the caller's session); the basis value > 0.
    Result<QuoteView> create(const std::string& user_id,
                             identity::TradeSide side,
                             const QuoteBasis& basis);

    // The quote `quote_id` of `user_id`, if a trade on `side` may use it at `now`.
    // Errors, in this order:
    //   not_found          no such quote: the id is unknown, not a UUID, or another user's
    //                      (the same answer, so nobody learns another user's quote exists);
    //   validation_failed  the quote is for the other side;
    //   price_expired      now >= expires_at.
    // Whether a trade already consumed the quote is the trade's business (a UNIQUE reference).
    Result<QuoteView> find_usable(const std::string& user_id,
                                  const std::string& quote_id,
                                  identity::TradeSide side,
                                  TimePoint now);

private:
    db::ConnectionPool& pool_;
    const Clock& clock_;
    PriceService& prices_;
    QuoteSettings settings_;
};

}  // namespace gw::trading
