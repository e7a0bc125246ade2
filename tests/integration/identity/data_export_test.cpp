// Proves the right of access: GET /user/me/export returns the caller's own data (full phone,
// consent, KYC documents, sessions, audit entries) and nothing of another user, uncached.

#include <gtest/gtest.h>

#include "support/app_fixture.hpp"

namespace gw::test {
namespace {

TEST(DataExport, ContainsTheCallersOwnDataOnly) {
    RunningApp app;
    const auto jane = register_and_login(app, "jane");
    const auto john = register_and_login(app, "john");
    const auto exported = request_json(app, "GET", "/user/me/export", nullptr, jane["access_token"]);
    ASSERT_EQ(exported.status, 200) << exported.raw;
    EXPECT_EQ(exported.headers.find("Cache-Control")->second, "no-store");
    const auto& body = exported.body;
    EXPECT_EQ(body["profile"]["username"], "jane");
    EXPECT_EQ(body["profile"]["phone"], "254" + jane["phone"].get<std::string>().substr(1));
    EXPECT_EQ(body["consent"]["terms_version"], "2026-01");
    EXPECT_FALSE(body["consent"]["accepted_at"].get<std::string>().empty());
    EXPECT_EQ(body["sessions"].size(), 1u);
    EXPECT_TRUE(body["kyc"]["documents"].empty());
    EXPECT_EQ(exported.raw.find("john"), std::string::npos);
    EXPECT_EQ(exported.raw.find(john["user_id"].get<std::string>()), std::string::npos);
}

TEST(DataExport, NeedsASession) {
    RunningApp app;
    EXPECT_EQ(request_json(app, "GET", "/user/me/export").status, 401);
}

}  // namespace
}  // namespace gw::test
