// Proves the pricing of quotes (trading/quote.hpp) against hand-computed figures: each of the
// four cases (buy or sell, by KES or by grams) at its edges — one microgram, one shilling at
// KES 1,000,000/g, the int64 limits on both sides of the boundary, rounding up for charges and
// down for payouts — and, over many seeded amounts and prices, that a sell by KES amount is
// the fewest micrograms that pay at least the amount, so it never pays less than asked.

#include "trading/quote.hpp"

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "support/money_test_support.hpp"

#include "core/rounding.hpp"

namespace gw::trading {
namespace {

using identity::TradeSide;

// The largest whole-shilling amount an int64 holds: KES 92,233,720,368,547,758.00.
constexpr std::int64_t kWholeShillingsMax = kInt64Max - kInt64Max % kCentsPerShilling;

constexpr PricePerGram kBuy{850'000};          // KES 8,500.00/g
constexpr PricePerGram kSell{820'000};         // KES 8,200.00/g
constexpr PricePerGram kMillion{100'000'000};  // KES 1,000,000.00/g: one microgram is KES 1

Cents kes(std::int64_t shillings) {
    return Cents{shillings * kCentsPerShilling};
}

QuoteTerms expect_terms(const Result<QuoteTerms>& quote, const std::string& what) {
    EXPECT_TRUE(quote.has_value())
        << what << ": " << to_string(quote.error().code) << " " << quote.error().detail;
    return quote.value_or(QuoteTerms{});
}

void expect_error(const Result<QuoteTerms>& quote, ErrorCode code, const std::string& what) {
    ASSERT_FALSE(quote.has_value()) << what << ": priced " << format_grams(quote->grams)
                                    << " g for KES " << format_kes(quote->amount);
    EXPECT_EQ(quote.error().code, code) << what << ": " << quote.error().detail;
    EXPECT_FALSE(quote.error().detail.empty()) << what;
}

TEST(Quote, BuyByAmountCreditsTheGramsRoundedDown) {
    const QuoteTerms terms = expect_terms(price_quote(TradeSide::buy, kes(1500), kBuy, kSell), "");
    EXPECT_EQ(terms.side, TradeSide::buy);
    EXPECT_EQ(terms.basis, QuoteBasisKind::amount);
    EXPECT_EQ(terms.price_per_gram, kBuy) << "a buy is priced at the buy price";
    EXPECT_EQ(terms.grams, Micrograms{176'470}) << "0.17647058… g, down to the microgram";
    EXPECT_EQ(terms.amount, kes(1500)) << "the amount is what the user fixed";

    const QuoteTerms exact =
        expect_terms(price_quote(TradeSide::buy, kes(8500), kBuy, kSell), "exact");
    EXPECT_EQ(exact.grams, Micrograms{kMicrogramsPerGram});
}

TEST(Quote, BuyByAmountOfOneShillingAtAMillionPerGramIsOneMicrogram) {
    const QuoteTerms terms =
        expect_terms(price_quote(TradeSide::buy, kes(1), kMillion, kSell), "KES 1");
    EXPECT_EQ(terms.grams, Micrograms{1});
    EXPECT_EQ(terms.amount, kes(1));
    expect_error(price_quote(TradeSide::buy, kes(1), PricePerGram{kMillion.value() + 1}, kSell),
                 ErrorCode::zero_amount,
                 "one cent per gram dearer buys nothing");
    const auto nothing =
        price_quote(TradeSide::buy, kes(1), PricePerGram{kMillion.value() + 1}, kSell);
    ASSERT_FALSE(nothing.has_value());
    EXPECT_EQ(nothing.error().detail, "amount too small to buy any gold");
}

TEST(Quote, AnAmountWithCentsIsRefusedOnEitherSideBeforeAnythingElse) {
    for (const TradeSide side : {TradeSide::buy, TradeSide::sell}) {
        const std::string what(identity::to_string(side));
        expect_error(price_quote(side, Cents{150'050}, kBuy, kSell),
                     ErrorCode::not_whole_shillings,
                     what + " KES 1500.50");
        expect_error(price_quote(side, Cents{1}, kBuy, kSell),
                     ErrorCode::not_whole_shillings,
                     what + " KES 0.01");
        expect_error(price_quote(side, Cents{99}, kMillion, kMillion),
                     ErrorCode::not_whole_shillings,
                     what + " KES 0.99 would also be too small: cents are reported first");
        expect_error(price_quote(side, Cents{kInt64Max}, PricePerGram{1}, PricePerGram{1}),
                     ErrorCode::not_whole_shillings,
                     what + " INT64_MAX cents would also overflow: cents are reported first");
    }
}

TEST(Quote, BuyByAmountAtTheInt64Boundary) {
    const QuoteTerms largest = expect_terms(
        price_quote(
            TradeSide::buy, Cents{kWholeShillingsMax}, PricePerGram{kMicrogramsPerGram}, kSell),
        "at KES 10,000/g one cent buys one microgram");
    EXPECT_EQ(largest.grams, Micrograms{kWholeShillingsMax});
    EXPECT_EQ(largest.amount, Cents{kWholeShillingsMax});
    expect_error(
        price_quote(
            TradeSide::buy, Cents{kWholeShillingsMax}, PricePerGram{kMicrogramsPerGram - 1}, kSell),
        ErrorCode::amount_too_large,
        "one cent per gram cheaper: beyond INT64_MAX µg");
    expect_error(price_quote(TradeSide::buy, Cents{kWholeShillingsMax}, PricePerGram{1}, kSell),
                 ErrorCode::amount_too_large,
                 "at one cent per gram");
}

TEST(Quote, BuyByGramsChargesRoundedUpToWholeShillings) {
    struct Case {
        std::int64_t micrograms;
        std::int64_t price;
        std::int64_t charged_cents;
    };
    const Case cases[] = {
        {1'000'000, 850'000, 850'000},    // exact: no rounding
        {1'000'001, 850'000, 850'100},    // KES 8,500.0085 -> 8,501
        {1'000'000, 850'001, 850'100},    // KES 8,500.01 -> 8,501
        {1, 850'000, 100},                // KES 0.0085 -> 1: any gold costs at least a shilling
        {2'000'001, 500'000, 1'000'100},  // half a cent rounds up like any fraction
        {1, 100'000'000, 100},            // one microgram at KES 1,000,000/g is exactly KES 1
    };
    for (const Case& c : cases) {
        const std::string what = std::to_string(c.micrograms) + " µg at " + std::to_string(c.price);
        const QuoteTerms terms = expect_terms(
            price_quote(TradeSide::buy, Micrograms{c.micrograms}, PricePerGram{c.price}, kSell),
            what);
        EXPECT_EQ(terms.basis, QuoteBasisKind::grams) << what;
        EXPECT_EQ(terms.price_per_gram, PricePerGram{c.price}) << what;
        EXPECT_EQ(terms.grams, Micrograms{c.micrograms}) << what;
        EXPECT_EQ(terms.amount, Cents{c.charged_cents}) << what;
    }
}

TEST(Quote, BuyByGramsAtTheInt64Boundary) {
    const PricePerGram ten_thousand{kMicrogramsPerGram};  // one cent per microgram
    EXPECT_EQ(expect_terms(
                  price_quote(TradeSide::buy, Micrograms{kWholeShillingsMax}, ten_thousand, kSell),
                  "largest charge that fits")
                  .amount,
              Cents{kWholeShillingsMax});
    expect_error(
        price_quote(TradeSide::buy, Micrograms{kWholeShillingsMax + 1}, ten_thousand, kSell),
        ErrorCode::amount_too_large,
        "one cent more rounds up beyond INT64_MAX");
    EXPECT_EQ(
        expect_terms(price_quote(TradeSide::buy, Micrograms{kInt64Max}, PricePerGram{1}, kSell),
                     "all the gold at one cent per gram")
            .amount,
        Cents{9'223'372'036'900});
    expect_error(
        price_quote(TradeSide::buy, Micrograms{kInt64Max}, PricePerGram{1'000'000'000}, kSell),
        ErrorCode::amount_too_large,
        "all the gold at KES 10,000,000/g");
}

TEST(Quote, SellByGramsPaysRoundedDownToWholeShillings) {
    struct Case {
        std::int64_t micrograms;
        std::int64_t price;
        std::int64_t paid_cents;
    };
    const Case cases[] = {
        {1'000'000, 850'000, 850'000},  // exact
        {1'000'000, 849'999, 849'900},  // KES 8,499.99 -> 8,499
        {117'647, 850'000, 99'900},     // KES 999.9995 -> 999
        {118, 850'000, 100},            // KES 1.003 -> 1
        {1, 100'000'000, 100},          // one microgram at KES 1,000,000/g
    };
    for (const Case& c : cases) {
        const std::string what = std::to_string(c.micrograms) + " µg at " + std::to_string(c.price);
        const QuoteTerms terms = expect_terms(
            price_quote(TradeSide::sell, Micrograms{c.micrograms}, kBuy, PricePerGram{c.price}),
            what);
        EXPECT_EQ(terms.side, TradeSide::sell) << what;
        EXPECT_EQ(terms.basis, QuoteBasisKind::grams) << what;
        EXPECT_EQ(terms.price_per_gram, PricePerGram{c.price}) << "a sell uses the sell price";
        EXPECT_EQ(terms.grams, Micrograms{c.micrograms}) << what;
        EXPECT_EQ(terms.amount, Cents{c.paid_cents}) << what;
    }
}

TEST(Quote, SellingGoldWorthLessThanAShillingIsRefused) {
    for (const std::int64_t micrograms : {std::int64_t{1}, std::int64_t{117}}) {
        const auto quote = price_quote(TradeSide::sell, Micrograms{micrograms}, kBuy, kBuy);
        expect_error(quote, ErrorCode::zero_amount, std::to_string(micrograms) + " µg");
    }
    expect_error(
        price_quote(TradeSide::sell, Micrograms{1}, kMillion, PricePerGram{kMillion.value() - 1}),
        ErrorCode::zero_amount,
        "KES 0.99999999 rounds down to nothing");
}

TEST(Quote, SellByGramsAtTheInt64Boundary) {
    EXPECT_EQ(
        expect_terms(
            price_quote(
                TradeSide::sell, Micrograms{kInt64Max}, kBuy, PricePerGram{kMicrogramsPerGram}),
            "one cent per microgram")
            .amount,
        Cents{kWholeShillingsMax});
    EXPECT_EQ(expect_terms(price_quote(TradeSide::sell,
                                       Micrograms{std::int64_t{1} << 62},
                                       PricePerGram{2'000'000'000},
                                       PricePerGram{2'000'000}),
                           "2^62 µg at KES 20,000/g is 2^63 cents, which rounds down into int64")
                  .amount,
              Cents{kWholeShillingsMax});
    expect_error(price_quote(TradeSide::sell,
                             Micrograms{kInt64Max},
                             PricePerGram{2'000'000},
                             PricePerGram{2'000'000}),
                 ErrorCode::amount_too_large,
                 "all the gold at KES 20,000/g");
}

TEST(Quote, SellByAmountSellsTheFewestGramsThatPayIt) {
    const QuoteTerms terms =
        expect_terms(price_quote(TradeSide::sell, kes(1000), kBuy, kSell), "KES 1,000 at 8,200");
    EXPECT_EQ(terms.basis, QuoteBasisKind::amount);
    EXPECT_EQ(terms.price_per_gram, kSell);
    EXPECT_EQ(terms.grams, Micrograms{121'952}) << "0.121951… g, up to the microgram";
    EXPECT_EQ(terms.amount, kes(1000));
    EXPECT_EQ(payout_for_grams(Micrograms{121'951}, kSell).value(), kes(999))
        << "one microgram fewer would pay less than asked";

    const QuoteTerms exact =
        expect_terms(price_quote(TradeSide::sell, kes(8200), kBuy, kSell), "exactly one gram");
    EXPECT_EQ(exact.grams, Micrograms{kMicrogramsPerGram});
    EXPECT_EQ(exact.amount, kes(8200));

    const QuoteTerms one =
        expect_terms(price_quote(TradeSide::sell, kes(1), kMillion, kMillion), "KES 1");
    EXPECT_EQ(one.grams, Micrograms{1});
    EXPECT_EQ(one.amount, kes(1));
}

TEST(Quote, SellByAmountPaysMoreThanAskedOnlyWhenOneMicrogramIsWorthMoreThanAShilling) {
    const PricePerGram three_million{300'000'000};  // one microgram is KES 3
    const QuoteTerms terms =
        expect_terms(price_quote(TradeSide::sell, kes(1), three_million, three_million), "KES 1");
    EXPECT_EQ(terms.grams, Micrograms{1});
    EXPECT_EQ(terms.amount, kes(3)) << "the quote shows what will really be paid";
    const QuoteTerms four =
        expect_terms(price_quote(TradeSide::sell, kes(4), three_million, three_million), "KES 4");
    EXPECT_EQ(four.grams, Micrograms{2});
    EXPECT_EQ(four.amount, kes(6));
}

TEST(Quote, SellByAmountAtTheInt64Boundary) {
    const QuoteTerms largest = expect_terms(
        price_quote(
            TradeSide::sell, Cents{kWholeShillingsMax}, kBuy, PricePerGram{kMicrogramsPerGram}),
        "one cent per microgram");
    EXPECT_EQ(largest.grams, Micrograms{kWholeShillingsMax});
    EXPECT_EQ(largest.amount, Cents{kWholeShillingsMax});
    expect_error(
        price_quote(
            TradeSide::sell, Cents{kWholeShillingsMax}, kBuy, PricePerGram{kMicrogramsPerGram - 1}),
        ErrorCode::amount_too_large,
        "one cent per gram cheaper needs more than INT64_MAX µg");
    expect_error(price_quote(TradeSide::sell, Cents{kWholeShillingsMax}, kBuy, PricePerGram{1}),
                 ErrorCode::amount_too_large,
                 "at one cent per gram");
}

TEST(Quote, GramsForPayoutIsTheCeilingAndRefusesOverflow) {
    EXPECT_EQ(grams_for_payout(Cents{0}, kSell).value(), Micrograms{0});
    EXPECT_EQ(grams_for_payout(kes(1), PricePerGram{1}).value(), Micrograms{100'000'000});
    EXPECT_EQ(grams_for_payout(kes(1000), kSell).value(), Micrograms{121'952});
    const auto too_many = grams_for_payout(Cents{kWholeShillingsMax}, PricePerGram{1});
    ASSERT_FALSE(too_many.has_value());
    EXPECT_EQ(too_many.error().code, ErrorCode::amount_too_large);
}

// For many whole-shilling amounts and sell prices (seeded, so every run checks the same ones):
// the grams pay at least the amount, one microgram fewer pays less, and the quoted amount is
// exactly what those grams pay.
TEST(Quote, SellByAmountNeverPaysLessThanAskedAndSellsNoMicrogramTooMany) {
    std::mt19937_64 random(20'260'107);
    std::uniform_int_distribution<std::int64_t> shillings(1, 10'000'000);
    std::uniform_int_distribution<std::int64_t> price_cents(1, 1'000'000'000);
    for (int i = 0; i < 20'000; ++i) {
        const Cents asked = kes(i < 1'000 ? i + 1 : shillings(random));
        const PricePerGram sell{i % 7 == 0 ? 820'000 + i : price_cents(random)};
        const std::string what = "KES " + format_kes(asked) + " at " + format_price(sell);
        const auto quote =
            price_quote(TradeSide::sell, asked, PricePerGram{sell.value() + 1}, sell);
        ASSERT_TRUE(quote.has_value()) << what << ": " << quote.error().detail;
        ASSERT_GE(quote->amount, asked) << what;
        ASSERT_EQ(quote->amount, payout_for_grams(quote->grams, sell).value()) << what;
        ASSERT_EQ(quote->amount.value() % kCentsPerShilling, 0) << what;
        ASSERT_GT(quote->grams, Micrograms{0}) << what;
        ASSERT_LT(payout_for_grams(Micrograms{quote->grams.value() - 1}, sell).value(), asked)
            << what << ": one microgram fewer must not be enough";
    }
}

// The buy side of the same property: the gold credited never costs more than was paid, and one
// microgram more would.
TEST(Quote, BuyByAmountNeverCreditsGoldThatWasNotPaidFor) {
    std::mt19937_64 random(7);
    std::uniform_int_distribution<std::int64_t> shillings(1, 10'000'000);
    std::uniform_int_distribution<std::int64_t> price_cents(1, 100'000'000);
    for (int i = 0; i < 20'000; ++i) {
        const Cents paid = kes(shillings(random));
        const PricePerGram buy{price_cents(random)};
        const auto quote = price_quote(TradeSide::buy, paid, buy, buy);
        ASSERT_TRUE(quote.has_value()) << format_kes(paid) << " at " << format_price(buy);
        const Int128 cost_of_grams = static_cast<Int128>(quote->grams.value()) * buy.value();
        const Int128 paid_scaled = static_cast<Int128>(paid.value()) * kMicrogramsPerGram;
        ASSERT_TRUE(cost_of_grams <= paid_scaled) << "credited gold costs at most what was paid";
        ASSERT_TRUE(cost_of_grams + buy.value() > paid_scaled) << "one microgram more would not";
    }
}

TEST(Quote, BasisKindsHaveStableNames) {
    EXPECT_EQ(to_string(QuoteBasisKind::amount), "amount");
    EXPECT_EQ(to_string(QuoteBasisKind::grams), "grams");
    EXPECT_EQ(parse_quote_basis_kind("amount"), QuoteBasisKind::amount);
    EXPECT_EQ(parse_quote_basis_kind("grams"), QuoteBasisKind::grams);
    for (const char* bad : {"", "Amount", "kes", "gram", "amount "}) {
        EXPECT_EQ(parse_quote_basis_kind(bad), std::nullopt) << bad;
    }
    EXPECT_EQ(kind_of(QuoteBasis{kes(1)}), QuoteBasisKind::amount);
    EXPECT_EQ(kind_of(QuoteBasis{Micrograms{1}}), QuoteBasisKind::grams);
}

}  // namespace
}  // namespace gw::trading
