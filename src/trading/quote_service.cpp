#include "trading/quote_service.hpp"

#include "core/assert.hpp"
#include "core/uuid_text.hpp"
#include "db/transaction.hpp"
#include "trading/quote_store.hpp"

namespace gw::trading {
namespace {

Error quote_not_found() {
    return make_error(ErrorCode::not_found, "no such quote");
}

}  // namespace

QuoteService::QuoteService(db::ConnectionPool& pool,
                           const Clock& clock,
                           PriceService& prices,
                           QuoteSettings settings)
    : pool_(pool), clock_(clock), prices_(prices), settings_(settings) {
    GW_ASSERT(settings_.quote_ttl.count() > 0, "config validates the quote TTL as positive");
}

Result<QuoteView> QuoteService::create(const std::string& user_id,
                                       identity::TradeSide side,
                                       const QuoteBasis& basis) {
    auto price = prices_.current();
    if (!price) {
        return price.error();
    }
    auto terms = price_quote(side, basis, price->buy, price->sell);
    if (!terms) {
        return terms.error();
    }
    QuoteView quote;
    quote.side = terms->side;
    quote.basis = terms->basis;
    quote.price_id = price->id;
    quote.price_per_gram = terms->price_per_gram;
    quote.grams = terms->grams;
    quote.amount = terms->amount;
    quote.created_at = clock_.now();
    quote.expires_at = quote.created_at + settings_.quote_ttl;
    quote.id = db::with_transaction(
        pool_, "quote.create", [&](pqxx::work& tx) { return insert_quote(tx, user_id, quote); });
    return quote;
}

Result<QuoteView> usable_quote(pqxx::work& tx,
                               const std::string& user_id,
                               const std::string& quote_id,
                               identity::TradeSide side,
                               TimePoint now) {
    if (!is_uuid(quote_id) || !is_uuid(user_id)) {
        return quote_not_found();
    }
    auto quote = select_user_quote(tx, user_id, quote_id);
    if (!quote) {
        return quote_not_found();
    }
    if (quote->side != side) {
        return make_error(ErrorCode::validation_failed,
                          "quote_id: the quote is for a " +
                              std::string(identity::to_string(quote->side)) + ", not a " +
                              std::string(identity::to_string(side)));
    }
    if (now >= quote->expires_at) {
        return make_error(ErrorCode::price_expired,
                          "the quote's price has expired; ask for a new quote");
    }
    return *quote;
}

Result<QuoteView> QuoteService::find_usable(const std::string& user_id,
                                            const std::string& quote_id,
                                            identity::TradeSide side,
                                            TimePoint now) {
    return db::with_transaction(pool_, "quote.find_usable", [&](pqxx::work& tx) {
        return usable_quote(tx, user_id, quote_id, side, now);
    });
}

}  // namespace gw::trading
