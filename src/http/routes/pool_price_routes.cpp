#include "http/routes/pool_price_routes.hpp"

#include <algorithm>

#include "core/uuid_text.hpp"
#include "http/route_support.hpp"

namespace gw::http {
namespace {

using identity::Role;

// The largest single lot we accept: 100 tonnes, far above any vault bar.
const Micrograms kPoolGramsMax{100'000'000 * kMicrogramsPerGram};
// KES 10,000,000 per gram: orders of magnitude above gold's price, so a typo shows.
const PricePerGram kPriceMax{10'000'000LL * kCentsPerShilling};
constexpr std::size_t kPageDefault = 50;
constexpr std::size_t kPageMax = 500;

// A pool name is 1–120 characters (code points, as the database counts them).
bool name_length_ok(const std::string& name) {
    const auto characters = std::count_if(name.begin(), name.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    });
    return characters >= 1 && characters <= 120;
}

identity::Actor actor_of(const RouteRequest& request) {
    return identity::Actor::of(request.caller(), std::string(request.request_id));
}

template <typename T>
void answer(httplib::Response& response, const RouteRequest& request, const Result<T>& result,
            int status, nlohmann::json (*to_json)(const T&)) {
    result ? write_json(response, status, to_json(*result)) : write_error(response, request, result.error());
}

Result<int> optional_priority(const nlohmann::json& body, int fallback) {
    const auto found = body.find("priority");
    if (found == body.end() || found->is_null()) {
        return fallback;
    }
    if (!found->is_number_integer() || found->get<std::int64_t>() < 0 || found->get<std::int64_t>() > 1'000'000) {
        return make_error(ErrorCode::validation_failed, "priority: an integer from 0 to 1000000");
    }
    return static_cast<int>(found->get<std::int64_t>());
}

void create_pool(trading::PoolService& pools, const RouteRequest& request, httplib::Response& response) {
    auto name = required_string(request.json, "name");
    auto total = required_grams(request.json, "total_grams", kPoolGramsMax);
    auto purity_text = required_string(request.json, "purity");
    auto notes = optional_string(request.json, "notes", "");
    auto priority = optional_priority(request.json, 100);
    for (const Error* error : {name ? nullptr : &name.error(), total ? nullptr : &total.error(),
                               purity_text ? nullptr : &purity_text.error(), notes ? nullptr : &notes.error(),
                               priority ? nullptr : &priority.error()}) {
        if (error != nullptr) {
            write_error(response, request, *error);
            return;
        }
    }
    auto purity = trading::parse_fineness(*purity_text);
    if (!purity || !name_length_ok(*name)) {
        write_error(response, request,
                    !purity ? purity.error() : Error{ErrorCode::validation_failed, "name: 1-120 characters"});
        return;
    }
    answer(response, request, pools.create(actor_of(request), {*name, *total, *purity, *priority, *notes}), 201,
           &pool_json);
}

void top_up(trading::PoolService& pools, const RouteRequest& request, httplib::Response& response) {
    auto added = required_grams(request.json, "added_grams", kPoolGramsMax);
    auto note = optional_string(request.json, "note", "");
    if (!added || !note) {
        write_error(response, request, !added ? added.error() : note.error());
        return;
    }
    answer(response, request, pools.top_up(actor_of(request), request.param("id"), *added, *note), 200, &pool_json);
}

void update_pool(trading::PoolService& pools, const RouteRequest& request, httplib::Response& response) {
    trading::PoolChanges changes;
    const nlohmann::json& body = request.json;
    for (const char* field : {"name", "notes"}) {
        if (body.contains(field) && !body[field].is_null()) {
            auto value = required_string(body, field);
            if (!value) {
                write_error(response, request, value.error());
                return;
            }
            (std::string_view(field) == "name" ? changes.name : changes.notes) = *value;
        }
    }
    if (body.contains("priority") && !body["priority"].is_null()) {
        auto priority = optional_priority(body, 0);
        if (!priority) {
            write_error(response, request, priority.error());
            return;
        }
        changes.priority = *priority;
    }
    if (changes.name && !name_length_ok(*changes.name)) {
        write_error(response, request, Error{ErrorCode::validation_failed, "name: 1-120 characters"});
        return;
    }
    answer(response, request, pools.update(actor_of(request), request.param("id"), changes), 200, &pool_json);
}

nlohmann::json price_json(const trading::PriceView& price) {
    return {{"id", price.id},
            {"buy_price_per_gram", format_price(price.buy)},
            {"sell_price_per_gram", format_price(price.sell)},
            {"updated_at", price.created_at}};
}

void set_price(trading::PriceService& prices, const RouteRequest& request, httplib::Response& response) {
    auto buy = required_price(request.json, "buy_price_per_gram", kPriceMax);
    auto sell = required_price(request.json, "sell_price_per_gram", kPriceMax);
    if (!buy || !sell) {
        write_error(response, request, !buy ? buy.error() : sell.error());
        return;
    }
    answer(response, request, prices.set(actor_of(request), *buy, *sell), 201, &price_json);
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
                   auto reason = optional_string(r.json, "reason", "");
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
