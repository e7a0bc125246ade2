#include "http/requests/trade_requests.hpp"

#include "http/route_support.hpp"

namespace gw::http {
namespace {

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

// The optional quote_id member into `quote_id`.
Result<void> optional_quote_id(const nlohmann::json& body, std::optional<std::string>& quote_id) {
    if (!has_field(body, "quote_id")) {
        return {};
    }
    auto text = required_string(body, "quote_id");
    if (!text) {
        return text.error();
    }
    quote_id = *text;
    return {};
}

}  // namespace

Result<QuoteRequest> decode_quote_request(const nlohmann::json& body) {
    auto side = required_side(body);
    if (!side) {
        return side.error();
    }
    auto basis = required_basis(body);
    if (!basis) {
        return basis.error();
    }
    return QuoteRequest{*side, *basis};
}

Result<trading::BuyOrder> decode_buy_order(const nlohmann::json& body) {
    trading::BuyOrder order;
    if (has_field(body, "amount_kes") || has_field(body, "grams")) {
        auto basis = required_basis(body);
        if (!basis) {
            return basis.error();
        }
        order.basis = *basis;
    }
    if (auto quote = optional_quote_id(body, order.quote_id); !quote) {
        return quote.error();
    }
    auto phone = required_string(body, "phone_for_stk");
    if (!phone) {
        return phone.error();
    }
    order.phone = *phone;
    if (has_field(body, "allow_partial")) {
        if (!body["allow_partial"].is_boolean()) {
            return make_error(ErrorCode::validation_failed, "allow_partial: must be true or false");
        }
        order.allow_partial = body["allow_partial"].get<bool>();
    }
    return order;
}

Result<trading::SellOrder> decode_sell_order(const nlohmann::json& body) {
    trading::SellOrder order;
    if (has_field(body, "grams")) {
        auto grams = required_grams(body, "grams", kQuoteGramsMax);
        if (!grams) {
            return grams.error();
        }
        order.grams = *grams;
    }
    if (auto quote = optional_quote_id(body, order.quote_id); !quote) {
        return quote.error();
    }
    auto phone = required_string(body, "payout_phone");
    if (!phone) {
        return phone.error();
    }
    order.phone = *phone;
    return order;
}

}  // namespace gw::http
