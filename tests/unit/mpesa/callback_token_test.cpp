// Proves callback tokens are URL-safe, unpredictable (no repeats over many draws) and stored
// only as their SHA-256, which matches the published test vector.

#include "mpesa/callback_token.hpp"

#include <set>

#include <gtest/gtest.h>

namespace gw::mpesa {
namespace {

TEST(CallbackToken, IsUrlSafeAndFresh) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const CallbackToken token = new_callback_token();
        EXPECT_EQ(token.token.size(), 43u);
        EXPECT_EQ(token.token.find_first_not_of(
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                  std::string::npos);
        EXPECT_EQ(token.hash_hex, callback_token_hash(token.token));
        EXPECT_TRUE(seen.insert(token.token).second);
    }
}

TEST(CallbackToken, HashIsSha256Hex) {
    EXPECT_EQ(callback_token_hash("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(callback_token_hash("").size(), 64u);
}

TEST(CallbackToken, PathsAvoidWordsDarajaRefuses) {
    for (const std::string_view path : {kStkCallbackPath,
                                        kPayoutResultPath,
                                        kPayoutTimeoutPath,
                                        kStatusResultPath,
                                        kStatusTimeoutPath}) {
        for (const char* word : {"mpesa", "m-pesa", "safaricom", "exe", "cmd", "sql", "query"}) {
            EXPECT_EQ(path.find(word), std::string_view::npos) << path << " has " << word;
        }
    }
}

}  // namespace
}  // namespace gw::mpesa
