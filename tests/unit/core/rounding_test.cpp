// Proves the three rounding rules of DESIGN §4 (core/rounding.hpp) on worked examples, at every
// rounding boundary (exact multiples do not move, one unit over does, half a cent rounds up),
// on both sides of the int64 limit of each result (amount_too_large, never UB: this file also
// runs under UBSan), and as properties over seeded random inputs: the platform is favoured by
// less than one unit of rounding, and buying then selling at one price never creates money.

#include "core/rounding.hpp"

#include <cstdint>
#include <limits>
#include <ostream>
#include <random>

#include <gtest/gtest.h>

#include "core/money.hpp"
#include "support/money_test_support.hpp"

namespace gw {

namespace {

constexpr std::int64_t kLargestWholeShillings = kInt64Max / 100 * 100;  // 9223372036854775800
constexpr PricePerGram kPrice8500{850'000};                        // KES 8,500.00 per gram
constexpr Micrograms kOneGram{kMicrogramsPerGram};


// ---- helpers ----

TEST(RoundingDiv, FloorAndCeilOnSmallValues) {
    EXPECT_EQ(div_floor(7, 2), 3);
    EXPECT_EQ(div_ceil(7, 2), 4);
    EXPECT_EQ(div_floor(6, 2), 3);
    EXPECT_EQ(div_ceil(6, 2), 3);
    EXPECT_EQ(div_floor(0, 5), 0);
    EXPECT_EQ(div_ceil(0, 5), 0);
    EXPECT_EQ(div_floor(1, 100), 0);
    EXPECT_EQ(div_ceil(1, 100), 1);
    EXPECT_EQ(div_floor(kInt64Max, 1), kInt64Max);
    EXPECT_EQ(div_ceil(kInt64Max, kInt64Max), 1);
}

TEST(RoundingDiv, CeilNearTheTopOfInt128DoesNotOverflow) {
    const Int128 top = ~(static_cast<Int128>(1) << 127);  // 2^127 - 1
    EXPECT_EQ(div_ceil(top, top), 1);
    EXPECT_EQ(div_ceil(top, 2), (top / 2) + 1);
    EXPECT_EQ(div_floor(top, 2), top / 2);
}

TEST(RoundingDivDeathTest, NegativeOrZeroOperandsAreProgrammerErrors) {
    EXPECT_DEATH((void)div_floor(-1, 2), "non-negative");
    EXPECT_DEATH((void)div_ceil(1, 0), "positive");
    EXPECT_DEATH((void)round_down_to_shilling(Cents{-1}), "non-negative");
    EXPECT_DEATH((void)grams_for_amount(Cents{100}, PricePerGram{0}), "positive");
    EXPECT_DEATH((void)charge_for_grams(Micrograms{-1}, kPrice8500), "positive once parsed");
    EXPECT_DEATH((void)payout_for_grams(kOneGram, PricePerGram{-5}), "positive");
}

TEST(RoundingShilling, UpMovesOnlyNonMultiples) {
    EXPECT_EQ(round_up_to_shilling(Cents{0}).value(), Cents{0});
    EXPECT_EQ(round_up_to_shilling(Cents{1}).value(), Cents{100});
    EXPECT_EQ(round_up_to_shilling(Cents{99}).value(), Cents{100});
    EXPECT_EQ(round_up_to_shilling(Cents{100}).value(), Cents{100});
    EXPECT_EQ(round_up_to_shilling(Cents{101}).value(), Cents{200});
}

TEST(RoundingShilling, UpAtTheInt64LimitBothSides) {
    EXPECT_EQ(round_up_to_shilling(Cents{kLargestWholeShillings}).value(),
              Cents{kLargestWholeShillings});
    EXPECT_EQ(code_of(round_up_to_shilling(Cents{kLargestWholeShillings + 1})),
              ErrorCode::amount_too_large);
    EXPECT_EQ(code_of(round_up_to_shilling(Cents{kInt64Max})), ErrorCode::amount_too_large);
}

TEST(RoundingShilling, DownDropsCents) {
    EXPECT_EQ(round_down_to_shilling(Cents{0}), Cents{0});
    EXPECT_EQ(round_down_to_shilling(Cents{99}), Cents{0});
    EXPECT_EQ(round_down_to_shilling(Cents{100}), Cents{100});
    EXPECT_EQ(round_down_to_shilling(Cents{199}), Cents{100});
    EXPECT_EQ(round_down_to_shilling(Cents{kInt64Max}), Cents{kLargestWholeShillings});
}

TEST(RoundingShilling, MpesaNeedsWholeShillings) {
    EXPECT_EQ(require_whole_shillings(Cents{150'000}).value(), Cents{150'000});
    EXPECT_EQ(require_whole_shillings(Cents{0}).value(), Cents{0});
    EXPECT_EQ(code_of(require_whole_shillings(Cents{150'050})), ErrorCode::not_whole_shillings);
    EXPECT_EQ(code_of(require_whole_shillings(Cents{1})), ErrorCode::not_whole_shillings);
    EXPECT_EQ(code_of(require_whole_shillings(Cents{99})), ErrorCode::not_whole_shillings);
    EXPECT_EQ(require_whole_shillings(Cents{kLargestWholeShillings}).value(),
              Cents{kLargestWholeShillings});
}

// ---- rule 1: buy by KES amount, grams = floor(amount * 1e6 / price) ----

TEST(RoundingGramsForAmount, WorkedExamples) {
    // KES 8,500 at KES 8,500/g buys exactly one gram.
    EXPECT_EQ(grams_for_amount(Cents{850'000}, kPrice8500).value(), kOneGram);
    // KES 1,000 at KES 8,500/g is 0.117647058... g: floored to 117,647 ug.
    EXPECT_EQ(grams_for_amount(Cents{100'000}, kPrice8500).value(), Micrograms{117'647});
    // KES 1 at KES 1,000,000/g is exactly one microgram.
    EXPECT_EQ(grams_for_amount(Cents{100}, PricePerGram{100'000'000}).value(), Micrograms{1});
    // KES 1.99 at the same price is 1.99 ug: floored to 1.
    EXPECT_EQ(grams_for_amount(Cents{199}, PricePerGram{100'000'000}).value(), Micrograms{1});
}

TEST(RoundingGramsForAmount, TooSmallAmountBuysZeroForTheCallerToRefuse) {
    EXPECT_EQ(grams_for_amount(Cents{1}, PricePerGram{100'000'000}).value(), Micrograms{0});
    EXPECT_EQ(grams_for_amount(Cents{99}, PricePerGram{100'000'000}).value(), Micrograms{0});
    EXPECT_EQ(grams_for_amount(Cents{1}, PricePerGram{kInt64Max}).value(), Micrograms{0});
    EXPECT_EQ(grams_for_amount(Cents{0}, kPrice8500).value(), Micrograms{0});
}

TEST(RoundingGramsForAmount, Int64LimitBothSides) {
    // KES 10,000/g is 1 cent per microgram, so the micrograms equal the cents.
    EXPECT_EQ(grams_for_amount(Cents{kInt64Max}, PricePerGram{1'000'000}).value(), Micrograms{kInt64Max});
    EXPECT_EQ(code_of(grams_for_amount(Cents{kInt64Max}, PricePerGram{999'999})),
              ErrorCode::amount_too_large);
    EXPECT_EQ(code_of(grams_for_amount(Cents{kInt64Max}, PricePerGram{1})), ErrorCode::amount_too_large);
    EXPECT_EQ(grams_for_amount(Cents{kInt64Max}, PricePerGram{kInt64Max}).value(), kOneGram);
}

// ---- rule 2: buy by grams, charge = ceil(grams * price / 1e6) up to whole shillings ----

TEST(RoundingChargeForGrams, ExactShillingsDoNotRound) {
    EXPECT_EQ(charge_for_grams(kOneGram, kPrice8500).value(), Cents{850'000});
    EXPECT_EQ(charge_for_grams(Micrograms{2'000'000}, kPrice8500).value(), Cents{1'700'000});
    EXPECT_EQ(charge_for_grams(Micrograms{0}, kPrice8500).value(), Cents{0});
}

TEST(RoundingChargeForGrams, FractionsRoundUpToTheNextShilling) {
    // 1 ug at KES 8,500/g is 0.85 cents: up to 1 cent, then up to KES 1.
    EXPECT_EQ(charge_for_grams(Micrograms{1}, kPrice8500).value(), Cents{100});
    // 1.000001 g is KES 8,500.0085: up to 8,500.01, then up to KES 8,501.
    EXPECT_EQ(charge_for_grams(Micrograms{1'000'001}, kPrice8500).value(), Cents{850'100});
    // A whole number of cents that is not whole shillings: KES 8,500.01 -> KES 8,501.
    EXPECT_EQ(charge_for_grams(kOneGram, PricePerGram{850'001}).value(), Cents{850'100});
    // One cent under a shilling boundary still goes up to it, never past it.
    EXPECT_EQ(charge_for_grams(kOneGram, PricePerGram{850'099}).value(), Cents{850'100});
}

TEST(RoundingChargeForGrams, ExactlyHalfACentRoundsUp) {
    // 2.000001 g at KES 5,000/g is 1,000,000.5 cents: up to 1,000,001, then to KES 10,001.
    EXPECT_EQ(charge_for_grams(Micrograms{2'000'001}, PricePerGram{500'000}).value(),
              Cents{1'000'100});
    // 1 ug at KES 5,000/g is exactly half a cent.
    EXPECT_EQ(charge_for_grams(Micrograms{1}, PricePerGram{500'000}).value(), Cents{100});
    // Just under half a cent also rounds up: the platform never undercharges.
    EXPECT_EQ(charge_for_grams(Micrograms{1}, PricePerGram{499'999}).value(), Cents{100});
}

TEST(RoundingChargeForGrams, Int64LimitBothSides) {
    EXPECT_EQ(charge_for_grams(kOneGram, PricePerGram{kLargestWholeShillings}).value(),
              Cents{kLargestWholeShillings});
    EXPECT_EQ(code_of(charge_for_grams(kOneGram, PricePerGram{kLargestWholeShillings + 1})),
              ErrorCode::amount_too_large);
    EXPECT_EQ(code_of(charge_for_grams(Micrograms{kInt64Max}, PricePerGram{kInt64Max})),
              ErrorCode::amount_too_large);
    EXPECT_EQ(code_of(charge_for_grams(Micrograms{1'000'001}, PricePerGram{kInt64Max})),
              ErrorCode::amount_too_large);
    // The largest gram amount at the smallest price: 9.2e12 g at 1 cent/g fits easily.
    EXPECT_EQ(charge_for_grams(Micrograms{kInt64Max}, PricePerGram{1}).value(),
              Cents{9'223'372'036'900});
}

// ---- rule 3: sell, payout = floor(grams * price / 1e6) down to whole shillings ----

TEST(RoundingPayoutForGrams, FloorsToWholeShillings) {
    EXPECT_EQ(payout_for_grams(kOneGram, kPrice8500).value(), Cents{850'000});
    EXPECT_EQ(payout_for_grams(kOneGram, PricePerGram{849'999}).value(), Cents{849'900});
    EXPECT_EQ(payout_for_grams(Micrograms{1'000'001}, kPrice8500).value(), Cents{850'000});
    EXPECT_EQ(payout_for_grams(Micrograms{117'647}, kPrice8500).value(), Cents{99'900});
    EXPECT_EQ(payout_for_grams(Micrograms{0}, kPrice8500).value(), Cents{0});
}

TEST(RoundingPayoutForGrams, TinySaleIsZeroForTheCallerToRefuse) {
    // 1 ug at KES 8,500/g is 0.85 cents; 117 ug is KES 0.99.
    EXPECT_EQ(payout_for_grams(Micrograms{1}, kPrice8500).value(), Cents{0});
    EXPECT_EQ(payout_for_grams(Micrograms{117}, kPrice8500).value(), Cents{0});
    EXPECT_EQ(payout_for_grams(Micrograms{118}, kPrice8500).value(), Cents{100});
}

TEST(RoundingPayoutForGrams, Int64LimitBothSides) {
    EXPECT_EQ(payout_for_grams(kOneGram, PricePerGram{kInt64Max}).value(),
              Cents{kLargestWholeShillings});
    EXPECT_EQ(code_of(payout_for_grams(Micrograms{2'000'000}, PricePerGram{kInt64Max})),
              ErrorCode::amount_too_large);
    // 2^62 ug at 2,000,000 cents/g is 2^63 cents, one beyond int64, yet the payout rounded
    // down to shillings fits: only the final value has to.
    const std::int64_t half_range = std::int64_t{1} << 62;
    EXPECT_EQ(payout_for_grams(Micrograms{half_range}, PricePerGram{2'000'000}).value(),
              Cents{kLargestWholeShillings});
    // 50 ug more is 2^63 + 100 cents: KES 92233720368547759.00 does not fit.
    EXPECT_EQ(code_of(payout_for_grams(Micrograms{half_range + 50}, PricePerGram{2'000'000})),
              ErrorCode::amount_too_large);
}

// ---- properties over seeded random inputs ----

Int128 exact_value_times_1e6(Micrograms grams, PricePerGram price) {
    return static_cast<Int128>(grams.value()) * price.value();
}

TEST(RoundingProperties, EveryRuleFavoursThePlatformByLessThanOneUnit) {
    std::mt19937_64 random(7);
    for (int i = 0; i < 20'000; ++i) {
        const Micrograms grams{static_cast<std::int64_t>(random() % 10'000'000'000'000)};
        const PricePerGram price{static_cast<std::int64_t>(random() % 100'000'000) + 1};
        const Int128 exact = exact_value_times_1e6(grams, price);  // cents * 1e6

        const Cents charge = charge_for_grams(grams, price).value();
        ASSERT_EQ(charge.value() % kCentsPerShilling, 0);
        ASSERT_GE(static_cast<Int128>(charge.value()) * kMicrogramsPerGram, exact);
        ASSERT_LT(static_cast<Int128>(charge.value() - 100) * kMicrogramsPerGram, exact);

        const Cents payout = payout_for_grams(grams, price).value();
        ASSERT_EQ(payout.value() % kCentsPerShilling, 0);
        ASSERT_LE(static_cast<Int128>(payout.value()) * kMicrogramsPerGram, exact);
        ASSERT_GT(static_cast<Int128>(payout.value() + 100) * kMicrogramsPerGram, exact);

        const Cents amount{static_cast<std::int64_t>(random() % 10'000'000'000)};
        const Micrograms bought = grams_for_amount(amount, price).value();
        const Int128 paid = static_cast<Int128>(amount.value()) * kMicrogramsPerGram;
        ASSERT_LE(static_cast<Int128>(bought.value()) * price.value(), paid);
        ASSERT_GT(static_cast<Int128>(bought.value() + 1) * price.value(), paid);
    }
}

TEST(RoundingProperties, BuyThenSellAtOnePriceNeverCreatesMoney) {
    std::mt19937_64 random(11);
    for (int i = 0; i < 20'000; ++i) {
        const Micrograms grams{static_cast<std::int64_t>(random() % 10'000'000'000) + 1};
        const PricePerGram price{static_cast<std::int64_t>(random() % 100'000'000) + 1};
        const Cents charge = charge_for_grams(grams, price).value();
        ASSERT_LE(payout_for_grams(grams, price).value(), charge);
        // What was charged always buys back at least the grams that were priced.
        ASSERT_GE(grams_for_amount(charge, price).value(), grams);
    }
}

}  // namespace
}  // namespace gw
