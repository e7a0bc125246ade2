// Proves the shapes of every generated identifier (CheckoutRequestID = ws_CO_ + Nairobi
// ddMMyyyyHHmmss + 3 digits + last 9 MSISDN digits; receipts of 10 upper-case alphanumerics
// with year and month letters; ConversationIDs; 28-character tokens) and that the same seed
// and counter give the same ids while another seed does not.

#include "daraja-sim/ids.hpp"

#include <regex>
#include <set>

#include <gtest/gtest.h>

namespace gw::sim {
namespace {

// 2025-03-01 14:30:06 Nairobi.
TimePoint march_first() {
    return TimePoint(std::chrono::sys_days(std::chrono::year(2025) / 3 / 1) +
                     std::chrono::hours(11) + std::chrono::minutes(30) + std::chrono::seconds(6));
}

TEST(Ids, CheckoutRequestIdShape) {
    IdGenerator ids(1);
    const std::string id = ids.checkout_request_id(march_first(), "254708374149");
    EXPECT_TRUE(std::regex_match(id, std::regex(R"(ws_CO_01032025143006\d{3}708374149)"))) << id;
}

TEST(Ids, MerchantRequestIdShape) {
    IdGenerator ids(1);
    const std::string id = ids.merchant_request_id();
    EXPECT_TRUE(std::regex_match(
        id, std::regex(R"([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\d{4})")))
        << id;
}

TEST(Ids, ReceiptShapeAndDateLetters) {
    IdGenerator ids(1);
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const std::string receipt = ids.receipt(march_first());
        ASSERT_TRUE(std::regex_match(receipt, std::regex(R"([A-Z0-9]{10})"))) << receipt;
        EXPECT_EQ(receipt.substr(0, 2), "TC");  // T = 2025, C = March
        seen.insert(receipt);
    }
    EXPECT_EQ(seen.size(), 200U);
}

TEST(Ids, ConversationAndOriginatorIds) {
    IdGenerator ids(1);
    const std::string conversation = ids.conversation_id(march_first());
    EXPECT_TRUE(std::regex_match(conversation, std::regex(R"(AG_20250301_[0-9a-f]{20})")))
        << conversation;
    const std::string originator = ids.originator_conversation_id();
    EXPECT_TRUE(std::regex_match(originator, std::regex(R"([1-9]\d{4}-\d{8}-1)"))) << originator;
}

TEST(Ids, AccessTokenIs28Alphanumerics) {
    IdGenerator ids(1);
    const std::string token = ids.access_token();
    EXPECT_TRUE(std::regex_match(token, std::regex(R"([A-Za-z0-9]{28})"))) << token;
}

TEST(Ids, SameSeedSameIdsOtherSeedOtherIds) {
    IdGenerator a(7);
    IdGenerator b(7);
    IdGenerator c(8);
    EXPECT_EQ(a.access_token(), b.access_token());
    EXPECT_EQ(a.receipt(march_first()), b.receipt(march_first()));
    EXPECT_NE(IdGenerator(7).access_token(), c.access_token());
}

TEST(Ids, CounterResumesTheSequence) {
    IdGenerator first(3);
    (void)first.access_token();
    const std::uint64_t saved = first.counter();
    const std::string next = first.access_token();
    IdGenerator restored(3, saved);
    EXPECT_EQ(restored.access_token(), next);
}

}  // namespace
}  // namespace gw::sim
