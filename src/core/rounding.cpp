#include "core/rounding.hpp"

#include <cstdint>
#include <limits>
#include <optional>

#include "core/assert.hpp"

namespace gw {
namespace {

constexpr Int128 kInt64Max = std::numeric_limits<std::int64_t>::max();

// Narrows an exact result to int64, or nullopt when it does not fit. The static_cast is safe
// only after this range check.
std::optional<std::int64_t> narrow(Int128 value) {
    if (value > kInt64Max || value < -kInt64Max - 1) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(value);
}

Error too_large(const char* detail) {
    return make_error(ErrorCode::amount_too_large, detail);
}

}  // namespace

Int128 div_floor(Int128 numerator, Int128 divisor) {
    GW_ASSERT(numerator >= 0, "rounding helpers take non-negative amounts");
    GW_ASSERT(divisor > 0, "rounding helpers divide by a positive unit or price");
    return numerator / divisor;  // truncation is floor for non-negative operands
}

Int128 div_ceil(Int128 numerator, Int128 divisor) {
    GW_ASSERT(numerator >= 0, "rounding helpers take non-negative amounts");
    GW_ASSERT(divisor > 0, "rounding helpers divide by a positive unit or price");
    // numerator + divisor - 1 could overflow near the top of Int128; this form cannot.
    return numerator / divisor + (numerator % divisor != 0 ? 1 : 0);
}

Result<Cents> round_up_to_shilling(Cents amount) {
    const Int128 rounded = div_ceil(amount.value(), kCentsPerShilling) * kCentsPerShilling;
    const std::optional<std::int64_t> cents = narrow(rounded);
    if (!cents) {
        return too_large("the amount is too large to round to whole shillings");
    }
    return Cents{*cents};
}

Cents round_down_to_shilling(Cents amount) {
    const Int128 rounded = div_floor(amount.value(), kCentsPerShilling) * kCentsPerShilling;
    return Cents{static_cast<std::int64_t>(rounded)};  // <= amount, so it fits
}

Result<Cents> require_whole_shillings(Cents amount) {
    GW_ASSERT(amount.value() >= 0, "M-Pesa amounts are non-negative");
    if (amount.value() % kCentsPerShilling != 0) {
        return make_error(ErrorCode::not_whole_shillings,
                          "M-Pesa amounts must be whole shillings without cents");
    }
    return amount;
}

Result<Micrograms> grams_for_amount(Cents amount, PricePerGram price) {
    GW_ASSERT(amount.value() >= 0, "a buy amount is positive once parsed");
    GW_ASSERT(price.value() > 0, "prices are positive once parsed");
    // amount * 1e6 <= 9.3e24, far inside Int128.
    const Int128 scaled = static_cast<Int128>(amount.value()) * kMicrogramsPerGram;
    const std::optional<std::int64_t> grams = narrow(div_floor(scaled, price.value()));
    if (!grams) {
        return too_large("the amount buys more gold than can be represented");
    }
    return Micrograms{*grams};
}

Result<Cents> charge_for_grams(Micrograms grams, PricePerGram price) {
    GW_ASSERT(grams.value() >= 0, "a gram amount to buy is positive once parsed");
    GW_ASSERT(price.value() > 0, "prices are positive once parsed");
    // grams * price <= INT64_MAX^2 < 2^126: exact in Int128.
    const Int128 product = static_cast<Int128>(grams.value()) * price.value();
    const Int128 cents = div_ceil(product, kMicrogramsPerGram);
    const Int128 shillings = div_ceil(cents, kCentsPerShilling);
    const std::optional<std::int64_t> charge = narrow(shillings * kCentsPerShilling);
    if (!charge) {
        return too_large("the charge for this amount of gold is too large");
    }
    return Cents{*charge};
}

Result<Cents> payout_for_grams(Micrograms grams, PricePerGram sell_price) {
    GW_ASSERT(grams.value() >= 0, "a gram amount to sell is positive once parsed");
    GW_ASSERT(sell_price.value() > 0, "prices are positive once parsed");
    const Int128 product = static_cast<Int128>(grams.value()) * sell_price.value();
    const Int128 cents = div_floor(product, kMicrogramsPerGram);
    const Int128 shillings = div_floor(cents, kCentsPerShilling);
    const std::optional<std::int64_t> payout = narrow(shillings * kCentsPerShilling);
    if (!payout) {
        return too_large("the payout for this amount of gold is too large");
    }
    return Cents{*payout};
}

}  // namespace gw
