// OWASP API8 (injection). SQL injection strings, quotes, backslashes, a NUL byte, format
// specifiers, template and JNDI strings, right-to-left override, astral Unicode, an empty
// and a 5000-character string go into every text field of every JSON body a customer or
// staff member can send, into query parameters (also as invalid UTF-8 and %00) and into path
// ids. Each answer must be a clean 2xx or a 4xx problem, never a 500; a credential field never
// lets anyone in; text the API stores reads back byte for byte; and the schema and the row
// counts of the tables nobody wrote to are intact afterwards.

#include <functional>
#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "security_support.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test::security {
namespace {

using nlohmann::json;


const std::vector<std::string>& payloads() {
    static const std::vector<std::string> all = {"' OR '1'='1",
                                                 "'; DROP TABLE users; --",
                                                 "\" OR \"\"=\"",
                                                 "admin'--",
                                                 "') OR ('a'='a",
                                                 "1; SELECT pg_sleep(5)",
                                                 "$1",
                                                 "%s%n%x%d",
                                                 "\\",
                                                 "\\'",
                                                 "'",
                                                 "x' UNION SELECT password_hash FROM users--",
                                                 std::string("nul\0byte", 8),
                                                 "\U0001D50Aold \u00FCn\u00EFc\u00F6d\u00E9 \u2713",
                                                 "\u202Eevil",
                                                 "../../etc/passwd",
                                                 "<script>alert(1)</script>",
                                                 "${jndi:ldap://127.0.0.1/x}",
                                                 "{{7*7}}",
                                                 std::string(5000, 'A'),
                                                 ""};
    return all;
}

// JSON text holding U+0000 is refused as malformed before any field is looked at: PostgreSQL
// text cannot hold it, and a C string would end at it.
bool holds_nul(const std::string& payload) {
    return payload.find('\0') != std::string::npos;
}

// The problem a field check answers for `payload`: malformed_json for a NUL, else `code`.
void expect_refused(const JsonResponse& answer,
                    const std::string& payload,
                    int status,
                    const std::string& code,
                    const std::string& what) {
    if (holds_nul(payload)) {
        expect_problem(answer, 400, "malformed_json", what + " (NUL)");
    } else {
        expect_problem(answer, status, code, what);
    }
}

std::string shown(const std::string& payload) {
    return payload.size() > 40 ? payload.substr(0, 20) + "…(" + std::to_string(payload.size()) + ")"
                               : payload;
}

// A clean answer: one of `allowed`, and a problem+json when it is an error.
void expect_clean(const JsonResponse& answer,
                  const std::set<int>& allowed,
                  const std::string& what) {
    EXPECT_TRUE(allowed.contains(answer.status))
        << what << ": " << answer.status << " " << answer.raw;
    if (answer.status >= 400) {
        EXPECT_EQ(header_of(answer, "Content-Type"), "application/problem+json") << what;
    }
}

// What the suite's tests share, built by SetUpTestSuite and torn down after the last one.
struct InjectionSuite {
    std::unique_ptr<TradeApp> trade;
    std::string pool;
    std::string victim_id;
    std::string victim_token;
    std::string victim_msisdn;
    std::string tables;
    int serial = 0;
};

InjectionSuite& injection_suite() {
    static InjectionSuite state;
    return state;
}

class Injection : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        injection_suite().trade = std::make_unique<TradeApp>();
        injection_suite().pool = injection_suite().trade->create_pool("Vault I", "10");
        injection_suite().trade->set_prices("8500", "8000");
        const json victim = injection_suite().trade->user("victim");
        injection_suite().victim_id = victim.at("user_id");
        injection_suite().victim_token = victim.at("access_token");
        injection_suite().victim_msisdn = registered_msisdn(victim);
        injection_suite().trade->credit(injection_suite().victim_id, "1");
        injection_suite().tables = app().query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
    }
    static void TearDownTestSuite() { injection_suite().trade.reset(); }

    void TearDown() override {
        EXPECT_EQ(app().query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
                  injection_suite().tables);
        EXPECT_EQ(app().query(
                      "SELECT count(*) FROM users WHERE username = 'victim' AND closed_at IS NULL"),
                  "1");
        EXPECT_EQ(login(app(), "victim", kTestPassword).status, 200) << "the victim still signs in";
        EXPECT_EQ(injection_suite().trade->invariant_violations(), "");
    }

    static RunningApp& app() { return injection_suite().trade->app(); }
    static std::string token() { return injection_suite().victim_token; }
    static std::string admin() { return injection_suite().trade->admin_token(); }

    // Hex of what the database holds in `column` of the row `where` (compared byte for byte).
    static std::string stored_hex(const std::string& column,
                                  const std::string& table,
                                  const std::string& where) {
        return app().query("SELECT encode(convert_to(" + column + ", 'UTF8'), 'hex') FROM " +
                           table + " WHERE " + where);
    }

    // Sends `body` with `payload` in `field`, for every payload; `check` sees each answer.
    static void each_payload(
        const std::string& method,
        const std::string& path,
        const json& body,
        const std::string& field,
        const std::string& bearer,
        const std::function<void(const std::string&, const JsonResponse&)>& check) {
        for (const std::string& payload : payloads()) {
            json sent = body;
            sent[field] = payload;
            check(payload, send(app(), json_call(method, path, sent), bearer));
        }
    }
};

TEST_F(Injection, CredentialFieldsNeverLetAnyoneIn) {
    const auto sessions_before = row_count(app(), "sessions");
    const auto refused = [](int status, const std::string& code, const std::string& what) {
        return [status, code, what](const std::string& payload, const JsonResponse& answer) {
            expect_refused(answer, payload, status, code, what + " " + shown(payload));
        };
    };
    each_payload("POST",
                 "/auth/login",
                 {{"password", kTestPassword}},
                 "username",
                 "",
                 refused(401, "invalid_credentials", "username"));
    each_payload("POST",
                 "/auth/login",
                 {{"username", "victim"}},
                 "password",
                 "",
                 refused(401, "invalid_credentials", "password"));
    each_payload("POST",
                 "/auth/refresh",
                 json::object(),
                 "refresh_token",
                 "",
                 refused(401, "invalid_refresh_token", "refresh"));
    each_payload("POST",
                 "/auth/password",
                 {{"new_password", "an unguessable passphrase 3"}},
                 "current_password",
                 token(),
                 refused(401, "invalid_credentials", "current password"));
    EXPECT_EQ(row_count(app(), "sessions"), sessions_before) << "no payload started a session";
}

TEST_F(Injection, RegistrationRefusesOrStoresEachPayloadVerbatim) {
    const auto fresh = [](const std::string& field, const std::string& payload) {
        const std::string n = std::to_string(++injection_suite().serial);
        json body = {{"username", "reg" + n},
                     {"email", "reg" + n + "@example.com"},
                     {"phone", "0713" + std::string(6 - n.size(), '0') + n},
                     {"password", kTestPassword}};
        body[field] = field == "password" ? std::string(kTestPassword) + payload : payload;
        return request_json(app(), "POST", "/auth/register", body);
    };
    for (const std::string& payload : payloads()) {
        expect_refused(fresh("username", payload),
                       payload,
                       400,
                       "validation_failed",
                       "username " + shown(payload));
        expect_refused(
            fresh("phone", payload), payload, 400, "invalid_phone", "phone " + shown(payload));
        const auto email = fresh("email", payload);
        expect_clean(email, {201, 400}, "email " + shown(payload));
        if (email.status == 201) {
            EXPECT_EQ(stored_hex("email", "users", "id = '" + email.body.value("id", "") + "'"),
                      hex_of(payload));
        }
        const auto password = fresh("password", payload);
        expect_clean(password, {201, 400}, "password " + shown(payload));
        if (password.status == 201) {
            const auto back =
                login(app(), password.body.at("username"), std::string(kTestPassword) + payload);
            EXPECT_EQ(back.status, 200) << "the password is kept byte for byte: " << shown(payload);
        }
    }
}

TEST_F(Injection, TradeFieldsAreRefusedCleanly) {
    const std::string phone = injection_suite().victim_msisdn;
    const auto trades_before = row_count(app(), "trades");
    const auto documents_before = row_count(app(), "kyc_documents");
    const auto clean = [](const std::set<int>& allowed, const std::string& what) {
        return [allowed, what](const std::string& payload, const JsonResponse& answer) {
            expect_clean(answer, allowed, what + " " + shown(payload));
        };
    };
    each_payload("POST",
                 "/trade/quote",
                 {{"amount_kes", "10"}},
                 "side",
                 token(),
                 clean({400}, "quote side"));
    each_payload("POST",
                 "/trade/quote",
                 {{"side", "buy"}},
                 "amount_kes",
                 token(),
                 clean({400}, "quote amount"));
    each_payload(
        "POST", "/trade/quote", {{"side", "sell"}}, "grams", token(), clean({400}, "quote grams"));
    for (const std::string& payload : payloads()) {
        const std::string key = "inj-" + std::to_string(++injection_suite().serial);
        expect_clean(
            injection_suite().trade->buy(token(), {{"amount_kes", "10"}, {"phone_for_stk", payload}}, key),
            {400},
            "buy phone");
        expect_clean(injection_suite().trade->buy(
                         token(), {{"quote_id", payload}, {"phone_for_stk", phone}}, key + "q"),
                     {400, 404},
                     "buy quote " + shown(payload));
        expect_clean(
            injection_suite().trade->sell(token(), {{"grams", "0.01"}, {"payout_phone", payload}}, key + "s"),
            {400, 422},
            "sell phone " + shown(payload));
        expect_clean(injection_suite().trade->sell(
                         token(), {{"quote_id", payload}, {"payout_phone", phone}}, key + "sq"),
                     {400, 404},
                     "sell quote " + shown(payload));
        expect_clean(send(app(), kyc_upload_call(payload, png_bytes(), "x.png"), token()),
                     {400},
                     "doc_type " + shown(payload));
    }
    EXPECT_EQ(row_count(app(), "trades"), trades_before) << "no payload placed a trade";
    EXPECT_EQ(row_count(app(), "kyc_documents"), documents_before);
}

// Idempotency keys are printable ASCII without spaces; those are stored verbatim, anything
// else is refused.
TEST_F(Injection, IdempotencyKeysAreStoredVerbatimOrRefused) {
    for (const std::string& payload : payloads()) {
        const bool printable =
            !payload.empty() && payload.size() <= 255 &&
            std::all_of(payload.begin(), payload.end(), [](char c) { return c > ' ' && c < 0x7f; });
        if (payload.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
            continue;  // no HTTP client can send these in a header
        }
        const auto placed = injection_suite().trade->buy(
            token(), {{"amount_kes", "10"}, {"phone_for_stk", injection_suite().victim_msisdn}}, payload);
        if (!printable) {
            expect_problem(placed, 400, "idempotency_key_required", "key " + shown(payload));
            continue;
        }
        ASSERT_EQ(placed.status, 201) << shown(payload) << ": " << placed.raw;
        EXPECT_EQ(
            stored_hex(
                "idempotency_key", "trades", "id = '" + placed.body.value("trade_id", "") + "'"),
            hex_of(payload));
    }
}

TEST_F(Injection, StaffTextIsStoredByteForByte) {
    int adjustment_keys = 0;
    for (const std::string& payload : payloads()) {
        const std::string what = shown(payload);
        const auto pool = request_json(
            app(),
            "POST",
            "/pools",
            {{"name", payload}, {"total_grams", "1"}, {"purity", "999.9"}, {"notes", payload}},
            admin());
        expect_clean(pool, {201, 400}, "pool name " + what);
        if (pool.status == 201) {
            EXPECT_EQ(stored_hex("name || '|' || notes",
                                 "gold_pools",
                                 "id = '" + pool.body.value("id", "") + "'"),
                      hex_of(concat({payload, "|", payload})))
                << what;
        }
        const auto noted = send(
            app(), json_call("PATCH", "/pools/" + injection_suite().pool, {{"notes", payload}}), admin());
        expect_clean(noted, {200, 400}, "pool notes " + what);
        if (noted.status == 200) {
            EXPECT_EQ(stored_hex("notes", "gold_pools", "id = '" + injection_suite().pool + "'"),
                      hex_of(payload))
                << what;
        }
        const auto adjusted = request_json(app(),
                                           "POST",
                                           "/admin/adjustments",
                                           {{"user_id", injection_suite().victim_id},
                                            {"grams", "0.000001"},
                                            {"direction", "credit"},
                                            {"reason", payload}},
                                           admin(),
                                           idempotency_key_header("reason-" + std::to_string(++adjustment_keys)));
        expect_clean(adjusted, {201, 400}, "adjustment reason " + what);
        if (adjusted.status == 201) {
            EXPECT_EQ(stored_hex("reason",
                                 "adjustments",
                                 "id = '" + adjusted.body.value("adjustment_id", "") + "'"),
                      hex_of(payload))
                << what;
        }
        const auto rejected = request_json(app(),
                                           "POST",
                                           "/admin/kyc/" + injection_suite().victim_id + "/decision",
                                           {{"status", "rejected"}, {"reason", payload}},
                                           admin());
        expect_clean(rejected, {200, 400}, "rejection reason " + what);
        if (rejected.status == 200) {
            EXPECT_EQ(stored_hex("kyc_reason", "users", "username = 'victim'"), hex_of(payload))
                << what;
        }
    }
    const auto restored = request_json(app(),
                                       "POST",
                                       "/admin/kyc/" + injection_suite().victim_id + "/decision",
                                       {{"status", "verified"}},
                                       admin());
    EXPECT_EQ(restored.status, 200) << "the victim may trade again: " << restored.raw;
}

TEST_F(Injection, StaffFieldsThatNameThingsAreRefusedCleanly) {
    const std::string unknown = "00000000-0000-4000-8000-000000000000";
    const std::string decision = "/admin/kyc/" + injection_suite().victim_id + "/decision";
    const json limit = {{"kyc_status", "pending"},
                        {"side", "buy"},
                        {"per_trade_kes", "5000"},
                        {"per_day_kes", "10000"},
                        {"reason", "x"}};
    const json adjustment = {{"user_id", injection_suite().victim_id},
                             {"grams", "0.000001"},
                             {"direction", "credit"},
                             {"reason", "x"}};
    const std::vector<std::tuple<std::string, std::string, json, std::string, std::set<int>>>
        fields = {
            {"POST", decision, json::object(), "status", {400}},
            {"PUT", "/admin/limits", limit, "kyc_status", {400}},
            {"PUT", "/admin/limits", limit, "side", {400}},
            {"PUT", "/admin/limits", limit, "per_day_kes", {400}},
            {"PUT", "/admin/limits", limit, "reason", {200, 400}},
            {"POST", "/pools", {{"name", "Purity probe"}, {"total_grams", "1"}}, "purity", {400}},
            {"POST", "/pools/" + injection_suite().pool + "/topup", json::object(), "added_grams", {400}},
            {"POST", "/admin/adjustments", adjustment, "user_id", {400, 404}},
            {"POST", "/admin/adjustments", adjustment, "direction", {400}},
            {"POST",
             "/admin/payouts/" + unknown + "/complete",
             json::object(),
             "mpesa_transaction_id",
             {400, 404}},
            {"POST", "/admin/payouts/" + unknown + "/fail", json::object(), "reason", {400, 404}},
            {"POST", "/admin/reconciliation/run", json::object(), "date", {201, 400, 409}},
            {"POST",
             "/admin/reconciliation/" + unknown + "/items/1/resolve",
             json::object(),
             "note",
             {400, 404}},
            {"POST", "/prices", {{"sell_price_per_gram", "8000"}}, "buy_price_per_gram", {400}},
        };
    for (const auto& spec : fields) {
        const auto& [method, path, body, field, allowed] = spec;
        const std::string what = concat({method, " ", path, " ", field, " "});
        const std::set<int>& statuses = allowed;
        each_payload(method,
                     path,
                     body,
                     field,
                     admin(),
                     [&what, &statuses](const std::string& payload, const JsonResponse& answer) {
                         expect_clean(answer, statuses, what + shown(payload));
                     });
    }
}

// Query parameters as a client would encode them, plus invalid UTF-8 and a NUL.
std::vector<std::string> encoded_payloads() {
    std::vector<std::string> all;
    for (const std::string& payload : payloads()) {
        all.push_back(url_encode(payload));
    }
    for (const char* raw :
         {"%FF%FE", "%C0%AE%C0%AE", "%ED%A0%80", "a%00b", "%E2%82", "1%27%20OR%201%3D1"}) {
        all.emplace_back(raw);
    }
    return all;
}

TEST_F(Injection, QueryParametersAreRefusedCleanly) {
    const std::string run =
        request_json(app(), "POST", "/admin/reconciliation/run", json::object(), admin())
            .body.at("run")
            .value("run_id", "");
    const std::vector<std::pair<std::string, std::string>> customer = {
        {"/user/trades?before=", ""},
        {"/user/trades?limit=", ""},
        {"/user/notifications?before=", ""},
        {"/user/ledger?before=", ""},
        {"/prices/history?before=", ""},
        {"/prices/history?limit=", ""}};
    const std::vector<std::pair<std::string, std::string>> staff = {
        {"/admin/kyc?status=", ""},
        {"/admin/kyc?before=", ""},
        {"/admin/audit?before=", ""},
        {"/admin/payouts?status=", ""},
        {"/admin/payouts?after=", ""},
        {"/admin/ledger?user_id=", ""},
        {"/admin/ledger?kind=", ""},
        {"/admin/ledger?status=", ""},
        {"/admin/ledger?from=", ""},
        {"/admin/ledger?to=", ""},
        {"/admin/ledger?before=", ""},
        {"/admin/reconciliation?before=", ""},
        {"/admin/reconciliation/" + run + "?format=", ""}};
    for (const std::string& value : encoded_payloads()) {
        for (const auto& [path, unused] : customer) {
            expect_clean(send_raw(app(), raw_get(path + value, token())),
                         {200, 400, 414, 431},
                         path + shown(value));
        }
        for (const auto& [path, unused] : staff) {
            expect_clean(send_raw(app(), raw_get(path + value, admin())),
                         {200, 400, 414, 431},
                         path + shown(value));
        }
    }
}

TEST_F(Injection, PathIdsAreRefusedCleanly) {
    const std::string user = injection_suite().victim_id;
    for (const std::string& value : encoded_payloads()) {
        const std::vector<std::tuple<std::string, std::string, std::string, json>> calls = {
            {"GET", "/trade/" + value, token(), nullptr},
            {"POST", "/user/notifications/" + value + "/read", token(), nullptr},
            {"GET", "/pools/" + value, admin(), nullptr},
            {"PATCH", "/pools/" + value, admin(), {{"notes", "x"}}},
            {"POST", "/admin/payouts/" + value + "/fail", admin(), {{"reason", "x"}}},
            {"GET", concat({"/admin/kyc/", value, "/documents/", value}), admin(), nullptr},
            {"GET", concat({"/admin/kyc/", user, "/documents/", value}), admin(), nullptr},
            {"POST", "/admin/kyc/" + value + "/decision", admin(), {{"status", "verified"}}},
            {"GET", "/admin/reconciliation/" + value, admin(), nullptr},
            {"POST",
             concat({"/admin/reconciliation/", value, "/items/", value, "/resolve"}),
             admin(),
             {{"note", "x"}}},
        };
        for (const auto& [method, path, bearer, body] : calls) {
            const std::string text = body.is_null() ? "" : body.dump();
            httplib::Headers headers = {{"Authorization", "Bearer " + bearer}};
            const auto answer = send_raw(
                app(),
                raw_request(method, path, text, text.empty() ? "" : "application/json", headers));
            expect_clean(answer, {400, 404, 405, 414, 431}, method + " " + shown(path));
        }
    }
}

}  // namespace
}  // namespace gw::test::security
