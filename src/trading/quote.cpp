#include "trading/quote.hpp"

#include <cstdint>
#include <limits>

#include "core/assert.hpp"
#include "core/rounding.hpp"

namespace gw::trading {
namespace {

using identity::TradeSide;

Error nothing_to_buy() {
    return make_error(ErrorCode::zero_amount, "amount too small to buy any gold");
}

Error nothing_to_pay() {
    return make_error(ErrorCode::zero_amount, "too little gold to sell for a whole shilling");
}

Result<QuoteTerms> buy_by_amount(Cents amount, PricePerGram buy) {
    if (auto whole = require_whole_shillings(amount); !whole) {
        return whole.error();
    }
    auto grams = grams_for_amount(amount, buy);
    if (!grams) {
        return grams.error();
    }
    if (grams->value() == 0) {
        return nothing_to_buy();
    }
    return QuoteTerms{TradeSide::buy, QuoteBasisKind::amount, buy, *grams, amount};
}

Result<QuoteTerms> buy_by_grams(Micrograms grams, PricePerGram buy) {
    auto charge = charge_for_grams(grams, buy);
    if (!charge) {
        return charge.error();
    }
    return QuoteTerms{TradeSide::buy, QuoteBasisKind::grams, buy, grams, *charge};
}

Result<QuoteTerms> sell_by_grams(Micrograms grams, PricePerGram sell) {
    auto payout = payout_for_grams(grams, sell);
    if (!payout) {
        return payout.error();
    }
    if (payout->value() == 0) {
        return nothing_to_pay();
    }
    return QuoteTerms{TradeSide::sell, QuoteBasisKind::grams, sell, grams, *payout};
}

Result<QuoteTerms> sell_by_amount(Cents amount, PricePerGram sell) {
    if (auto whole = require_whole_shillings(amount); !whole) {
        return whole.error();
    }
    auto grams = grams_for_payout(amount, sell);
    if (!grams) {
        return grams.error();
    }
    auto payout = payout_for_grams(*grams, sell);
    if (!payout) {
        return payout.error();
    }
    // The belief grams_for_payout rests on: its grams pay at least what was asked.
    GW_ASSERT(*payout >= amount, "the fewest grams paying the amount pay at least the amount");
    return QuoteTerms{TradeSide::sell, QuoteBasisKind::amount, sell, *grams, *payout};
}

}  // namespace

std::string_view to_string(QuoteBasisKind kind) {
    switch (kind) {
        case QuoteBasisKind::amount:
            return "amount";
        case QuoteBasisKind::grams:
            return "grams";
    }
    return "amount";
}

std::optional<QuoteBasisKind> parse_quote_basis_kind(std::string_view name) {
    if (name == "amount") {
        return QuoteBasisKind::amount;
    }
    if (name == "grams") {
        return QuoteBasisKind::grams;
    }
    return std::nullopt;
}

QuoteBasisKind kind_of(const QuoteBasis& basis) {
    return std::holds_alternative<Cents>(basis) ? QuoteBasisKind::amount : QuoteBasisKind::grams;
}

Result<QuoteTerms> price_quote(TradeSide side,
                               QuoteBasis basis,
                               PricePerGram buy,
                               PricePerGram sell) {
    GW_ASSERT(buy.value() > 0, "prices are positive once stored");
    GW_ASSERT(sell.value() > 0, "prices are positive once stored");
    if (const Cents* amount = std::get_if<Cents>(&basis)) {
        GW_ASSERT(amount->value() > 0, "parse_kes refuses zero and negative amounts");
        return side == TradeSide::buy ? buy_by_amount(*amount, buy) : sell_by_amount(*amount, sell);
    }
    const Micrograms grams = std::get<Micrograms>(basis);
    GW_ASSERT(grams.value() > 0, "parse_grams refuses zero and negative amounts");
    return side == TradeSide::buy ? buy_by_grams(grams, buy) : sell_by_grams(grams, sell);
}

Result<Micrograms> grams_for_payout(Cents amount, PricePerGram sell_price) {
    GW_ASSERT(amount.value() >= 0, "a payout asked for is non-negative once parsed");
    GW_ASSERT(require_whole_shillings(amount).has_value(),
              "only a whole-shilling payout has a least number of grams paying it");
    GW_ASSERT(sell_price.value() > 0, "prices are positive once stored");
    // amount * 1e6 <= 9.3e24, far inside Int128. For a whole-shilling amount A,
    // payout_for_grams(g) >= A  <=>  floor(g * price / 1e6) >= A  <=>  g >= A * 1e6 / price,
    // so the ceiling is the least such g.
    const Int128 scaled = static_cast<Int128>(amount.value()) * kMicrogramsPerGram;
    const Int128 grams = div_ceil(scaled, sell_price.value());
    if (grams > std::numeric_limits<std::int64_t>::max()) {
        return make_error(ErrorCode::amount_too_large,
                          "the amount needs more gold than can be represented");
    }
    return Micrograms{static_cast<std::int64_t>(grams)};
}

}  // namespace gw::trading
