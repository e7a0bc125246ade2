#pragma once

#include "http/router.hpp"
#include "trading/pool_service.hpp"
#include "trading/price_service.hpp"

namespace gw::http {

// Pools (admin; list also treasury), every change audited by the service:
// POST  /pools               {name, total_grams, purity, priority?, notes?}  → 201 pool
// GET   /pools                                                           → {items}
// GET   /pools/{id}                                                      → pool
// POST  /pools/{id}/topup    {added_grams, note}                          → pool
// PATCH /pools/{id}          {name?, notes?, priority?}                   → pool
// POST  /pools/{id}/retire   {reason}                                     → pool
// Prices:
// POST  /prices              {buy_price_per_gram, sell_price_per_gram}    → 201 (admin)
// GET   /prices/current                                                   → public
// GET   /prices/history?limit=&before=                                    → public
// REQUIRES: the services outlive the router.
void add_pool_price_routes(Router& router, trading::PoolService& pools, trading::PriceService& prices);

nlohmann::json pool_json(const trading::PoolView& pool);

}  // namespace gw::http
