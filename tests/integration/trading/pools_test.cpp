// Proves the admin pool routes end to end: a pool is created with its gold posted from
// vault:external in the ledger, listed (admin and treasury only), topped up, renamed and
// reprioritised, and retired, each change audited with before and after; every refusal answers
// its exact error code and stores nothing; and the ledger invariants hold after every test.

#include <algorithm>
#include <array>
#include <chrono>
#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "core/time_text.hpp"
#include "identity/role.hpp"
#include "ledger/invariants.hpp"
#include "support/app_fixture.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test {
namespace {

using nlohmann::json;

const std::string kPoolName = "Pool 1 — 1 kg 24k bar #A1234";
const std::string kUnknownPoolId = "00000000-0000-4000-8000-000000000000";

json pool_body(const std::string& name, const json& total = "1000.000000",
               const std::string& purity = "999.9") {
    return {{"name", name}, {"total_grams", total}, {"purity", purity}};
}

json with(json body, const std::string& key, const json& value) {
    body[key] = value;
    return body;
}

json without(json body, const std::string& key) {
    body.erase(key);
    return body;
}

// Row counts of everything a pool route may write, as one comparable line.
std::string stored_pools(const RunningApp& app) {
    return app.query(
        "SELECT format('gold_pools=%s transfers=%s audit_log=%s accounts=%s', "
        "(SELECT count(*) FROM gold_pools), (SELECT count(*) FROM transfers), "
        "(SELECT count(*) FROM audit_log), (SELECT count(*) FROM accounts))");
}

// The newest audit row with `action`, or null when there is none.
json last_audit(const RunningApp& app, const std::string& action) {
    const std::string text = app.query(
        "SELECT json_build_object('actor_id', actor_id, 'actor_role', actor_role, "
        "'target_type', target_type, 'target_id', target_id, 'before', before, 'after', after, "
        "'reason', reason)::text FROM audit_log WHERE action = '" +
        action + "' ORDER BY id DESC LIMIT 1");
    return text.empty() ? json() : json::parse(text);
}

std::string audit_count(const RunningApp& app, const std::string& action) {
    return app.query("SELECT count(*) FROM audit_log WHERE action = '" + action + "'");
}

JsonResponse patch_json(const RunningApp& app, const std::string& path, const json& body,
                        const std::string& bearer) {
    httplib::Client client = app.client();
    httplib::Headers headers;
    if (!bearer.empty()) {
        headers.emplace("Authorization", "Bearer " + bearer);
    }
    return to_json_response(client.Patch(path.c_str(), headers, body.dump(), "application/json"),
                            "PATCH " + path);
}

std::vector<std::string> listed_names(const RunningApp& app, const std::string& bearer) {
    const auto listed = request_json(app, "GET", "/pools", nullptr, bearer);
    EXPECT_EQ(listed.status, 200) << listed.raw;
    std::vector<std::string> names;
    for (const json& pool : listed.body.at("items")) {
        names.push_back(pool.at("name"));
    }
    return names;
}

// Every test runs on a fresh node with one admin; the ledger invariants must hold at the end.
class Pools : public ::testing::Test {
protected:
    void TearDown() override {
        pqxx::connection connection(app_.database());
        pqxx::work tx(connection);
        for (const auto& violation : ledger::check_invariants(tx)) {
            ADD_FAILURE() << violation.invariant << ": " << violation.detail;
        }
    }

    // Creates a pool (201 expected) and returns its body.
    json create(const json& body) {
        const auto created = request_json(app_, "POST", "/pools", body, admin_);
        EXPECT_EQ(created.status, 201) << created.raw;
        return created.body;
    }

    void expect_error(const JsonResponse& response, int status, const std::string& code,
                      const std::string& what) {
        EXPECT_EQ(response.status, status) << what << ": " << response.raw;
        EXPECT_EQ(response.body.value("code", ""), code) << what << ": " << response.raw;
    }

    RunningApp app_;
    const json admin_login_ = staff_login(app_, "admin", identity::Role::admin);
    const std::string admin_ = admin_login_.at("access_token");
};

TEST_F(Pools, AnAdminCreatesAPoolWhoseGoldIsPostedFromTheVault) {
    const auto created = request_json(app_, "POST", "/pools", pool_body(kPoolName), admin_);
    ASSERT_EQ(created.status, 201) << created.raw;
    const json& pool = created.body;
    const std::string id = pool.at("id");
    EXPECT_EQ(id.size(), 36u) << id;
    EXPECT_EQ(pool.at("name"), kPoolName);
    EXPECT_EQ(pool.at("purity"), "999.9");
    EXPECT_EQ(pool.at("priority"), 100);
    EXPECT_EQ(pool.at("notes"), "");
    EXPECT_EQ(pool.at("total_grams"), "1000.000000");
    EXPECT_EQ(pool.at("available_grams"), "1000.000000");
    EXPECT_EQ(pool.at("reserved_grams"), "0.000000");
    EXPECT_EQ(pool.at("held_grams"), "0.000000");
    EXPECT_EQ(pool.at("selling_grams"), "0.000000");
    EXPECT_FALSE(pool.at("created_at").get<std::string>().empty());
    EXPECT_TRUE(pool.at("retired_at").is_null());

    EXPECT_EQ(app_.query("SELECT count(*) FROM transfers WHERE kind = 'pool.create'"), "1");
    EXPECT_EQ(app_.query("SELECT d.code || ' -> ' || c.code || ' ' || t.amount || ' flags ' || "
                         "t.flags FROM transfers t JOIN accounts d ON d.id = t.debit_account_id "
                         "JOIN accounts c ON c.id = t.credit_account_id "
                         "WHERE t.kind = 'pool.create'"),
              "vault:external -> pool:" + id + " 1000000000 flags 0")
        << "a posted single-phase transfer of 1000 g from the vault into the pool";

    const json audit = last_audit(app_, "pool.create");
    ASSERT_FALSE(audit.is_null()) << "pool.create is audited";
    EXPECT_EQ(audit.at("actor_id"), admin_login_.at("user_id"));
    EXPECT_EQ(audit.at("actor_role"), "admin");
    EXPECT_EQ(audit.at("target_type"), "pool");
    EXPECT_EQ(audit.at("target_id"), id);
    EXPECT_TRUE(audit.at("before").is_null());
    EXPECT_EQ(audit.at("after").at("name"), kPoolName);
    EXPECT_EQ(audit.at("after").at("total_grams"), "1000.000000");

    const auto found = request_json(app_, "GET", "/pools/" + id, nullptr, admin_);
    ASSERT_EQ(found.status, 200) << found.raw;
    EXPECT_EQ(found.body, pool);
}

TEST_F(Pools, OnlyAdminsAndTreasuryListPoolsAndOnlyAdminsCreateThem) {
    const json pool = create(pool_body(kPoolName));
    const std::string treasury =
        staff_login(app_, "treasurer", identity::Role::treasury).at("access_token");
    const std::string user = register_and_login(app_, "alice").at("access_token");

    for (const std::string& bearer : {admin_, treasury}) {
        const auto listed = request_json(app_, "GET", "/pools", nullptr, bearer);
        ASSERT_EQ(listed.status, 200) << listed.raw;
        ASSERT_EQ(listed.body.at("items").size(), 1u) << listed.raw;
        EXPECT_EQ(listed.body.at("items").at(0), pool);
    }
    expect_error(request_json(app_, "GET", "/pools", nullptr, user), 403, "forbidden", "user");
    expect_error(request_json(app_, "GET", "/pools"), 401, "unauthorized", "no token");
    expect_error(request_json(app_, "GET", "/pools/" + pool.at("id").get<std::string>(), nullptr,
                              user),
                 403, "forbidden", "user reads one pool");

    const std::string before = stored_pools(app_);
    expect_error(request_json(app_, "POST", "/pools", pool_body("Pool 2"), treasury), 403,
                 "forbidden", "treasury creates");
    expect_error(request_json(app_, "POST", "/pools", pool_body("Pool 2"), user), 403,
                 "forbidden", "user creates");
    expect_error(request_json(app_, "POST", "/pools", pool_body("Pool 2")), 401, "unauthorized",
                 "anonymous creates");
    const std::string path = "/pools/" + pool.at("id").get<std::string>();
    expect_error(request_json(app_, "POST", path + "/topup", {{"added_grams", "1"}}, treasury),
                 403, "forbidden", "treasury tops up");
    expect_error(patch_json(app_, path, {{"priority", 1}}, user), 403, "forbidden",
                 "user patches");
    expect_error(request_json(app_, "POST", path + "/retire", json::object(), treasury), 403,
                 "forbidden", "treasury retires");
    EXPECT_EQ(stored_pools(app_), before);
}

TEST_F(Pools, ATopUpAddsGoldFromTheVaultAndIsAuditedWithBeforeAndAfter) {
    const json pool = create(pool_body(kPoolName));
    const std::string id = pool.at("id");

    const auto topped = request_json(app_, "POST", "/pools/" + id + "/topup",
                                     {{"added_grams", "250.500000"}, {"note", "bar #A1235"}},
                                     admin_);
    ASSERT_EQ(topped.status, 200) << topped.raw;
    EXPECT_EQ(topped.body.at("total_grams"), "1250.500000");
    EXPECT_EQ(topped.body.at("available_grams"), "1250.500000");
    EXPECT_EQ(topped.body.at("reserved_grams"), "0.000000");
    EXPECT_EQ(app_.query("SELECT string_agg(amount::text, ',') FROM transfers "
                         "WHERE kind = 'pool.topup'"),
              "250500000");

    const json audit = last_audit(app_, "pool.topup");
    ASSERT_FALSE(audit.is_null()) << "pool.topup is audited";
    EXPECT_EQ(audit.at("target_id"), id);
    EXPECT_EQ(audit.at("actor_id"), admin_login_.at("user_id"));
    EXPECT_EQ(audit.at("reason"), "bar #A1235");
    EXPECT_EQ(audit.at("before").at("total_grams"), "1000.000000");
    EXPECT_EQ(audit.at("after").at("total_grams"), "1250.500000");

    const auto listed = request_json(app_, "GET", "/pools", nullptr, admin_);
    EXPECT_EQ(listed.body.at("items").at(0).at("total_grams"), "1250.500000") << listed.raw;
}

TEST_F(Pools, ConcurrentTopUpsAllLand) {
    const std::string id = create(pool_body(kPoolName)).at("id");
    constexpr int kThreads = 8;
    std::array<int, kThreads> statuses{};
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            statuses[static_cast<std::size_t>(i)] =
                request_json(app_, "POST", "/pools/" + id + "/topup", {{"added_grams", "1"}},
                             admin_)
                    .status;
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    for (int status : statuses) {
        EXPECT_EQ(status, 200);
    }
    const auto found = request_json(app_, "GET", "/pools/" + id, nullptr, admin_);
    EXPECT_EQ(found.body.at("total_grams"), "1008.000000") << found.raw;
    EXPECT_EQ(audit_count(app_, "pool.topup"), "8");
}

TEST_F(Pools, APatchRenamesAnnotatesAndReprioritisesAndIsAudited) {
    const std::string id = create(pool_body(kPoolName)).at("id");

    const auto patched = patch_json(
        app_, "/pools/" + id,
        {{"name", "Pool 1 — vault B"}, {"notes", "moved to vault B"}, {"priority", 5}}, admin_);
    ASSERT_EQ(patched.status, 200) << patched.raw;
    EXPECT_EQ(patched.body.at("name"), "Pool 1 — vault B");
    EXPECT_EQ(patched.body.at("notes"), "moved to vault B");
    EXPECT_EQ(patched.body.at("priority"), 5);
    EXPECT_EQ(patched.body.at("total_grams"), "1000.000000") << "the gold is untouched";

    const json audit = last_audit(app_, "pool.update");
    ASSERT_FALSE(audit.is_null()) << "pool.update is audited";
    EXPECT_EQ(audit.at("target_id"), id);
    EXPECT_EQ(audit.at("before").at("name"), kPoolName);
    EXPECT_EQ(audit.at("before").at("notes"), "");
    EXPECT_EQ(audit.at("before").at("priority"), 100);
    EXPECT_EQ(audit.at("after").at("name"), "Pool 1 — vault B");
    EXPECT_EQ(audit.at("after").at("notes"), "moved to vault B");
    EXPECT_EQ(audit.at("after").at("priority"), 5);

    const auto notes_only = patch_json(app_, "/pools/" + id, {{"notes", "sealed"}}, admin_);
    ASSERT_EQ(notes_only.status, 200) << notes_only.raw;
    EXPECT_EQ(notes_only.body.at("name"), "Pool 1 — vault B") << "absent fields stay";
    EXPECT_EQ(notes_only.body.at("priority"), 5) << "absent fields stay";
    EXPECT_EQ(notes_only.body.at("notes"), "sealed");

    const auto own_name =
        patch_json(app_, "/pools/" + id, {{"name", "POOL 1 — VAULT B"}}, admin_);
    EXPECT_EQ(own_name.status, 200) << "a pool may change the case of its own name: "
                                    << own_name.raw;
}

TEST_F(Pools, APatchWithANullPriorityLeavesThePriorityAlone) {
    const std::string id = create(pool_body(kPoolName)).at("id");
    const auto patched =
        patch_json(app_, "/pools/" + id, {{"notes", "sealed"}, {"priority", nullptr}}, admin_);
    ASSERT_EQ(patched.status, 200) << patched.raw;
    EXPECT_EQ(patched.body.at("priority"), 100)
        << "null means unchanged, as for name and notes; it must not move the pool to the front";
}

TEST_F(Pools, ANameTakenInAnotherCaseIsRefusedOnCreateAndOnPatch) {
    create(pool_body(kPoolName));
    std::string shouted = kPoolName;
    for (char& c : shouted) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    const std::string before_create = stored_pools(app_);
    expect_error(request_json(app_, "POST", "/pools", pool_body(shouted), admin_), 409,
                 "pool_name_taken", "create");
    EXPECT_EQ(stored_pools(app_), before_create) << "nothing stored, not even the pool's account";

    const std::string other = create(pool_body("Pool 2", "5")).at("id");
    const std::string before_patch = stored_pools(app_);
    expect_error(patch_json(app_, "/pools/" + other, {{"name", "pool 1 — 1 KG 24K bar #a1234"}},
                            admin_),
                 409, "pool_name_taken", "patch");
    EXPECT_EQ(stored_pools(app_), before_patch);
    const auto unchanged = request_json(app_, "GET", "/pools/" + other, nullptr, admin_);
    EXPECT_EQ(unchanged.body.at("name"), "Pool 2") << unchanged.raw;
}

TEST_F(Pools, ConcurrentCreatesOfOneNameMakeExactlyOnePool) {
    constexpr int kThreads = 8;
    std::array<int, kThreads> statuses{};
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            const std::string name = i % 2 == 0 ? "Twin bar" : "TWIN BAR";
            statuses[static_cast<std::size_t>(i)] =
                request_json(app_, "POST", "/pools", pool_body(name, "10"), admin_).status;
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1);
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 409), kThreads - 1);
    EXPECT_EQ(app_.query("SELECT count(*) FROM gold_pools"), "1");
    EXPECT_EQ(app_.query("SELECT count(*) FROM transfers"), "1");
    EXPECT_EQ(app_.query("SELECT count(*) FROM accounts WHERE code LIKE 'pool:%'"), "1");
}

TEST_F(Pools, ARetiredPoolKeepsItsGoldButTakesNoTopUpAndCannotBeRetiredAgain) {
    const std::string id = create(pool_body(kPoolName)).at("id");
    app_.clock().advance(std::chrono::minutes(1));

    const auto retired = request_json(app_, "POST", "/pools/" + id + "/retire",
                                      {{"reason", "bar sent for assay"}}, admin_);
    ASSERT_EQ(retired.status, 200) << retired.raw;
    ASSERT_TRUE(retired.body.at("retired_at").is_string()) << retired.raw;
    EXPECT_EQ(retired.body.at("total_grams"), "1000.000000") << "the gold stays traceable";

    const json audit = last_audit(app_, "pool.retire");
    ASSERT_FALSE(audit.is_null()) << "pool.retire is audited";
    EXPECT_EQ(audit.at("target_id"), id);
    EXPECT_EQ(audit.at("reason"), "bar sent for assay");
    EXPECT_EQ(audit.at("before").at("total_grams"), "1000.000000");
    EXPECT_EQ(parse_rfc3339(retired.body.at("retired_at").get<std::string>()), app_.clock().now());
    EXPECT_EQ(parse_rfc3339(audit.at("after").at("retired_at").get<std::string>()),
              app_.clock().now());

    const std::string before = stored_pools(app_);
    expect_error(request_json(app_, "POST", "/pools/" + id + "/topup",
                              {{"added_grams", "1.000000"}}, admin_),
                 409, "pool_retired", "top-up");
    expect_error(request_json(app_, "POST", "/pools/" + id + "/retire", json::object(), admin_),
                 409, "pool_retired", "retire again");
    EXPECT_EQ(stored_pools(app_), before);

    const auto listed = request_json(app_, "GET", "/pools", nullptr, admin_);
    ASSERT_EQ(listed.body.at("items").size(), 1u) << "a retired pool is still listed";
    EXPECT_EQ(listed.body.at("items").at(0).at("retired_at"), retired.body.at("retired_at"));
}

TEST_F(Pools, AnUnknownOrMalformedPoolIdIsNotFound) {
    create(pool_body(kPoolName));
    const std::string before = stored_pools(app_);
    for (const std::string& id : {kUnknownPoolId, std::string("not-a-uuid"), std::string("42")}) {
        const std::string path = "/pools/" + id;
        expect_error(request_json(app_, "GET", path, nullptr, admin_), 404, "not_found",
                     "GET " + id);
        expect_error(request_json(app_, "POST", path + "/topup", {{"added_grams", "1"}}, admin_),
                     404, "not_found", "topup " + id);
        expect_error(patch_json(app_, path, {{"notes", "x"}}, admin_), 404, "not_found",
                     "PATCH " + id);
        expect_error(request_json(app_, "POST", path + "/retire", json::object(), admin_), 404,
                     "not_found", "retire " + id);
    }
    EXPECT_EQ(stored_pools(app_), before);
}

TEST_F(Pools, EachInvalidCreateAnswersItsExactCodeAndStoresNothing) {
    create(pool_body(kPoolName));
    const std::string before = stored_pools(app_);
    struct Case {
        std::string what;
        json body;
        std::string code;
    };
    const std::vector<Case> cases = {
        {"zero total", pool_body("x", "0"), "zero_amount"},
        {"zero total with decimals", pool_body("x", "0.000000"), "zero_amount"},
        {"negative total", pool_body("x", "-1"), "negative_amount"},
        {"seven decimals", pool_body("x", "1.0000001"), "too_many_decimals"},
        {"letters", pool_body("x", "abc"), "invalid_number_format"},
        {"above 100 t", pool_body("x", "100000000.000001"), "amount_too_large"},
        {"negative JSON number", pool_body("x", -5), "negative_amount"},
        {"missing total", without(pool_body("x"), "total_grams"), "validation_failed"},
        {"missing name", without(pool_body("x"), "name"), "validation_failed"},
        {"empty name", pool_body(""), "validation_failed"},
        {"121-character name", pool_body(std::string(121, 'n')), "validation_failed"},
        {"name not a string", with(pool_body("x"), "name", 7), "validation_failed"},
        {"purity above 1000", pool_body("x", "1", "1000.1"), "validation_failed"},
        {"purity zero", pool_body("x", "1", "0"), "validation_failed"},
        {"purity with two decimals", pool_body("x", "1", "999.99"), "validation_failed"},
        {"missing purity", without(pool_body("x"), "purity"), "validation_failed"},
        {"negative priority", with(pool_body("x"), "priority", -1), "validation_failed"},
        {"priority as text", with(pool_body("x"), "priority", "5"), "validation_failed"},
    };
    for (const Case& c : cases) {
        expect_error(request_json(app_, "POST", "/pools", c.body, admin_), 400, c.code, c.what);
    }
    const auto exponent = post_raw(app_, "/pools",
                                   R"({"name": "x", "total_grams": 1e3, "purity": "999.9"})",
                                   "application/json", admin_);
    expect_error(exponent, 400, "invalid_number_format", "1e3 as a JSON number");
    EXPECT_EQ(stored_pools(app_), before);
}

TEST_F(Pools, AnExactJsonNumberTotalIsAccepted) {
    const json pool = create(pool_body("Small bar", 12.5));
    EXPECT_EQ(pool.at("total_grams"), "12.500000");
    EXPECT_EQ(pool.at("available_grams"), "12.500000");
    EXPECT_EQ(app_.query("SELECT amount FROM transfers WHERE kind = 'pool.create'"), "12500000");
}

TEST_F(Pools, InvalidTopUpsAndPatchesAnswerTheirExactCodesAndStoreNothing) {
    const std::string id = create(pool_body(kPoolName)).at("id");
    const std::string before = stored_pools(app_);
    const std::string topup = "/pools/" + id + "/topup";
    const std::vector<std::pair<json, std::string>> topups = {
        {{{"added_grams", "0"}}, "zero_amount"},
        {{{"added_grams", "-1"}}, "negative_amount"},
        {{{"added_grams", "1.0000001"}}, "too_many_decimals"},
        {{{"added_grams", "abc"}}, "invalid_number_format"},
        {{{"note", "no amount"}}, "validation_failed"},
        {{{"added_grams", "1"}, {"note", 5}}, "validation_failed"},
    };
    for (const auto& [body, code] : topups) {
        expect_error(request_json(app_, "POST", topup, body, admin_), 400, code, body.dump());
    }
    expect_error(post_raw(app_, topup, R"({"added_grams": 1e3})", "application/json", admin_), 400,
                 "invalid_number_format", "1e3 top-up");

    const std::vector<json> patches = {
        {{"name", ""}},
        {{"name", 7}},
        {{"name", std::string(121, 'n')}},
        {{"notes", false}},
        {{"priority", -1}},
        {{"priority", 1.5}},
        {{"priority", 1'000'001}},
    };
    for (const json& body : patches) {
        expect_error(patch_json(app_, "/pools/" + id, body, admin_), 400, "validation_failed",
                     body.dump());
    }
    EXPECT_EQ(stored_pools(app_), before);
    const auto found = request_json(app_, "GET", "/pools/" + id, nullptr, admin_);
    EXPECT_EQ(found.body.at("name"), kPoolName);
    EXPECT_EQ(found.body.at("priority"), 100);
    EXPECT_EQ(found.body.at("total_grams"), "1000.000000");
}

TEST_F(Pools, PoolsAreListedByPriorityThenCreation) {
    const auto create_at = [&](const std::string& name, std::optional<int> priority) {
        json body = pool_body(name, "1");
        if (priority) {
            body["priority"] = *priority;
        }
        app_.clock().advance(std::chrono::seconds(1));
        return create(body).at("id").get<std::string>();
    };
    const std::string a = create_at("A", 100);
    create_at("B", 10);
    create_at("C", 100);
    const std::string d = create_at("D", std::nullopt);  // the default priority, 100
    EXPECT_EQ(listed_names(app_, admin_), (std::vector<std::string>{"B", "A", "C", "D"}));

    ASSERT_EQ(patch_json(app_, "/pools/" + d, {{"priority", 0}}, admin_).status, 200);
    EXPECT_EQ(listed_names(app_, admin_), (std::vector<std::string>{"D", "B", "A", "C"}));

    ASSERT_EQ(patch_json(app_, "/pools/" + a, {{"priority", 10}}, admin_).status, 200);
    EXPECT_EQ(listed_names(app_, admin_), (std::vector<std::string>{"D", "A", "B", "C"}))
        << "A and B share priority 10; A was created first";
}

}  // namespace
}  // namespace gw::test
