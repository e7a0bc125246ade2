#pragma once

// The bodies of the pool and price routes (POST /pools, PATCH /pools/{id},
// POST /pools/{id}/topup, POST /pools/{id}/retire, POST /prices), decoded from JSON. Pure
// functions of the parsed body, fuzzed by tests/fuzz/request_decode_fuzz.cpp.

#include <nlohmann/json.hpp>
#include <string>

#include "core/error.hpp"
#include "core/money.hpp"
#include "trading/pool_service.hpp"

namespace gw::http {

// The largest single lot we accept: 100 tonnes, far above any vault bar.
inline constexpr Micrograms kPoolGramsMax{100'000'000 * kMicrogramsPerGram};
// KES 10,000,000 per gram: orders of magnitude above gold's price, so a typo shows.
inline constexpr PricePerGram kPriceMax{10'000'000LL * kCentsPerShilling};

// {name (1–120 characters), total_grams, purity ("999.9"), optional notes, optional priority
// 0–1000000 (default 100)}.
Result<trading::NewPool> decode_new_pool(const nlohmann::json& body);

struct PoolTopUp {
    Micrograms added;
    std::string note;
};

// {added_grams, optional note}.
Result<PoolTopUp> decode_pool_top_up(const nlohmann::json& body);

// {optional name, notes, priority}: only the members given (and not null) change.
Result<trading::PoolChanges> decode_pool_changes(const nlohmann::json& body);

// {optional reason}; returns the reason ("" when absent).
Result<std::string> decode_pool_retirement(const nlohmann::json& body);

struct PriceUpdate {
    PricePerGram buy;
    PricePerGram sell;
};

// {buy_price_per_gram, sell_price_per_gram}.
Result<PriceUpdate> decode_price_update(const nlohmann::json& body);

}  // namespace gw::http
