// OWASP API6 (mass assignment). Every body a customer can send (register, login, refresh,
// password change, quote, buy, sell, KYC upload, marking a notification read) is sent with
// extra fields naming what only the server decides: role, kyc_status, ids and owners,
// statuses, prices, amounts, balances, times. Each request still does only what its
// documented fields ask: the stored role, KYC status, ownership, prices, amounts and times
// (read back from the database) are the server's. Staff bodies (a KYC decision, a new pool)
// get the same treatment for the fields their route does not take.

#include <memory>

#include <gtest/gtest.h>

#include "security_support.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test::security {
namespace {

using nlohmann::json;

constexpr const char* kForeignId = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

// Fields only the server may set, with values that would each be an escalation.
json overreach(const std::string& victim_id) {
    return {{"role", "admin"},
            {"roles", json::array({"admin"})},
            {"is_admin", true},
            {"kyc_status", "verified"},
            {"status", "completed"},
            {"user_id", victim_id},
            {"owner_user_id", victim_id},
            {"id", kForeignId},
            {"created_at", "2000-01-01T00:00:00Z"},
            {"updated_at", "2000-01-01T00:00:00Z"},
            {"closed_at", "2000-01-01T00:00:00Z"},
            {"balance", "1000000"},
            {"grams_balance", "1000"},
            {"price_per_gram", "1.00"},
            {"password_hash", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA"},
            {"terms_version", "0"},
            {"receipt", "FAKE123456"},
            {"expires_at", "2099-01-01T00:00:00Z"}};
}

// `body` plus every overreaching field it does not itself send.
json with_overreach(const json& body, const std::string& victim_id) {
    json all = overreach(victim_id);
    all.update(body);
    return all;
}

// What the suite's tests share, built by SetUpTestSuite and torn down after the last one.
struct MassAssignmentSuite {
    std::unique_ptr<TradeApp> trade;
    std::string victim_id;
};

MassAssignmentSuite& mass_assignment_suite() {
    static MassAssignmentSuite state;
    return state;
}

class MassAssignment : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        mass_assignment_suite().trade = std::make_unique<TradeApp>();
        mass_assignment_suite().trade->create_pool("Vault M", "10");
        mass_assignment_suite().trade->set_prices("8500", "8000");
        mass_assignment_suite().victim_id = mass_assignment_suite().trade->user("victim").at("user_id");
    }
    static void TearDownTestSuite() { mass_assignment_suite().trade.reset(); }

    static RunningApp& app() { return mass_assignment_suite().trade->app(); }
    static std::string victim_id() { return mass_assignment_suite().victim_id; }
    static std::string user_field(const std::string& id, const std::string& column) {
        return app().query("SELECT " + column + " FROM users WHERE id = '" + id + "'");
    }
    static std::string victim_state() {
        return app().query(
            "SELECT role || kyc_status || password_hash || coalesce(closed_at::text, '') || "
            "(SELECT count(*) FROM trades WHERE user_id = u.id) || "
            "(SELECT count(*) FROM quotes WHERE user_id = u.id) FROM users u WHERE id = '" +
            victim_id() + "'");
    }
    // The role claim of an access token.
    static std::string role_claim(const std::string& token) {
        return request_json(app(), "GET", "/user/me", nullptr, token).body.value("role", "") + "/" +
               (request_json(app(), "GET", "/admin/audit", nullptr, token).status == 403
                    ? "no-admin"
                    : "ADMIN");
    }
};

TEST_F(MassAssignment, RegistrationStoresOnlyTheFourFieldsAndConsent) {
    const std::string before = victim_state();
    const auto made = request_json(app(),
                                   "POST",
                                   "/auth/register",
                                   with_overreach({{"username", "climber"},
                                                   {"email", "climber@example.com"},
                                                   {"phone", "0712000001"},
                                                   {"password", kTestPassword},
                                                   {"accept_terms", true}},
                                                  victim_id()));
    ASSERT_EQ(made.status, 201) << made.raw;
    const std::string id = made.body.at("id");
    EXPECT_NE(id, kForeignId);
    EXPECT_EQ(made.body.at("role"), "user");
    EXPECT_EQ(made.body.at("kyc_status"), "pending");
    EXPECT_EQ(user_field(id, "role || ' ' || kyc_status || ' ' || (closed_at IS NULL)"),
              "user pending true");
    EXPECT_EQ(user_field(id, "terms_version <> '0' AND created_at > '2001-01-01'"), "t");
    EXPECT_EQ(
        app().query("SELECT count(*) FROM users WHERE id = '" + std::string(kForeignId) + "'"),
        "0");
    const auto logged_in = login(app(), "climber", kTestPassword);
    ASSERT_EQ(logged_in.status, 200)
        << "the password is the one sent, not the hash: " << logged_in.raw;
    EXPECT_EQ(role_claim(logged_in.body.at("access_token")), "user/no-admin");
    EXPECT_EQ(
        request_json(app(), "GET", "/user/balance", nullptr, logged_in.body.at("access_token"))
            .body.value("grams", ""),
        "0.000000");
    EXPECT_EQ(victim_state(), before);
}

TEST_F(MassAssignment, LoginAndRefreshCannotRaiseTheRoleOrSwitchTheUser) {
    const json user = mass_assignment_suite().trade->user("switcher");
    const auto logged_in = request_json(
        app(),
        "POST",
        "/auth/login",
        with_overreach({{"username", "switcher"}, {"password", kTestPassword}, {"scope", "admin"}},
                       victim_id()));
    ASSERT_EQ(logged_in.status, 200) << logged_in.raw;
    EXPECT_EQ(role_claim(logged_in.body.at("access_token")), "user/no-admin");
    const auto me =
        request_json(app(), "GET", "/user/me", nullptr, logged_in.body.at("access_token"));
    EXPECT_EQ(me.body.value("id", ""), user.at("user_id"));
    const auto refreshed = request_json(
        app(),
        "POST",
        "/auth/refresh",
        with_overreach({{"refresh_token", logged_in.body.at("refresh_token")}}, victim_id()));
    ASSERT_EQ(refreshed.status, 200) << refreshed.raw;
    EXPECT_EQ(role_claim(refreshed.body.at("access_token")), "user/no-admin");
    EXPECT_EQ(request_json(app(), "GET", "/user/me", nullptr, refreshed.body.at("access_token"))
                  .body.value("id", ""),
              user.at("user_id"));
}

TEST_F(MassAssignment, APasswordChangeTouchesOnlyTheCallersPassword) {
    const json user = mass_assignment_suite().trade->user("changer");
    const std::string before = victim_state();
    const auto changed = request_json(app(),
                                      "POST",
                                      "/auth/password",
                                      with_overreach({{"current_password", kTestPassword},
                                                      {"new_password", "a brand new passphrase 5"},
                                                      {"username", "victim"}},
                                                     victim_id()),
                                      user.at("access_token"));
    ASSERT_EQ(changed.status, 204) << changed.raw;
    EXPECT_EQ(victim_state(), before);
    EXPECT_EQ(login(app(), "victim", kTestPassword).status, 200) << "the victim's password still works";
    EXPECT_EQ(login(app(), "changer", "a brand new passphrase 5").status, 200);
    EXPECT_EQ(user_field(user.at("user_id"), "role || ' ' || kyc_status"), "user pending");
}

TEST_F(MassAssignment, AQuoteTakesOwnerPriceAndExpiryFromTheServer) {
    const json user = mass_assignment_suite().trade->user("quoter");
    const std::string before = victim_state();
    const auto quoted = request_json(
        app(),
        "POST",
        "/trade/quote",
        with_overreach({{"side", "buy"}, {"amount_kes", "850"}, {"quote_id", kForeignId}},
                       victim_id()),
        user.at("access_token"));
    ASSERT_EQ(quoted.status, 201) << quoted.raw;
    EXPECT_EQ(quoted.body.at("price_per_gram"), "8500.00");
    EXPECT_EQ(quoted.body.at("grams"), "0.100000");
    const std::string id = quoted.body.at("quote_id");
    EXPECT_NE(id, kForeignId);
    EXPECT_EQ(app().query("SELECT (user_id = '" + user.at("user_id").get<std::string>() +
                          "') || ' ' || price_per_gram_cents || ' ' || (expires_at < '2099-01-01') "
                          "FROM quotes WHERE id = '" +
                          id + "'"),
              "true 850000 true");
    EXPECT_EQ(victim_state(), before);
}

TEST_F(MassAssignment, ABuyTakesOwnerStatusPriceAndReceiptFromTheServer) {
    const json user = mass_assignment_suite().trade->user("buyer");
    const std::string before = victim_state();
    json body = with_overreach({{"amount_kes", "850"}, {"phone_for_stk", registered_msisdn(user)}},
                               victim_id());
    body.update({{"trade_id", kForeignId},
                 {"stk_push_initiated", false},
                 {"payment_due_at", "2099-01-01T00:00:00Z"},
                 {"allocations", json::array({{{"pool_id", kForeignId}, {"grams", "5"}}})}});
    const auto placed = mass_assignment_suite().trade->buy(user.at("access_token"), body, "mass-buy");
    ASSERT_EQ(placed.status, 201) << placed.raw;
    const std::string id = placed.body.at("trade_id");
    EXPECT_NE(id, kForeignId);
    EXPECT_EQ(placed.body.at("status"), "reserved");
    EXPECT_EQ(placed.body.at("price_per_gram"), "8500.00");
    EXPECT_TRUE(placed.body.at("receipt").is_null());
    EXPECT_EQ(
        app().query(
            "SELECT (t.user_id = '" + user.at("user_id").get<std::string>() + "') || ' ' || " +
            "s.status || ' ' || t.price_per_gram_cents || ' ' || t.grams_ug || ' ' || " +
            "(t.payment_due_at < '2099-01-01') || ' ' || coalesce(s.receipt, '-') " +
            "FROM trades t JOIN trade_status s ON s.trade_id = t.id WHERE t.id = '" + id + "'"),
        "true reserved 850000 100000 true -");
    EXPECT_EQ(app().query("SELECT count(*) FROM allocations WHERE pool_id::text = '" +
                          std::string(kForeignId) + "'"),
              "0");
    EXPECT_EQ(victim_state(), before);
}

TEST_F(MassAssignment, ASellTakesOwnerAmountAndPayoutModeFromTheServer) {
    const json user = mass_assignment_suite().trade->user("seller");
    mass_assignment_suite().trade->credit(user.at("user_id"), "1");
    const std::string before = victim_state();
    json body =
        with_overreach({{"grams", "0.1"}, {"payout_phone", registered_msisdn(user)}}, victim_id());
    body.update({{"amount_kes", "99999"},
                 {"payout_mode", "b2c"},
                 {"mode", "b2c"},
                 {"payout_id", kForeignId},
                 {"payout_initiated", true}});
    const auto sold = mass_assignment_suite().trade->sell(user.at("access_token"), body, "mass-sell");
    ASSERT_EQ(sold.status, 201) << sold.raw;
    EXPECT_EQ(sold.body.at("amount_kes"), "800.00");
    EXPECT_EQ(sold.body.at("payout_mode"), "manual");
    EXPECT_NE(sold.body.at("payout_id"), kForeignId);
    EXPECT_EQ(
        app().query(
            "SELECT (user_id = '" + user.at("user_id").get<std::string>() +
            "') || ' ' || amount_cents || ' ' || mode || ' ' || status FROM payouts WHERE id = '" +
            sold.body.at("payout_id").get<std::string>() + "'"),
        "true 80000 manual pending");
    EXPECT_EQ(victim_state(), before);
}

TEST_F(MassAssignment, AKycUploadCannotSetStatusOwnerOrStorage) {
    const json user = mass_assignment_suite().trade->user("uploader");
    Call call = kyc_upload_call("selfie", png_bytes(), "selfie.png");
    const std::string boundary = "gw-security-boundary-7f3a";
    for (const auto& [field, value] :
         std::vector<std::pair<std::string, std::string>>{{"user_id", victim_id()},
                                                          {"kyc_status", "verified"},
                                                          {"status", "verified"},
                                                          {"role", "admin"},
                                                          {"storage_key", "../../escape"},
                                                          {"content_type", "application/pdf"},
                                                          {"size_bytes", "1"}}) {
        call.body.insert(0,
                         concat({"--",
                                 boundary,
                                 "\r\nContent-Disposition: form-data; name=\"",
                                 field,
                                 "\"\r\n\r\n",
                                 value,
                                 "\r\n"}));
    }
    const auto stored = send(app(), call, user.at("access_token"));
    ASSERT_EQ(stored.status, 201) << stored.raw;
    const std::string id = stored.body.at("id");
    EXPECT_EQ(app().query("SELECT (user_id = '" + user.at("user_id").get<std::string>() +
                          "') || ' ' || content_type || ' ' || (size_bytes > 1) || ' ' || "
                          "(storage_key = id::text) "
                          "FROM kyc_documents WHERE id = '" +
                          id + "'"),
              "true image/png true true");
    EXPECT_EQ(user_field(user.at("user_id"), "role || ' ' || kyc_status"), "user pending");
    EXPECT_EQ(
        app().query("SELECT count(*) FROM kyc_documents WHERE user_id = '" + victim_id() + "'"),
        "0");
}

TEST_F(MassAssignment, AReviewersDecisionChangesOnlyTheNamedUsersKycStatus) {
    const json user = mass_assignment_suite().trade->user("reviewed");
    const std::string reviewer =
        staff_login(app(), "massreviewer", identity::Role::kyc_reviewer).at("access_token");
    const std::string before = victim_state();
    const auto decided = request_json(
        app(),
        "POST",
        "/admin/kyc/" + user.at("user_id").get<std::string>() + "/decision",
        with_overreach({{"status", "verified"}, {"reason", "documents match"}}, victim_id()),
        reviewer);
    ASSERT_EQ(decided.status, 200) << decided.raw;
    EXPECT_EQ(user_field(user.at("user_id"), "role || ' ' || kyc_status"), "user verified");
    EXPECT_EQ(victim_state(), before);
}

TEST_F(MassAssignment, NotificationsAreMarkedReadAtTheServersTime) {
    const json user = mass_assignment_suite().trade->user("reader");
    const std::string token = user.at("access_token");
    const auto placed = mass_assignment_suite().trade->buy(
        token, {{"amount_kes", "850"}, {"phone_for_stk", registered_msisdn(user)}}, "read-buy");
    ASSERT_EQ(placed.status, 201) << placed.raw;
    mass_assignment_suite().trade->run_outbox();
    ASSERT_EQ(mass_assignment_suite().trade->wait_for_trade(token, placed.body.at("trade_id"), "completed"),
              "completed");
    mass_assignment_suite().trade->run_outbox();
    const std::string id = request_json(app(), "GET", "/user/notifications", nullptr, token)
                               .body.at("items")
                               .at(0)
                               .at("id");
    const auto marked =
        send(app(),
             json_call("POST",
                       "/user/notifications/" + id + "/read",
                       {{"read_at", "2000-01-01T00:00:00Z"}, {"user_id", victim_id()}}),
             token);
    ASSERT_EQ(marked.status, 200) << marked.raw;
    EXPECT_EQ(app().query("SELECT (read_at > '2001-01-01') || ' ' || (user_id = '" +
                          user.at("user_id").get<std::string>() +
                          "') FROM notifications WHERE id = '" + id + "'"),
              "true true");
}

TEST_F(MassAssignment, ANewPoolStartsWithAllItsGoldAvailable) {
    const auto created = request_json(app(),
                                      "POST",
                                      "/pools",
                                      with_overreach({{"name", "Vault Overreach"},
                                                      {"total_grams", "2"},
                                                      {"purity", "999.9"},
                                                      {"available_grams", "1000"},
                                                      {"held_grams", "5"},
                                                      {"reserved_grams", "7"},
                                                      {"retired_at", "2000-01-01T00:00:00Z"}},
                                                     victim_id()),
                                      mass_assignment_suite().trade->admin_token());
    ASSERT_EQ(created.status, 201) << created.raw;
    EXPECT_NE(created.body.at("id"), kForeignId);
    EXPECT_EQ(created.body.at("available_grams"), "2.000000");
    EXPECT_EQ(created.body.at("held_grams"), "0.000000");
    EXPECT_TRUE(created.body.at("retired_at").is_null());
    EXPECT_EQ(mass_assignment_suite().trade->invariant_violations(), "");
}

}  // namespace
}  // namespace gw::test::security
