// Fuzz entry point for JSON request decoding: the strict body parser (http/json_body.hpp) and
// the decoder of every JSON endpoint (http/requests/*.hpp). Each input is one request body; it
// goes through parse_strict_json with the server's depth limit and, when it is an object,
// through every endpoint's decoder. Properties, any violation traps:
//   - the parser never throws, refuses only with its four codes, keeps to the depth limit, and
//     accepts nothing nlohmann's own parser would not read as the same document;
//   - a decoder never throws; a refusal has a code among the six field codes and a detail that
//     begins with names of that endpoint's fields ("grams: …", "amount_kes, grams: …");
//   - an accepted body decodes to values within the route's documented bounds, strings exactly
//     as sent, and a day that formats back to the text given.
// Under GCC the checked-in corpus replays through corpus_replay_main.cpp as a unit test.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/time_text.hpp"
#include "http/json_body.hpp"
#include "http/requests/admin_requests.hpp"
#include "http/requests/auth_requests.hpp"
#include "http/requests/pool_price_requests.hpp"
#include "http/requests/trade_requests.hpp"
#include "http/settings.hpp"

namespace {

using nlohmann::json;

void require(bool property) {
    if (!property) {
        __builtin_trap();
    }
}

std::size_t depth_of(const json& value) {
    std::size_t deepest = 0;
    if (value.is_structured()) {
        for (const auto& child : value) {
            deepest = std::max(deepest, depth_of(child));
        }
        return deepest + 1;
    }
    return 0;
}

bool is_field_code(gw::ErrorCode code) {
    switch (code) {
        case gw::ErrorCode::validation_failed:
        case gw::ErrorCode::invalid_number_format:
        case gw::ErrorCode::too_many_decimals:
        case gw::ErrorCode::negative_amount:
        case gw::ErrorCode::zero_amount:
        case gw::ErrorCode::amount_too_large:
            return true;
        default:
            return false;
    }
}

// The detail names, before its first ':', only fields of `fields` (comma-separated).
bool names_fields(const std::string& detail, const std::vector<std::string>& fields) {
    const std::size_t colon = detail.find(':');
    if (colon == std::string::npos || colon + 1 >= detail.size()) {
        return false;
    }
    std::string_view names(detail.data(), colon);
    while (!names.empty()) {
        const std::size_t comma = names.find(", ");
        const std::string_view name = names.substr(0, comma);
        if (std::find(fields.begin(), fields.end(), name) == fields.end()) {
            return false;
        }
        names = comma == std::string_view::npos ? std::string_view() : names.substr(comma + 2);
    }
    return true;
}

// Runs one decoder: a refusal must be a field error naming `fields`; an acceptance must pass
// `accepted`.
template <typename T, typename Decode, typename Accepted>
void check(const json& body, const std::vector<std::string>& fields, Decode decode, Accepted accepted) {
    const gw::Result<T> result = decode(body);
    if (!result) {
        require(is_field_code(result.error().code));
        require(names_fields(result.error().detail, fields));
        return;
    }
    accepted(result.value());
}

bool string_member_is(const json& body, const char* name, const std::string& value) {
    const auto found = body.find(name);
    return found != body.end() && found->is_string() && found->get<std::string>() == value;
}

template <typename Amount>
bool within(Amount amount, std::int64_t low, Amount max) {
    return amount.value() >= low && amount.value() <= max.value();
}

bool basis_within(const gw::trading::QuoteBasis& basis) {
    if (const auto* cents = std::get_if<gw::Cents>(&basis)) {
        return within(*cents, 1, gw::http::kQuoteKesMax);
    }
    return within(std::get<gw::Micrograms>(basis), 1, gw::http::kQuoteGramsMax);
}

void check_identity_routes(const json& body) {
    using namespace gw::http;
    check<gw::identity::Registration>(
        body, {"accept_terms", "username", "email", "phone", "password"}, decode_registration,
        [&](const gw::identity::Registration& r) {
            require(string_member_is(body, "username", r.username) && string_member_is(body, "email", r.email) &&
                    string_member_is(body, "phone", r.phone) && string_member_is(body, "password", r.password));
        });
    check<Credentials>(body, {"username", "password"}, decode_credentials, [&](const Credentials& c) {
        require(string_member_is(body, "username", c.username) && string_member_is(body, "password", c.password));
    });
    check<std::string>(body, {"refresh_token"}, decode_refresh,
                       [&](const std::string& token) { require(string_member_is(body, "refresh_token", token)); });
    check<PasswordChange>(body, {"current_password", "new_password"}, decode_password_change,
                          [&](const PasswordChange& p) {
                              require(string_member_is(body, "current_password", p.current_password) &&
                                      string_member_is(body, "new_password", p.new_password));
                          });
    check<KycDecision>(body, {"status", "reason"}, decode_kyc_decision,
                       [&](const KycDecision& d) { require(string_member_is(body, "status", d.status)); });
    check<LimitUpdate>(body, {"kyc_status", "side", "per_trade_kes", "per_day_kes", "reason"}, decode_limit_update,
                       [&](const LimitUpdate& u) {
                           require(within(u.limit.per_trade, 0, kLimitMax) && within(u.limit.per_day, 0, kLimitMax));
                       });
}

void check_trade_routes(const json& body) {
    using namespace gw::http;
    check<QuoteRequest>(body, {"side", "amount_kes", "grams"}, decode_quote_request,
                        [](const QuoteRequest& q) { require(basis_within(q.basis)); });
    check<gw::trading::BuyOrder>(
        body, {"amount_kes", "grams", "quote_id", "phone_for_stk", "allow_partial"}, decode_buy_order,
        [&](const gw::trading::BuyOrder& o) {
            require(string_member_is(body, "phone_for_stk", o.phone));
            require(!o.basis || basis_within(*o.basis));
            require(!o.quote_id || string_member_is(body, "quote_id", *o.quote_id));
        });
    check<gw::trading::SellOrder>(body, {"grams", "quote_id", "payout_phone"}, decode_sell_order,
                                  [&](const gw::trading::SellOrder& o) {
                                      require(string_member_is(body, "payout_phone", o.phone));
                                      require(!o.grams || within(*o.grams, 1, kQuoteGramsMax));
                                  });
    check<gw::trading::AdjustmentOrder>(body, {"user_id", "grams", "direction", "reason"}, decode_adjustment,
                                        [](const gw::trading::AdjustmentOrder& a) {
                                            require(within(a.grams, 1, kAdjustmentGramsMax));
                                        });
    check<std::string>(body, {"mpesa_transaction_id"}, decode_payout_completion, [](const std::string&) {});
    check<std::string>(body, {"reason"}, decode_payout_failure, [](const std::string&) {});
}

void check_pool_routes(const json& body) {
    using namespace gw::http;
    check<gw::trading::NewPool>(body, {"name", "total_grams", "purity", "notes", "priority"}, decode_new_pool,
                                [&](const gw::trading::NewPool& p) {
                                    require(within(p.total, 1, kPoolGramsMax));
                                    require(p.priority >= 0 && p.priority <= 1'000'000);
                                    require(string_member_is(body, "name", p.name));
                                });
    check<PoolTopUp>(body, {"added_grams", "note"}, decode_pool_top_up,
                     [](const PoolTopUp& t) { require(within(t.added, 1, kPoolGramsMax)); });
    check<gw::trading::PoolChanges>(body, {"name", "notes", "priority"}, decode_pool_changes,
                                    [](const gw::trading::PoolChanges& c) {
                                        require(!c.priority || (*c.priority >= 0 && *c.priority <= 1'000'000));
                                        require(!c.name || !c.name->empty());
                                    });
    check<std::string>(body, {"reason"}, decode_pool_retirement, [](const std::string&) {});
    check<PriceUpdate>(body, {"buy_price_per_gram", "sell_price_per_gram"}, decode_price_update,
                       [](const PriceUpdate& p) {
                           require(within(p.buy, 1, kPriceMax) && within(p.sell, 1, kPriceMax));
                       });
    check<std::optional<std::chrono::sys_days>>(
        body, {"date"}, decode_reconciliation_run, [&](const std::optional<std::chrono::sys_days>& day) {
            require(!day || string_member_is(body, "date", gw::format_iso_day(*day)));
        });
    check<std::string>(body, {"note"}, decode_resolution,
                       [&](const std::string& note) { require(string_member_is(body, "note", note)); });
}

void check_parser(std::string_view text, const gw::Result<json>& parsed, std::size_t depth_max) {
    if (!parsed) {
        const gw::ErrorCode code = parsed.error().code;
        require(code == gw::ErrorCode::malformed_json || code == gw::ErrorCode::json_too_deep ||
                code == gw::ErrorCode::invalid_number_format || code == gw::ErrorCode::inexact_number);
        return;
    }
    require(depth_of(*parsed) <= depth_max);
    const json plain = json::parse(text, nullptr, false);
    require(!plain.is_discarded() && plain == *parsed);
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the libFuzzer entry point name is fixed.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::size_t depth_max = gw::http::Settings{}.json_depth_max;
    const gw::Result<json> parsed = gw::http::parse_strict_json(text, depth_max);
    check_parser(text, parsed, depth_max);
    if (parsed && parsed->is_object()) {
        check_identity_routes(*parsed);
        check_trade_routes(*parsed);
        check_pool_routes(*parsed);
    }
    return 0;
}
