// Proves trading::payment_account_reference (trading/trade.hpp): "GW" and the first 10 hex digits
// of the trade id without its dashes, upper-cased, always 12 letters and digits (Daraja's
// AccountReference limit). Reconciliation computes the same value in SQL
// ('GW' || upper(substr(replace(id::text, '-', ''), 1, 10)), jobs/statement_matching.cpp) to tie a
// statement's A/C No. to its buy; there is no database in a unit test, so that expression is
// modelled step by step below and compared with the C++ over many seeded uuids.

#include "trading/trade.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace gw::trading {
namespace {

// PostgreSQL's uuid::text: lower-case 8-4-4-4-12 hex.
std::string random_uuid_text(std::mt19937_64& random) {
    constexpr std::string_view kHex = "0123456789abcdef";
    std::string text;
    for (int i = 0; i < 32; ++i) {
        if (i == 8 || i == 12 || i == 16 || i == 20) {
            text += '-';
        }
        text += kHex[random() % kHex.size()];
    }
    return text;
}

// 'GW' || upper(substr(replace(id, '-', ''), 1, 10)), one SQL function at a time.
std::string sql_reference(std::string_view id_text) {
    std::string replaced;
    for (char c : id_text) {
        if (c != '-') {
            replaced += c;
        }
    }
    std::string sub = replaced.substr(0, 10);  // substr(…, 1, 10) is 1-based
    std::transform(sub.begin(), sub.end(), sub.begin(), [](unsigned char c) {
        return static_cast<char>(std::toupper(c));
    });
    return "GW" + sub;
}

TEST(PaymentAccountReference, IsGwAndTheFirstTenHexDigitsUpperCased) {
    EXPECT_EQ(payment_account_reference("1350c69c-4648-407c-b1c8-31fe907d6073"), "GW1350C69C46");
    EXPECT_EQ(payment_account_reference("7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"), "GW7D1E2F3A4B");
    EXPECT_EQ(payment_account_reference("00000000-0000-0000-0000-000000000000"), "GW0000000000");
    EXPECT_EQ(payment_account_reference("ffffffff-ffff-4fff-bfff-ffffffffffff"), "GWFFFFFFFFFF");
}

TEST(PaymentAccountReference, SkipsTheDashAfterTheEighthDigit) {
    // The 9th and 10th hex digits come after the first dash, so a naive substr(0, 10) of the
    // dashed text ("1350c69c-4") would differ.
    EXPECT_EQ(payment_account_reference("abcdef01-2345-4678-9abc-def012345678"), "GWABCDEF0123");
}

TEST(PaymentAccountReference, AnUpperCaseIdGivesTheSameReference) {
    EXPECT_EQ(payment_account_reference("1350C69C-4648-407C-B1C8-31FE907D6073"),
              payment_account_reference("1350c69c-4648-407c-b1c8-31fe907d6073"));
}

TEST(PaymentAccountReference, IsAlwaysTwelveLettersAndDigitsAndMatchesTheSqlExpression) {
    std::mt19937_64 random(20261118);
    for (int i = 0; i < 1000; ++i) {
        const std::string id = random_uuid_text(random);
        const std::string reference = payment_account_reference(id);
        ASSERT_EQ(reference.size(), 12U) << id;
        EXPECT_TRUE(reference.starts_with("GW")) << id;
        EXPECT_TRUE(std::all_of(reference.begin(), reference.end(), [](unsigned char c) {
            return std::isdigit(c) != 0 || std::isupper(c) != 0;
        })) << reference;
        ASSERT_EQ(reference, sql_reference(id)) << id;
    }
}

}  // namespace
}  // namespace gw::trading
