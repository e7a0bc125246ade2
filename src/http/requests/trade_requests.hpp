#pragma once

// The bodies of the trade routes (POST /trade/quote, /trade/buy, /trade/sell), decoded from
// JSON into the orders the trading services take. Pure functions of the parsed body: no
// database, no clock, so tests/fuzz/request_decode_fuzz.cpp can call them with any input.
// Errors name the field (validation_failed) or are those of the exact money parsers.

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "identity/actor.hpp"
#include "trading/buy_service.hpp"
#include "trading/quote.hpp"
#include "trading/sell_service.hpp"

namespace gw::http {

// Generous ceilings for a quote; the per-trade limits by KYC status apply when the trade is
// placed. KES 1,000,000,000 and 100 tonnes: far above any trade, so a typo shows.
inline constexpr Cents kQuoteKesMax{1'000'000'000LL * kCentsPerShilling};
inline constexpr Micrograms kQuoteGramsMax{100'000'000 * kMicrogramsPerGram};

struct QuoteRequest {
    identity::TradeSide side = identity::TradeSide::buy;
    trading::QuoteBasis basis;
};

// {side: "buy"|"sell", exactly one of amount_kes or grams}.
Result<QuoteRequest> decode_quote_request(const nlohmann::json& body);

// {phone_for_stk, optional quote_id, optional amount_kes xor grams, optional allow_partial}.
Result<trading::BuyOrder> decode_buy_order(const nlohmann::json& body);

// {payout_phone, optional quote_id, optional grams}.
Result<trading::SellOrder> decode_sell_order(const nlohmann::json& body);

}  // namespace gw::http
