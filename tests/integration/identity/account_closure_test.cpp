// Proves DELETE /user/me closes an account for good (every token and login refused, audited) and
// that its KYC documents outlive it exactly for the retention period: purge_expired, called
// with times either side of close + retention, deletes nothing before and every file after,
// marks the rows, audits each purge, and is idempotent.

#include <gtest/gtest.h>

#include "support/app_fixture.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test {
namespace {

using nlohmann::json;
using std::chrono::days;


TEST(AccountClosure, AClosedAccountCanNeitherUseItsTokensNorLogIn) {
    RunningApp app;
    const json user = register_and_login(app, "alice");
    const json other_session = login(app, "alice", kTestPassword).body;
    const std::string user_id = user.at("user_id");

    const auto closed = request_json(app, "DELETE", "/user/me", nullptr, user.at("access_token"));
    ASSERT_EQ(closed.status, 204) << closed.raw;

    for (const json* session : {&user, &other_session}) {
        const auto me = request_json(app, "GET", "/user/me", nullptr, session->at("access_token"));
        EXPECT_EQ(me.status, 401) << me.raw;
        EXPECT_EQ(me.body.value("code", ""), "unauthorized");
        const auto refreshed = request_json(
            app, "POST", "/auth/refresh", {{"refresh_token", session->at("refresh_token")}});
        EXPECT_EQ(refreshed.status, 401) << refreshed.raw;
        EXPECT_EQ(refreshed.body.value("code", ""), "invalid_refresh_token");
    }
    const auto relogin = login(app, "alice", kTestPassword);
    EXPECT_EQ(relogin.status, 401) << relogin.raw;
    EXPECT_EQ(relogin.body.value("code", ""), "invalid_credentials");
    EXPECT_EQ(relogin.body.value("detail", "?"),
              login(app, "nobody", kTestPassword).body.value("detail", "!"))
        << "a closed account looks like an unknown one";

    const std::string where = " FROM audit_log WHERE action = 'user.close'";
    EXPECT_EQ(app.query("SELECT count(*)" + where), "1");
    EXPECT_EQ(app.query("SELECT actor_id" + where), user_id);
    EXPECT_EQ(app.query("SELECT target_id" + where), user_id);
    EXPECT_EQ(app.query("SELECT count(*) FROM users WHERE closed_at IS NOT NULL"), "1");
    EXPECT_EQ(app.query("SELECT count(*) FROM sessions WHERE revoked_at IS NULL"), "0");

    const std::string admin = staff_login(app, "admin", identity::Role::admin).at("access_token");
    const auto audit = request_json(app, "GET", "/admin/audit", nullptr, admin);
    ASSERT_EQ(audit.status, 200) << audit.raw;
    bool listed = false;
    for (const auto& item : audit.body.at("items")) {
        listed = listed || (item.at("action") == "user.close" && item.at("target_id") == user_id);
    }
    EXPECT_TRUE(listed) << audit.raw;
}

TEST(AccountClosure, KycDocumentsArePurgedOnlyAfterTheRetentionPeriod) {
    RunningApp app([](app::Config& config) { config.kyc.retention = days(30); });
    const json closing = user_with_documents(app, "bob");
    const json staying = user_with_documents(app, "carol");  // never closed: never purged
    ASSERT_EQ(files_under(app.kyc_dir()).size(), 6u);
    const TimePoint closed_at = app.clock().now();
    ASSERT_EQ(request_json(app, "DELETE", "/user/me", nullptr, closing.at("access_token")).status,
              204);
    auto& kyc = app.application().kyc();

    EXPECT_EQ(kyc.purge_expired(closed_at + days(30) - days(1)), 0u);
    EXPECT_EQ(files_under(app.kyc_dir()).size(), 6u);
    EXPECT_EQ(app.query("SELECT count(*) FROM kyc_documents WHERE purged_at IS NOT NULL"), "0");
    EXPECT_EQ(app.query("SELECT count(*) FROM audit_log WHERE action = 'kyc.purge'"), "0");

    const TimePoint later = closed_at + days(30) + days(1);
    EXPECT_EQ(kyc.purge_expired(later), 3u);
    const auto remaining = files_under(app.kyc_dir());
    EXPECT_EQ(remaining.size(), 3u);
    for (const auto& [doc_type, id] : closing.at("documents").items()) {
        const std::string document_id = id;
        for (const auto& [path, bytes] : remaining) {
            EXPECT_EQ(path.find(document_id), std::string::npos) << doc_type << " still on disk";
        }
        EXPECT_EQ(app.query("SELECT extract(epoch FROM purged_at)::bigint FROM kyc_documents "
                            "WHERE id = '" +
                            document_id + "'"),
                  std::to_string(unix_seconds(later)))
            << doc_type;
        EXPECT_EQ(app.query("SELECT length(file_key_sealed) FROM kyc_documents WHERE id = '" +
                            document_id + "'"),
                  "0")
            << doc_type << ": the file key must be erased (crypto-shredding)";
        EXPECT_EQ(app.query("SELECT count(*) FROM audit_log WHERE action = 'kyc.purge' "
                            "AND target_id = '" +
                            document_id + "' AND actor_id IS NULL"),
                  "1")
            << doc_type;
    }
    EXPECT_EQ(
        app.query("SELECT count(*) FROM kyc_documents WHERE purged_at IS NULL AND user_id = '" +
                  staying.at("user_id").get<std::string>() + "'"),
        "3");

    EXPECT_EQ(kyc.purge_expired(later), 0u);
    EXPECT_EQ(kyc.purge_expired(later + days(365)), 0u);
    EXPECT_EQ(app.query("SELECT count(*) FROM audit_log WHERE action = 'kyc.purge'"), "3");
    EXPECT_EQ(files_under(app.kyc_dir()).size(), 3u);

    const std::string admin = staff_login(app, "admin", identity::Role::admin).at("access_token");
    const auto purged =
        request_json(app,
                     "GET",
                     "/admin/kyc/" + closing.at("user_id").get<std::string>() + "/documents/" +
                         closing.at("documents").at("selfie").get<std::string>(),
                     nullptr,
                     admin);
    EXPECT_EQ(purged.status, 404) << purged.raw;
    EXPECT_EQ(purged.body.value("code", ""), "not_found");
}

TEST(AccountClosure, APurgeRunTakesAtMostOneBatch) {
    RunningApp app([](app::Config& config) {
        config.kyc.retention = days(30);
        config.kyc.purge_batch_max = 2;
    });
    const json user = user_with_documents(app, "dave");
    const TimePoint closed_at = app.clock().now();
    ASSERT_EQ(request_json(app, "DELETE", "/user/me", nullptr, user.at("access_token")).status,
              204);
    auto& kyc = app.application().kyc();
    const TimePoint later = closed_at + days(31);
    EXPECT_EQ(kyc.purge_expired(later), 2u);
    EXPECT_EQ(files_under(app.kyc_dir()).size(), 1u);
    EXPECT_EQ(kyc.purge_expired(later), 1u);
    EXPECT_EQ(kyc.purge_expired(later), 0u);
    EXPECT_TRUE(files_under(app.kyc_dir()).empty());
}

}  // namespace
}  // namespace gw::test
