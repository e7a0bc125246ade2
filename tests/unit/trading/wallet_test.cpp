// Proves the pure rules behind GET /user/balance and GET /user/ledger (trading/wallet.hpp):
// a holding is valued exactly as a sale would pay it (down to the cent, then down to the
// shilling; null without a price; amount_too_large past int64), and a ledger cursor survives
// format → parse unchanged while every malformed cursor is refused.

#include "trading/wallet.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "support/money_test_support.hpp"

namespace gw::trading {
namespace {

constexpr const char* kId = "0b7c5a0e-1b9f-4c7e-8d3a-2f6e4b1c9a70";

std::optional<Cents> value_of(std::int64_t micrograms, std::int64_t cents_per_gram) {
    auto value = holding_value(Micrograms{micrograms}, PricePerGram{cents_per_gram});
    EXPECT_TRUE(value.has_value()) << to_string(value.error().code);
    return value.value_or(std::nullopt);
}

TEST(HoldingValue, IsNullWithoutAPrice) {
    auto value = holding_value(Micrograms{2'500'000}, std::nullopt);
    ASSERT_TRUE(value.has_value());
    EXPECT_EQ(*value, std::nullopt);
}

TEST(HoldingValue, RoundsDownToTheShillingLikeASale) {
    // 2.5 g at KES 8,123.45/g is KES 20,308.625: not 20,308.62 (cents) and not 20,309 (nearest).
    EXPECT_EQ(value_of(2'500'000, 812'345), Cents{2'030'800});
    // 1 µg at KES 999,999.99/g is KES 0.99999999: worth nothing in whole shillings.
    EXPECT_EQ(value_of(1, 99'999'999), Cents{0});
    // Exactly one shilling stays one shilling.
    EXPECT_EQ(value_of(1, 100'000'000), Cents{100});
    EXPECT_EQ(value_of(0, 812'345), Cents{0});
}

TEST(HoldingValue, RefusesAValueBeyondInt64) {
    // INT64_MAX µg at KES 1,000,000/g is 100 × INT64_MAX cents.
    auto too_large = holding_value(Micrograms{kInt64Max}, PricePerGram{100'000'000});
    ASSERT_FALSE(too_large.has_value());
    EXPECT_EQ(too_large.error().code, ErrorCode::amount_too_large);
    // The largest holding at one cent per gram still fits: floor(INT64_MAX / 1e6) cents.
    auto fits = holding_value(Micrograms{kInt64Max}, PricePerGram{1});
    ASSERT_TRUE(fits.has_value());
    EXPECT_EQ(*fits, Cents{(kInt64Max / 1'000'000) / 100 * 100});
}

TEST(LedgerCursor, RoundTripsThroughItsText) {
    const ledger::LedgerCursor cursor{TimePoint(std::chrono::microseconds(1'764'031'069'123'456)),
                                      kId};
    const std::string text = format_ledger_cursor(cursor);
    EXPECT_EQ(text, std::string("1764031069123456_") + kId);
    EXPECT_EQ(parse_ledger_cursor(text), cursor);
    const ledger::LedgerCursor epoch{TimePoint(std::chrono::microseconds(0)), kId};
    EXPECT_EQ(parse_ledger_cursor(format_ledger_cursor(epoch)), epoch);
    const ledger::LedgerCursor last{TimePoint(std::chrono::microseconds(kInt64Max)), kId};
    EXPECT_EQ(parse_ledger_cursor(format_ledger_cursor(last)), last);
}

TEST(LedgerCursor, AcceptsAnUpperCaseIdAsTheSamePosition) {
    const auto parsed = parse_ledger_cursor("5_0B7C5A0E-1B9F-4C7E-8D3A-2F6E4B1C9A70");
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->transfer_id, kId);
    EXPECT_EQ(parsed->created_at.time_since_epoch().count(), 5);
}

TEST(LedgerCursor, RefusesAnythingElse) {
    const std::string id = kId;
    for (const std::string& bad : {std::string(""),
                                   std::string("123"),
                                   id,
                                   "_" + id,
                                   "-1_" + id,
                                   "+1_" + id,
                                   "1.5_" + id,
                                   " 1_" + id,
                                   "9223372036854775808_" + id,   // INT64_MAX + 1
                                   "12345678901234567890_" + id,  // 20 digits
                                   std::string("1_"),
                                   "1_" + id + "0",
                                   "1_" + id.substr(1),
                                   std::string("1_0b7c5a0e1b9f4c7e8d3a2f6e4b1c9a70aaaa"),
                                   "1_" + id + "_1",
                                   "1__" + id}) {
        EXPECT_EQ(parse_ledger_cursor(bad), std::nullopt) << "'" << bad << "'";
    }
}

}  // namespace
}  // namespace gw::trading
