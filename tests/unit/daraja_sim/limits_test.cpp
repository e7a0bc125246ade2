// Proves the customer limits applied to an accepted STK payment at their boundaries: 250,000
// per transaction (250,001 -> 3), 500,000 per Nairobi day (exactly 500,000 allowed, one
// shilling more -> 4, a new Nairobi day starts afresh), and rule 17 for the same amount by the
// same customer within two minutes (119 s -> 17, 121 s allowed; another amount or customer,
// failed or B2C records do not count).

#include "daraja-sim/limits.hpp"

#include <gtest/gtest.h>

namespace gw::sim {
namespace {

constexpr std::string_view kPayer = "254708374149";

// 2025-03-01 12:00:00 Nairobi.
TimePoint noon() {
    return TimePoint(std::chrono::sys_days(std::chrono::year(2025) / 3 / 1) +
                     std::chrono::hours(9));
}

Transaction paid(std::string_view msisdn, std::int64_t kes, TimePoint at) {
    Transaction t;
    t.kind = TransactionKind::stk;
    t.status = TransactionStatus::completed;
    t.msisdn = std::string(msisdn);
    t.amount_kes = kes;
    t.finalised_at = at;
    return t;
}

int code(const std::vector<Transaction>& history, std::int64_t kes, TimePoint now) {
    const auto breach = customer_limit_breach(history, kPayer, kes, now);
    return breach ? breach->code : 0;
}

TEST(Limits, PerTransactionMaximum) {
    EXPECT_EQ(code({}, 250'000, noon()), 0);
    EXPECT_EQ(code({}, 250'001, noon()), 3);
}

TEST(Limits, RuleSeventeenAtTheTwoMinuteEdge) {
    const std::vector<Transaction> history{paid(kPayer, 100, noon())};
    EXPECT_EQ(code(history, 100, noon() + std::chrono::seconds(119)), 17);
    EXPECT_EQ(code(history, 100, noon() + std::chrono::seconds(121)), 0);
    EXPECT_EQ(code(history, 101, noon() + std::chrono::seconds(1)), 0);
}

TEST(Limits, RuleSeventeenIgnoresOthers) {
    Transaction failed = paid(kPayer, 100, noon());
    failed.status = TransactionStatus::failed;
    Transaction payout = paid(kPayer, 100, noon());
    payout.kind = TransactionKind::b2c;
    const std::vector<Transaction> history{paid("254711111111", 100, noon()), failed, payout};
    EXPECT_EQ(code(history, 100, noon() + std::chrono::seconds(1)), 0);
}

TEST(Limits, DailyMaximumEdge) {
    const std::vector<Transaction> history{
        paid(kPayer, 250'000, noon()), paid(kPayer, 200'000, noon() + std::chrono::minutes(10))};
    const TimePoint later = noon() + std::chrono::hours(1);
    EXPECT_EQ(code(history, 50'000, later), 0);  // exactly 500,000
    EXPECT_EQ(code(history, 50'001, later), 4);  // one shilling over
}

TEST(Limits, DailyTotalResetsAtNairobiMidnight) {
    const std::vector<Transaction> history{paid(kPayer, 250'000, noon()),
                                           paid(kPayer, 250'000, noon() + std::chrono::minutes(5))};
    EXPECT_EQ(code(history, 1, noon() + std::chrono::hours(11) + std::chrono::minutes(59)), 4);
    EXPECT_EQ(code(history, 1, noon() + std::chrono::hours(12)), 0);  // 00:00 the next day
}

TEST(Limits, AboveMaximumWinsOverTheOthers) {
    const std::vector<Transaction> history{paid(kPayer, 250'001, noon())};
    EXPECT_EQ(code(history, 250'001, noon() + std::chrono::seconds(1)), 3);
}

}  // namespace
}  // namespace gw::sim
