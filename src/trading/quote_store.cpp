#include "trading/quote_store.hpp"

#include "core/assert.hpp"
#include "core/time_text.hpp"
#include "db/prepared.hpp"

namespace gw::trading {
namespace {

TimePoint time_from_pg(const pqxx::field& field) {
    const auto at = parse_rfc3339(rfc3339_from_pg(field.as<std::string>()));
    GW_ASSERT(at.has_value(), "the pool sets TimeZone to UTC, so timestamptz reads as RFC 3339");
    return *at;
}

QuoteView quote_from_row(const pqxx::row& row) {
    const auto side = identity::parse_trade_side(row[1].as<std::string>());
    const auto basis = parse_quote_basis_kind(row[2].as<std::string>());
    GW_ASSERT(side.has_value(), "the CHECK constraint admits only buy and sell");
    GW_ASSERT(basis.has_value(), "the CHECK constraint admits only amount and grams");
    QuoteView quote;
    quote.id = row[0].as<std::string>();
    quote.side = *side;
    quote.basis = *basis;
    quote.price_id = row[3].as<std::int64_t>();
    quote.price_per_gram = PricePerGram{row[4].as<std::int64_t>()};
    quote.grams = Micrograms{row[5].as<std::int64_t>()};
    quote.amount = Cents{row[6].as<std::int64_t>()};
    quote.created_at = time_from_pg(row[7]);
    quote.expires_at = time_from_pg(row[8]);
    return quote;
}

}  // namespace

std::string insert_quote(pqxx::work& tx, const std::string& user_id, const QuoteView& quote) {
    const pqxx::row row = db::exec_prepared1(tx,
        "INSERT INTO quotes (user_id, side, basis, price_id, price_per_gram_cents, grams_ug, "
        "amount_cents, created_at, expires_at) "
        "VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8::timestamptz, $9::timestamptz) "
        "RETURNING id",
        user_id,
        std::string(identity::to_string(quote.side)),
        std::string(to_string(quote.basis)),
        quote.price_id,
        quote.price_per_gram.value(),
        quote.grams.value(),
        quote.amount.value(),
        format_rfc3339(quote.created_at),
        format_rfc3339(quote.expires_at));
    return row[0].as<std::string>();
}

std::optional<QuoteView> select_user_quote(pqxx::work& tx,
                                           const std::string& user_id,
                                           const std::string& quote_id) {
    const pqxx::result rows = db::exec_prepared(tx,
        "SELECT id, side, basis, price_id, price_per_gram_cents, grams_ug, amount_cents, "
        "created_at, expires_at FROM quotes WHERE id = $1::uuid AND user_id = $2::uuid",
        quote_id,
        user_id);
    if (rows.empty()) {
        return std::nullopt;
    }
    return quote_from_row(rows[0]);
}

}  // namespace gw::trading
