#include "http/requests/pool_price_requests.hpp"

#include <algorithm>

#include "http/route_support.hpp"

namespace gw::http {
namespace {

// A pool name is 1–120 characters (code points, as the database counts them).
bool name_length_ok(const std::string& name) {
    const auto characters = std::count_if(name.begin(), name.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    });
    return characters >= 1 && characters <= 120;
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

// The first error among `results`, in order, or nullptr when all hold values.
template <typename... Results>
const Error* first_error(const Results&... results) {
    const Error* first = nullptr;
    ((first = first != nullptr || results.has_value() ? first : &results.error()), ...);
    return first;
}

}  // namespace

Result<trading::NewPool> decode_new_pool(const nlohmann::json& body) {
    auto name = required_string(body, "name");
    auto total = required_grams(body, "total_grams", kPoolGramsMax);
    auto purity_text = required_string(body, "purity");
    auto notes = optional_string(body, "notes", "");
    auto priority = optional_priority(body, 100);
    if (const Error* error = first_error(name, total, purity_text, notes, priority)) {
        return *error;
    }
    auto purity = trading::parse_fineness(*purity_text);
    if (!purity) {
        return purity.error();
    }
    if (!name_length_ok(*name)) {
        return make_error(ErrorCode::validation_failed, "name: 1-120 characters");
    }
    return trading::NewPool{*name, *total, *purity, *priority, *notes};
}

Result<PoolTopUp> decode_pool_top_up(const nlohmann::json& body) {
    auto added = required_grams(body, "added_grams", kPoolGramsMax);
    auto note = optional_string(body, "note", "");
    if (const Error* error = first_error(added, note)) {
        return *error;
    }
    return PoolTopUp{*added, *note};
}

Result<trading::PoolChanges> decode_pool_changes(const nlohmann::json& body) {
    trading::PoolChanges changes;
    for (const char* field : {"name", "notes"}) {
        if (body.contains(field) && !body[field].is_null()) {
            auto value = required_string(body, field);
            if (!value) {
                return value.error();
            }
            (std::string_view(field) == "name" ? changes.name : changes.notes) = *value;
        }
    }
    if (body.contains("priority") && !body["priority"].is_null()) {
        auto priority = optional_priority(body, 0);
        if (!priority) {
            return priority.error();
        }
        changes.priority = *priority;
    }
    if (changes.name && !name_length_ok(*changes.name)) {
        return make_error(ErrorCode::validation_failed, "name: 1-120 characters");
    }
    return changes;
}

Result<std::string> decode_pool_retirement(const nlohmann::json& body) {
    return optional_string(body, "reason", "");
}

Result<PriceUpdate> decode_price_update(const nlohmann::json& body) {
    auto buy = required_price(body, "buy_price_per_gram", kPriceMax);
    auto sell = required_price(body, "sell_price_per_gram", kPriceMax);
    if (const Error* error = first_error(buy, sell)) {
        return *error;
    }
    return PriceUpdate{*buy, *sell};
}

}  // namespace gw::http
