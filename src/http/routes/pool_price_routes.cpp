#include "http/routes/pool_price_routes.hpp"

#include <algorithm>

#include "core/uuid_text.hpp"
#include "http/requests/pool_price_requests.hpp"
#include "http/route_support.hpp"

namespace gw::http {
namespace {

using identity::Role;

constexpr std::size_t kPageDefault = 50;
constexpr std::size_t kPageMax = 500;

identity::Actor actor_of(const RouteRequest& request) {
    return identity::Actor::of(request.caller(), std::string(request.request_id));
}

template <typename T>
void answer(httplib::Response& response, const RouteRequest& request, const Result<T>& result,
            int status, nlohmann::json (*to_json)(const T&)) {
    result ? write_json(response, status, to_json(*result)) : write_error(response, request, result.error());
}

void create_pool(trading::PoolService& pools, const RouteRequest& request, httplib::Response& response) {
    auto pool = decode_new_pool(request.json);
    pool ? answer(response, request, pools.create(actor_of(request), *pool), 201, &pool_json)
         : write_error(response, request, pool.error());
}

void top_up(trading::PoolService& pools, const RouteRequest& request, httplib::Response& response) {
    auto top_up = decode_pool_top_up(request.json);
    top_up ? answer(response, request,
                    pools.top_up(actor_of(request), request.param("id"), top_up->added, top_up->note), 200,
                    &pool_json)
           : write_error(response, request, top_up.error());
}

void update_pool(trading::PoolService& pools, const RouteRequest& request, httplib::Response& response) {
    auto changes = decode_pool_changes(request.json);
    changes ? answer(response, request, pools.update(actor_of(request), request.param("id"), *changes), 200,
                     &pool_json)
            : write_error(response, request, changes.error());
}

nlohmann::json price_json(const trading::PriceView& price) {
    return {{"id", price.id},
            {"buy_price_per_gram", format_price(price.buy)},
            {"sell_price_per_gram", format_price(price.sell)},
            {"updated_at", price.created_at}};
}

void set_price(trading::PriceService& prices, const RouteRequest& request, httplib::Response& response) {
    auto update = decode_price_update(request.json);
    update ? answer(response, request, prices.set(actor_of(request), update->buy, update->sell), 201, &price_json)
           : write_error(response, request, update.error());
}

void price_history(trading::PriceService& prices, const RouteRequest& request, httplib::Response& response) {
    auto limit = limit_param(request.http, kPageDefault, kPageMax);
    auto before = before_id_param(request.http);
    if (!limit || !before) {
        write_error(response, request, !limit ? limit.error() : before.error());
        return;
    }
    const auto page = prices.history(*before, *limit);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& price : page) {
        items.push_back(price_json(price));
    }
    write_json(response, 200,
               {{"items", items},
                {"next_before", page.size() == *limit ? nlohmann::json(page.back().id) : nlohmann::json()}});
}

// Pool routes take a UUID path parameter; anything else is simply not a pool.
Handler with_pool_id(std::function<void(const RouteRequest&, httplib::Response&)> handler) {
    return [handler = std::move(handler)](const RouteRequest& request, httplib::Response& response) {
        if (!is_uuid(request.param("id"))) {
            write_error(response, request, Error{ErrorCode::not_found, "no such pool"});
            return;
        }
        handler(request, response);
    };
}

}  // namespace

nlohmann::json pool_json(const trading::PoolView& pool) {
    return {{"id", pool.id},
            {"name", pool.name},
            {"purity", format_fineness(pool.purity)},
            {"priority", pool.priority},
            {"notes", pool.notes},
            {"total_grams", format_grams(pool.total)},
            {"available_grams", format_grams(pool.available)},
            {"reserved_grams", format_grams(pool.reserved)},
            {"held_grams", format_grams(pool.held)},
            {"selling_grams", format_grams(pool.selling)},
            {"created_at", pool.created_at},
            {"retired_at", pool.retired_at ? nlohmann::json(*pool.retired_at) : nlohmann::json()}};
}

void add_pool_price_routes(Router& router, trading::PoolService& pools, trading::PriceService& prices) {
    const Access admins = Access::only({Role::admin});
    const Access viewers = Access::only({Role::admin, Role::treasury});
    router.add("POST", "/pools", BodyKind::json,
               [&pools](const RouteRequest& r, httplib::Response& w) { create_pool(pools, r, w); }, admins);
    router.add("GET", "/pools", BodyKind::none,
               [&pools](const RouteRequest&, httplib::Response& w) {
                   nlohmann::json items = nlohmann::json::array();
                   for (const auto& pool : pools.list()) {
                       items.push_back(pool_json(pool));
                   }
                   write_json(w, 200, {{"items", items}});
               },
               viewers);
    router.add("GET", "/pools/{id}", BodyKind::none, with_pool_id([&pools](const RouteRequest& r, httplib::Response& w) {
                   answer(w, r, pools.find(r.param("id")), 200, &pool_json);
               }), viewers);
    router.add("POST", "/pools/{id}/topup", BodyKind::json,
               with_pool_id([&pools](const RouteRequest& r, httplib::Response& w) { top_up(pools, r, w); }), admins);
    router.add("PATCH", "/pools/{id}", BodyKind::json,
               with_pool_id([&pools](const RouteRequest& r, httplib::Response& w) { update_pool(pools, r, w); }), admins);
    router.add("POST", "/pools/{id}/retire", BodyKind::json,
               with_pool_id([&pools](const RouteRequest& r, httplib::Response& w) {
                   auto reason = decode_pool_retirement(r.json);
                   if (!reason) {
                       write_error(w, r, reason.error());
                       return;
                   }
                   answer(w, r, pools.retire(actor_of(r), r.param("id"), *reason), 200, &pool_json);
               }), admins);
    router.add("POST", "/prices", BodyKind::json,
               [&prices](const RouteRequest& r, httplib::Response& w) { set_price(prices, r, w); }, admins);
    router.add("GET", "/prices/current", BodyKind::none, [&prices](const RouteRequest& r, httplib::Response& w) {
        answer(w, r, prices.current(), 200, &price_json);
    });
    router.add("GET", "/prices/history", BodyKind::none,
               [&prices](const RouteRequest& r, httplib::Response& w) { price_history(prices, r, w); });
}

}  // namespace gw::http
