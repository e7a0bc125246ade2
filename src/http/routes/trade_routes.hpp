#pragma once

#include "http/middleware/rate_limit.hpp"
#include "http/router.hpp"
#include "trading/buy_service.hpp"
#include "trading/quote_service.hpp"
#include "trading/sell_service.hpp"
#include "trading/trade_history.hpp"

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
// POST /trade/buy    Idempotency-Key: <1–255 printable characters>
//                    {amount_kes | grams, phone_for_stk, quote_id?, allow_partial?}
//                    → 201 {trade_id, status, grams, amount_kes, price_per_gram,
//                           stk_push_initiated, partial, quote_id, created_at}
//   With quote_id the quote fixes the terms (amount_kes/grams may be left out, and must match
//   it when given); without, the current price does and the response shows it. The same key
//   with the same body repeats the first answer (header Idempotent-Replayed: true; GET
//   /trade/{id} shows where the trade is now); with
//   another body, idempotency_key_reused. The errors of BuyService::buy.
// POST /trade/sell   Idempotency-Key as for buys; {grams | quote_id, payout_phone}
//                    → 201 trade_json + {payout_id, payout_mode, payout_initiated}
//   The grams are locked at once (pending transfers back to their pools); the payout goes to
//   B2C (payout_initiated: true, sent by the outbox worker) or waits in the admin's manual
//   queue (payout_initiated: false). The errors of SellService::sell.
// GET /trade/{id}    → 200 the trade (trade_json); not_found unless the caller owns it or is
//                    admin/treasury.
// GET /user/trades?limit=&before= → 200 {items: [trade_json…], next_before}
// Buys and sells are rate limited per caller and per client IP (limits.trade_per_user,
// trade_per_ip): 429 rate_limited with Retry-After, nothing stored.
// REQUIRES: every service, the limiter and the limits outlive the router.
void add_trade_routes(Router& router,
                      trading::QuoteService& quotes,
                      trading::BuyService& buys,
                      trading::SellService& sells,
                      trading::TradeHistory& history,
                      RateLimiter& limiter,
                      const RateLimits& limits);

nlohmann::json quote_json(const trading::QuoteView& quote);
nlohmann::json trade_json(const trading::TradeView& trade);

}  // namespace gw::http
