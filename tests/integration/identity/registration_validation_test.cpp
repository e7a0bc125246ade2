// Proves POST /auth/register refuses every bad request with its exact code (duplicates in any
// case or phone format, bad phones, weak passwords, missing or mistyped fields, wrong media
// type, terms not accepted) and stores nothing when it does; and that consent is recorded.

#include <gtest/gtest.h>

#include "support/app_fixture.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test {
namespace {

using nlohmann::json;

json valid_body(const std::string& username, const std::string& phone) {
    return {{"username", username},
            {"email", username + "@example.com"},
            {"phone", phone},
            {"password", "correct horse battery staple"}};
}

// Sends `body`, expects `status` and `code`, and that the users table did not grow.
JsonResponse expect_refused(const RunningApp& app,
                            const json& body,
                            int status,
                            const std::string& code,
                            const std::string& what) {
    const auto users_before = row_count(app, "users");
    const auto response = request_json(app, "POST", "/auth/register", body);
    EXPECT_EQ(response.status, status) << what << ": " << response.raw;
    EXPECT_EQ(response.body.value("code", ""), code) << what << ": " << response.raw;
    EXPECT_EQ(row_count(app, "users"), users_before) << what << ": something was stored";
    return response;
}

TEST(Registration, DuplicateUsernameEmailOrPhoneIsAConflictInAnyCaseOrFormat) {
    RunningApp app;
    ASSERT_EQ(register_user(app, "Alice", "Alice@Example.com", "0712345678").status, 201);
    ASSERT_EQ(row_count(app, "users"), 1);

    expect_refused(app, valid_body("Alice", "0722000001"), 409, "username_taken", "same username");
    auto body = valid_body("aLiCe", "0722000002");
    body["email"] = "other1@example.com";
    expect_refused(app, body, 409, "username_taken", "username in another case");
    body = valid_body("alice2", "0722000003");
    body["email"] = "alice@example.com";
    expect_refused(app, body, 409, "email_taken", "email in lower case");
    body["email"] = "ALICE@EXAMPLE.COM";
    expect_refused(app, body, 409, "email_taken", "email in upper case");
    for (const std::string phone :
         {"0712345678", "+254712345678", "254712345678", "712345678", "0712 345 678"}) {
        expect_refused(app, valid_body("alice3", phone), 409, "phone_taken", "phone " + phone);
    }
    // The controls: the same requests with fresh values go through.
    EXPECT_EQ(
        request_json(app, "POST", "/auth/register", valid_body("alice3", "0112345678")).status,
        201);
}

TEST(Registration, PhonesThatAreNotKenyanMobilesAreInvalid) {
    RunningApp app;
    for (const std::string phone : {"0812345678",
                                    "071234567",
                                    "07123456789",
                                    "+0712345678",
                                    "+254812345678",
                                    "+255712345678",
                                    "2547123456789",
                                    "0712-345-678",
                                    "07l2345678",
                                    "phone",
                                    "",
                                    "+1 555 0100",
                                    "0712345678\n"}) {
        expect_refused(
            app, valid_body("bob", phone), 400, "invalid_phone", "phone '" + phone + "'");
    }
    // The accepted forms of the two prefixes, each stored once.
    EXPECT_EQ(
        request_json(app, "POST", "/auth/register", valid_body("bob", "+254 712 345 678")).status,
        201);
    EXPECT_EQ(request_json(app, "POST", "/auth/register", valid_body("bob1", "0110000000")).status,
              201);
    EXPECT_EQ(row_count(app, "users"), 2);
}

TEST(Registration, WeakPasswordsAreRefusedAndTenCharactersAreEnough) {
    RunningApp app;
    const std::vector<std::pair<std::string, std::string>> weak = {
        {"nine char", "abcdefgh9"},
        {"equal to the username", "longusername1"},
        {"username in another case", "LONGUSERNAME1"},
        {"common", "password123"},
        {"common in upper case", "PASSWORD123"},
        {"empty", ""},
    };
    for (const auto& [what, password] : weak) {
        auto body = valid_body("longusername1", "0712345678");
        body["password"] = password;
        expect_refused(app, body, 400, "weak_password", what);
    }
    auto body = valid_body("longusername1", "0712345678");
    body["password"] = "abcdefgh10";  // exactly 10, the minimum
    EXPECT_EQ(request_json(app, "POST", "/auth/register", body).status, 201);
}

TEST(Registration, EveryMissingFieldIsNamedInTheDetail) {
    RunningApp app;
    for (const std::string field : {"username", "email", "phone", "password"}) {
        auto body = valid_body("carol", "0712345678");
        body.erase(field);
        const auto missing =
            expect_refused(app, body, 400, "validation_failed", "missing " + field);
        EXPECT_EQ(missing.body.value("detail", ""), field + ": required");
        body[field] = nullptr;
        const auto null = expect_refused(app, body, 400, "validation_failed", "null " + field);
        EXPECT_EQ(null.body.value("detail", ""), field + ": required");
        body[field] = 42;
        const auto number = expect_refused(app, body, 400, "validation_failed", "number " + field);
        EXPECT_EQ(number.body.value("detail", ""), field + ": must be a string");
    }
    expect_refused(app, json::object(), 400, "validation_failed", "empty object");
}

TEST(Registration, MalformedUsernamesAndEmailsAreRefused) {
    RunningApp app;
    const std::vector<std::string> usernames = {
        "ab", "_alice", "alice smith", std::string(33, 'a'), "al/ce"};
    for (const std::string& username : usernames) {
        const auto refused = expect_refused(app,
                                            valid_body(username, "0712345678"),
                                            400,
                                            "validation_failed",
                                            "username '" + username + "'");
        EXPECT_TRUE(refused.body.value("detail", "").starts_with("username:")) << refused.raw;
    }
    for (const std::string email :
         {"no-at-sign", "@example.com", "a@b", "a@@example.com", "a b@example.com"}) {
        auto body = valid_body("dave", "0712345678");
        body["email"] = email;
        expect_refused(app, body, 400, "invalid_email", "email '" + email + "'");
    }
    EXPECT_EQ(
        request_json(app, "POST", "/auth/register", valid_body(std::string(32, 'a'), "0712345678"))
            .status,
        201)
        << "32 characters is the longest username";
}

TEST(Registration, NonJsonBodiesAndRefusedTermsStoreNothing) {
    RunningApp app;
    const std::string valid = valid_body("erin", "0712345678").dump();

    const auto text = post_raw(app, "/auth/register", valid, "text/plain");
    EXPECT_EQ(text.status, 415) << text.raw;
    EXPECT_EQ(text.body.value("code", ""), "unsupported_media_type");
    const auto form =
        post_raw(app, "/auth/register", "username=erin", "application/x-www-form-urlencoded");
    EXPECT_EQ(form.status, 415) << form.raw;
    EXPECT_EQ(form.body.value("code", ""), "unsupported_media_type");
    const auto broken = post_raw(app, "/auth/register", "{\"username\": ", "application/json");
    EXPECT_EQ(broken.status, 400) << broken.raw;
    EXPECT_EQ(broken.body.value("code", ""), "malformed_json");
    const auto array = post_raw(app, "/auth/register", "[" + valid + "]", "application/json");
    EXPECT_EQ(array.status, 400) << array.raw;
    EXPECT_EQ(array.body.value("code", ""), "malformed_json");
    EXPECT_EQ(row_count(app, "users"), 0);

    auto refused_terms = valid_body("erin", "0712345678");
    refused_terms["accept_terms"] = false;
    const auto terms =
        expect_refused(app, refused_terms, 400, "validation_failed", "accept_terms false");
    EXPECT_TRUE(terms.body.value("detail", "").starts_with("accept_terms")) << terms.raw;

    auto accepted = valid_body("erin", "0712345678");
    accepted["accept_terms"] = true;
    EXPECT_EQ(request_json(app, "POST", "/auth/register", accepted).status, 201);
}

TEST(Registration, AnAcceptTermsThatIsNotABooleanIsRefusedNotTakenAsConsent) {
    // Consent must be provable (DESIGN §7): "false", "no" or 0 must not be recorded as accepted.
    RunningApp app;
    const std::vector<json> values = {"false", "no", 0};
    for (std::size_t i = 0; i < values.size(); ++i) {
        const json& value = values[i];
        auto body = valid_body("grace" + std::to_string(i), "071234567" + std::to_string(i));
        body["accept_terms"] = value;
        const auto refused =
            expect_refused(app, body, 400, "validation_failed", "accept_terms " + value.dump());
        EXPECT_TRUE(refused.body.value("detail", "").starts_with("accept_terms")) << refused.raw;
    }
}

TEST(Registration, ConsentToTheTermsIsRecorded) {
    RunningApp app;
    const auto registered = register_user(app, "frank", "frank@example.com", "0712345678");
    ASSERT_EQ(registered.status, 201) << registered.raw;
    const std::string where =
        " FROM users WHERE id = '" + registered.body.at("id").get<std::string>() + "'";
    EXPECT_EQ(app.query("SELECT terms_version" + where), "2026-01");
    EXPECT_EQ(app.query("SELECT terms_accepted_at = created_at" + where), "t");
    EXPECT_EQ(app.query("SELECT extract(epoch FROM terms_accepted_at)::bigint" + where),
              std::to_string(unix_seconds(app.clock().now())));
    EXPECT_EQ(app.query("SELECT left(password_hash, 10)" + where), "$argon2id$");

    // Staff made by the CLI did not accept user terms.
    staff_login(app, "admin", identity::Role::admin);
    EXPECT_EQ(app.query("SELECT count(*) FROM users WHERE username = 'admin' "
                        "AND terms_version IS NULL AND terms_accepted_at IS NULL"),
              "1");
}

}  // namespace
}  // namespace gw::test
