#include "http/routes/trade_routes.hpp"

#include "core/time_text.hpp"
#include "http/route_support.hpp"

namespace gw::http {
namespace {

// Generous ceilings for a quote; the per-trade limits by KYC status apply when the trade is
// placed. KES 1,000,000,000 and 100 tonnes: far above any trade, so a typo shows.
constexpr Cents kQuoteKesMax{1'000'000'000LL * kCentsPerShilling};
constexpr Micrograms kQuoteGramsMax{100'000'000 * kMicrogramsPerGram};

bool has_field(const nlohmann::json& body, const char* name) {
    const auto found = body.find(name);
    return found != body.end() && !found->is_null();
}

Result<identity::TradeSide> required_side(const nlohmann::json& body) {
    auto name = required_string(body, "side");
    if (!name) {
        return name.error();
    }
    const auto side = identity::parse_trade_side(*name);
    if (!side) {
        return make_error(ErrorCode::validation_failed, "side: must be buy or sell");
    }
    return *side;
}

// The one of amount_kes and grams the caller fixed, parsed exactly.
Result<trading::QuoteBasis> required_basis(const nlohmann::json& body) {
    const bool by_amount = has_field(body, "amount_kes");
    if (by_amount == has_field(body, "grams")) {
        return make_error(ErrorCode::validation_failed,
                          "amount_kes, grams: give exactly one of them");
    }
    if (by_amount) {
        auto amount = required_kes(body, "amount_kes", kQuoteKesMax);
        return amount ? Result<trading::QuoteBasis>(*amount) : amount.error();
    }
    auto grams = required_grams(body, "grams", kQuoteGramsMax);
    return grams ? Result<trading::QuoteBasis>(*grams) : grams.error();
}

void create_quote(trading::QuoteService& quotes,
                  const RouteRequest& request,
                  httplib::Response& response) {
    auto side = required_side(request.json);
    if (!side) {
        write_error(response, request, side.error());
        return;
    }
    auto basis = required_basis(request.json);
    if (!basis) {
        write_error(response, request, basis.error());
        return;
    }
    auto quote = quotes.create(request.caller().user_id, *side, *basis);
    quote ? write_json(response, 201, quote_json(*quote))
          : write_error(response, request, quote.error());
}

}  // namespace

nlohmann::json quote_json(const trading::QuoteView& quote) {
    return {{"quote_id", quote.id},
            {"side", std::string(identity::to_string(quote.side))},
            {"price_per_gram", format_price(quote.price_per_gram)},
            {"grams", format_grams(quote.grams)},
            {"amount_kes", format_kes(quote.amount)},
            {"expires_at", format_rfc3339(quote.expires_at)}};
}

void add_trade_routes(Router& router, trading::QuoteService& quotes) {
    router.add(
        "POST",
        "/trade/quote",
        BodyKind::json,
        [&quotes](const RouteRequest& r, httplib::Response& w) { create_quote(quotes, r, w); },
        Access::signed_in());
}

}  // namespace gw::http
