// Proves OAuth handling: Basic auth is recognised case-insensitively and compared exactly,
// anything else is not_basic; Bearer tokens are extracted; tokens live exactly ttl seconds of
// the given time, die on expire_all, and a new token revokes older ones only when configured;
// expires_in is one second short of the lifetime ("3599").

#include "daraja-sim/oauth.hpp"

#include <gtest/gtest.h>

#include "daraja-sim/base64.hpp"

namespace gw::sim {
namespace {

constexpr TimePoint kStart{std::chrono::microseconds(1'700'000'000'000'000)};

std::string basic(std::string_view user_pass) {
    return "Basic " + base64_encode(user_pass);
}

TEST(BasicAuth, Checks) {
    EXPECT_EQ(check_basic_auth(basic("dev-key:dev-secret"), "dev-key", "dev-secret"),
              BasicAuthCheck::ok);
    EXPECT_EQ(
        check_basic_auth("basic " + base64_encode("dev-key:dev-secret"), "dev-key", "dev-secret"),
        BasicAuthCheck::ok);
    EXPECT_EQ(check_basic_auth(basic("dev-key:wrong"), "dev-key", "dev-secret"),
              BasicAuthCheck::wrong_credentials);
    EXPECT_EQ(check_basic_auth(basic("dev-key:dev-secretx"), "dev-key", "dev-secret"),
              BasicAuthCheck::wrong_credentials);
    EXPECT_EQ(check_basic_auth("Basic !!!", "dev-key", "dev-secret"),
              BasicAuthCheck::wrong_credentials);
    EXPECT_EQ(check_basic_auth("Bearer abc", "dev-key", "dev-secret"), BasicAuthCheck::not_basic);
    EXPECT_EQ(check_basic_auth("", "dev-key", "dev-secret"), BasicAuthCheck::not_basic);
    EXPECT_EQ(check_basic_auth("Basic", "dev-key", "dev-secret"), BasicAuthCheck::not_basic);
}

TEST(BearerToken, Extraction) {
    EXPECT_EQ(bearer_token("Bearer abc"), "abc");
    EXPECT_EQ(bearer_token("bearer abc"), "abc");
    EXPECT_EQ(bearer_token("Basic abc"), "");
    EXPECT_EQ(bearer_token("Bearer"), "");
    EXPECT_EQ(bearer_token(""), "");
}

TEST(TokenStore, LivesExactlyTheTtl) {
    TokenStore tokens(TokenPolicy{3600, false});
    tokens.add("t1", kStart);
    EXPECT_TRUE(tokens.is_live("t1", kStart));
    EXPECT_TRUE(tokens.is_live("t1", kStart + std::chrono::seconds(3599)));
    EXPECT_FALSE(tokens.is_live("t1", kStart + std::chrono::seconds(3600)));
    EXPECT_FALSE(tokens.is_live("t2", kStart));
    EXPECT_EQ(tokens.expires_in_text(), "3599");
}

TEST(TokenStore, ExpireAll) {
    TokenStore tokens(TokenPolicy{});
    tokens.add("t1", kStart);
    tokens.expire_all();
    EXPECT_FALSE(tokens.is_live("t1", kStart));
}

TEST(TokenStore, NewTokenRevokesOldOnlyWhenConfigured) {
    TokenStore keep(TokenPolicy{3600, false});
    keep.add("t1", kStart);
    keep.add("t2", kStart);
    EXPECT_TRUE(keep.is_live("t1", kStart));
    TokenStore revoke(TokenPolicy{3600, true});
    revoke.add("t1", kStart);
    revoke.add("t2", kStart);
    EXPECT_FALSE(revoke.is_live("t1", kStart));
    EXPECT_TRUE(revoke.is_live("t2", kStart));
}

TEST(TokenStore, BoundedByForgettingTheOldest) {
    TokenStore tokens(TokenPolicy{3600, false});
    for (std::size_t i = 0; i < kLiveTokensMax; ++i) {
        tokens.add("t" + std::to_string(i), kStart + std::chrono::microseconds(i));
    }
    tokens.add("newest", kStart + std::chrono::seconds(1));
    EXPECT_FALSE(tokens.is_live("t0", kStart + std::chrono::seconds(1)));
    EXPECT_TRUE(tokens.is_live("t1", kStart + std::chrono::seconds(1)));
    EXPECT_TRUE(tokens.is_live("newest", kStart + std::chrono::seconds(1)));
}

}  // namespace
}  // namespace gw::sim
