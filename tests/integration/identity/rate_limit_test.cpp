// Proves the per-IP token buckets on the unauthenticated identity routes: with a burst of 10 a
// minute, 20 rapid wrong logins from 127.0.0.1 get 401 ten times and then 429 rate_limited with
// a Retry-After of at least one second; registration is limited the same way and a limited
// request stores nothing. The buckets run on steady time, so the test needs no clock or sleep.

#include <gtest/gtest.h>

#include "support/app_fixture.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test {
namespace {

using nlohmann::json;

TEST(RateLimit, TwentyRapidWrongLoginsFromOneIpAreCutOffAfterTen) {
    RunningApp app([](app::Config& config) {
        config.rate_limits.login_per_ip = {10, std::chrono::seconds(60)};
    });
    ASSERT_EQ(register_user(app, "alice", "alice@example.com", "0712345678").status, 201);
    const auto sessions_before = row_count(app, "sessions");

    std::vector<JsonResponse> responses;
    for (int i = 0; i < 20; ++i) {
        // Wrong passwords of a real user and unknown users alike draw from the IP's bucket.
        responses.push_back(
            login(app, i % 2 == 0 ? "alice" : "user" + std::to_string(i), "wrong password!"));
    }
    for (std::size_t i = 0; i < responses.size(); ++i) {
        const JsonResponse& response = responses[i];
        if (i < 10) {
            EXPECT_EQ(response.status, 401) << "attempt " << i + 1 << ": " << response.raw;
            EXPECT_EQ(response.body.value("code", ""), "invalid_credentials")
                << "attempt " << i + 1;
            continue;
        }
        EXPECT_EQ(response.status, 429) << "attempt " << i + 1 << ": " << response.raw;
        EXPECT_EQ(response.body.value("code", ""), "rate_limited") << "attempt " << i + 1;
        const std::string retry_after = header_of(response, "Retry-After");
        ASSERT_FALSE(retry_after.empty()) << "attempt " << i + 1;
        EXPECT_GE(std::stoll(retry_after), 1) << "attempt " << i + 1;
        EXPECT_LE(std::stoll(retry_after), 60) << "attempt " << i + 1;
    }

    // The right password is refused too while the bucket is empty, and no session starts.
    const auto correct = login(app, "alice", "correct horse battery staple");
    EXPECT_EQ(correct.status, 429) << correct.raw;
    EXPECT_EQ(correct.body.value("code", ""), "rate_limited");
    EXPECT_EQ(row_count(app, "sessions"), sessions_before);
}

TEST(RateLimit, RegistrationIsLimitedPerIpAndALimitedRequestStoresNothing) {
    RunningApp app([](app::Config& config) {
        config.rate_limits.register_per_ip = {3, std::chrono::seconds(600)};
    });
    for (int i = 0; i < 3; ++i) {
        const auto registered = register_user(app,
                                              "user" + std::to_string(i),
                                              "user" + std::to_string(i) + "@example.com",
                                              "071234567" + std::to_string(i));
        EXPECT_EQ(registered.status, 201) << registered.raw;
    }
    const auto limited = register_user(app, "user9", "user9@example.com", "0712345679");
    EXPECT_EQ(limited.status, 429) << limited.raw;
    EXPECT_EQ(limited.body.value("code", ""), "rate_limited");
    const std::string retry_after = header_of(limited, "Retry-After");
    ASSERT_FALSE(retry_after.empty());
    EXPECT_GE(std::stoll(retry_after), 1);
    EXPECT_EQ(row_count(app, "users"), 3);

    // Logins have their own bucket.
    EXPECT_EQ(login(app, "user0", "correct horse battery staple").status, 200);
}

}  // namespace
}  // namespace gw::test
