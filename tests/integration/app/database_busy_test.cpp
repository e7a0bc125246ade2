// Proves that a database too busy to answer in time — a statement cancelled by statement_timeout
// while it waits for a lock — is answered 503 problem+json with Retry-After, not 500, and
// counted; that the request changed nothing; and that the same request succeeds once the
// database is free.

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "support/app_fixture.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test {
namespace {

TEST(DatabaseBusy, AStatementTimeoutIsA503ThatChangesNothingAndTheRetrySucceeds) {
    RunningApp app([](app::Config& config) { config.db.statement_timeout_ms = 1000; });
    register_and_login(app, "amina");
    const std::string sessions_before = app.query("SELECT count(*) FROM sessions");

    pqxx::connection blocker(app.database());
    pqxx::work lock(blocker);
    lock.exec0("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
    const nlohmann::json credentials = {{"username", "amina"}, {"password", kTestPassword}};
    const JsonResponse busy = request_json(app, "POST", "/auth/login", credentials);
    lock.abort();

    EXPECT_EQ(busy.status, 503);
    EXPECT_EQ(busy.body.value("code", ""), "service_unavailable");
    EXPECT_EQ(busy.body.value("detail", ""), "the database is busy; retry shortly");
    EXPECT_EQ(header_of(busy, "Retry-After"), "1");
    EXPECT_EQ(header_of(busy, "Content-Type"), "application/problem+json");
    EXPECT_EQ(app.query("SELECT count(*) FROM sessions"), sessions_before) << "nothing stored";
    EXPECT_NE(app.application().metrics().render().find("goldwallet_database_busy_total 1\n"),
              std::string::npos);

    const JsonResponse retried = request_json(app, "POST", "/auth/login", credentials);
    EXPECT_EQ(retried.status, 200);
    EXPECT_EQ(app.query("SELECT count(*) FROM sessions"),
              std::to_string(std::stoi(sessions_before) + 1));
}

}  // namespace
}  // namespace gw::test
