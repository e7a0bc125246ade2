#pragma once

#include "http/router.hpp"
#include "trading/quote_service.hpp"

namespace gw::http {

// Trading for the signed-in caller (any role); every route acts on the caller's own account.
// POST /trade/quote  {side: "buy"|"sell", amount_kes | grams}
//                    → 201 {quote_id, side, price_per_gram, grams, amount_kes, expires_at}
//   Exactly one of amount_kes (KES, whole shillings) and grams (up to 6 decimals), each a
//   decimal string or an exact JSON number. Refusals, first that applies: side missing or not
//   buy|sell, then both or neither amount given (validation_failed); the amount's parse error
//   (invalid_number_format, negative_amount, too_many_decimals, amount_too_large,
//   zero_amount); then the pricing errors of QuoteService::create (price_not_set,
//   not_whole_shillings, amount_too_large, zero_amount). Nothing is stored on a refusal.
// REQUIRES: `quotes` outlives the router.
void add_trade_routes(Router& router, trading::QuoteService& quotes);

nlohmann::json quote_json(const trading::QuoteView& quote);

}  // namespace gw::http
