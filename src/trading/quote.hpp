#pragma once

// Quotes: the pure pricing of a buy or a sell before any money or gold moves (DESIGN §4, §5).
// The user fixes one side of the trade, a KES amount or a quantity of gold, and the other side
// is computed at the current price with the rounding rules of core/rounding.hpp, always in the
// platform's favour by less than one unit. Every KES figure a quote shows is whole shillings,
// because that is what M-Pesa will move. No I/O: quote_service.* stores and serves quotes.

#include <optional>
#include <string_view>
#include <variant>

#include "core/error.hpp"
#include "core/money.hpp"
#include "identity/trade_limits.hpp"

namespace gw::trading {

// Which side of the trade the user fixed: the KES amount or the grams.
enum class QuoteBasisKind { amount, grams };

// The wire and database name: "amount" or "grams".
std::string_view to_string(QuoteBasisKind kind);

// Parses "amount" or "grams"; nullopt for anything else.
std::optional<QuoteBasisKind> parse_quote_basis_kind(std::string_view name);

// What the user fixed, with its value: Cents for "pay or receive this many shillings",
// Micrograms for "buy or sell this much gold". Values are positive (the parsers refuse zero).
using QuoteBasis = std::variant<Cents, Micrograms>;

// The kind of `basis`.
QuoteBasisKind kind_of(const QuoteBasis& basis);

// The priced terms of one quote.
struct QuoteTerms {
    identity::TradeSide side = identity::TradeSide::buy;
    QuoteBasisKind basis = QuoteBasisKind::amount;
    PricePerGram price_per_gram;  // the buy price for a buy, the sell price for a sell
    Micrograms grams;             // gold bought or sold; always > 0
    Cents amount;                 // KES charged or paid out; always > 0 and whole shillings
};

// Prices a trade at the current prices (`buy` for a buy, `sell` for a sell):
//   buy  by amount: amount as given; grams = grams_for_amount(amount, buy), rounded down.
//   buy  by grams:  grams as given;  amount = charge_for_grams(grams, buy), up to a shilling.
//   sell by grams:  grams as given;  amount = payout_for_grams(grams, sell), down to a shilling.
//   sell by amount: grams = grams_for_payout(amount, sell), the fewest micrograms paying at
//                   least the amount; amount = payout_for_grams(those grams, sell), which is
//                   never less than asked (more only when one microgram is worth over KES 1).
// Errors, in this order:
//   not_whole_shillings  an amount basis with cents (M-Pesa moves whole shillings only);
//   amount_too_large     a result beyond int64;
//   zero_amount          a buy amount below the price of one microgram, or gold whose payout
//                        rounds down to nothing.
// REQUIRES: the basis value > 0, buy > 0 and sell > 0 (asserted; parsers guarantee them).
[[nodiscard]] Result<QuoteTerms> price_quote(identity::TradeSide side,
                                             QuoteBasis basis,
                                             PricePerGram buy,
                                             PricePerGram sell);

// Sell by KES amount: the fewest micrograms whose payout_for_grams at `sell_price` is at least
// `amount`, ceil(amount * kMicrogramsPerGram / sell_price). For a whole-shilling amount that
// minimum exists and is exact: one microgram fewer pays less than the amount.
// Returns amount_too_large when it exceeds INT64_MAX micrograms.
// REQUIRES: amount.value() >= 0 and whole shillings, sell_price.value() > 0 (asserted).
[[nodiscard]] Result<Micrograms> grams_for_payout(Cents amount, PricePerGram sell_price);

}  // namespace gw::trading
