#pragma once

// The rounding rules of DESIGN §4, in one place (docs/rounding.md has worked examples).
// Every rule rounds in the platform's favour by at most one unit of what it rounds to, so the
// pool can never hand out gold or shillings that nobody paid for:
//   buy by KES amount: grams  = floor(amount * 1e6 / price)                 micrograms
//   buy by grams:      charge = ceil(grams * price / 1e6), then UP to whole shillings
//   sell:              payout = floor(grams * price / 1e6), then DOWN to whole shillings
// All math is integer with __int128 intermediates: the largest product, INT64_MAX squared, is
// below 2^126 and cannot overflow. A result beyond int64 is an Error (amount_too_large), never
// undefined behaviour and never an assertion, because the inputs may come from clients.
// Negative inputs and non-positive prices are programmer errors (parsers and the price store
// only produce positive values) and trip GW_ASSERT.

#include "core/error.hpp"
#include "core/money.hpp"

namespace gw {

// 128-bit signed integer for exact products of two int64 amounts.
__extension__ typedef __int128 Int128;

// Returns floor(numerator / divisor).
// REQUIRES: numerator >= 0, divisor > 0 (asserted). int64 arguments widen implicitly.
Int128 div_floor(Int128 numerator, Int128 divisor);

// Returns ceil(numerator / divisor).
// REQUIRES: numerator >= 0, divisor > 0 (asserted).
Int128 div_ceil(Int128 numerator, Int128 divisor);

// Returns `amount` rounded up to the next multiple of kCentsPerShilling (unchanged if it is
// one already), or amount_too_large if that multiple exceeds INT64_MAX.
// REQUIRES: amount.value() >= 0.
[[nodiscard]] Result<Cents> round_up_to_shilling(Cents amount);

// Returns `amount` rounded down to a multiple of kCentsPerShilling. Cannot fail.
// REQUIRES: amount.value() >= 0.
Cents round_down_to_shilling(Cents amount);

// Returns `amount` unchanged if it is whole shillings (M-Pesa moves nothing smaller), else
// not_whole_shillings with a sentence saying M-Pesa needs whole shillings.
// REQUIRES: amount.value() >= 0.
[[nodiscard]] Result<Cents> require_whole_shillings(Cents amount);

// Rule 1, buy by KES amount: the gold that `amount` buys at `price`,
// floor(amount * kMicrogramsPerGram / price) micrograms.
// Returns amount_too_large if that exceeds INT64_MAX micrograms. May return Micrograms{0} when
// the amount is below the price of one microgram; the caller must then refuse the trade with
// zero_amount ("amount too small to buy any gold") and take no money.
// REQUIRES: amount.value() >= 0, price.value() > 0.
[[nodiscard]] Result<Micrograms> grams_for_amount(Cents amount, PricePerGram price);

// Rule 2, buy by grams: what the user pays for `grams` at `price`,
// ceil(grams * price / kMicrogramsPerGram) cents, rounded up to whole shillings.
// Always a multiple of kCentsPerShilling, and at least one shilling when grams > 0.
// Returns amount_too_large if the rounded charge exceeds INT64_MAX cents.
// REQUIRES: grams.value() >= 0, price.value() > 0.
[[nodiscard]] Result<Cents> charge_for_grams(Micrograms grams, PricePerGram price);

// Rule 3, sell: what the user receives for `grams` at `sell_price`,
// floor(grams * sell_price / kMicrogramsPerGram) cents, rounded down to whole shillings.
// Always a multiple of kCentsPerShilling; may be Cents{0} for a tiny sale, which the caller
// must refuse with zero_amount without taking the gold. Only the final payout has to fit in
// int64; otherwise amount_too_large.
// REQUIRES: grams.value() >= 0, sell_price.value() > 0.
[[nodiscard]] Result<Cents> payout_for_grams(Micrograms grams, PricePerGram sell_price);

}  // namespace gw
