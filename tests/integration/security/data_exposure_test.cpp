// OWASP API3 (excessive data exposure), on the shared world. Collects the answer of every GET
// a customer and each staff role can call (profile, export, KYC status, trades,
// notifications, wallet, limits, prices; KYC queue, audit, limits, pools, payouts, ledger,
// reconciliation runs and their CSV, dashboard, metrics) plus the answers the world's own
// writes got, and proves:
// - no JSON key anywhere names a secret (password, hash, sealed or encrypted data, blind
//   indexes, key ids, storage keys, digests, tokens) — the list follows the columns of
//   migrations/ that hold such data;
// - no stored secret value (password hashes, ciphertexts, blind indexes, token digests,
//   storage keys, as hex or base64) appears in any answer;
// - no full phone number appears in any answer, only the masked form, except in a customer's
//   own data export (the right of access, by design);
// - a customer sees nothing of the other customer (ids, username, email, trades, documents).

#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "security_support.hpp"
#include "support/base64_text.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test::security {
namespace {

using nlohmann::json;

struct Seen {
    std::string what;  // "alice GET /user/me"
    JsonResponse answer;
};

void get_all(SecurityWorld& world,
             const std::string& who,
             const std::string& token,
             const std::vector<std::string>& paths,
             std::vector<Seen>& seen) {
    for (const std::string& path : paths) {
        const auto answer = send(world.app(), Call{"GET", path, "", "", {}}, token);
        EXPECT_EQ(answer.status, 200) << who << " GET " << path << ": " << answer.raw;
        seen.push_back({concat({who, " GET ", path}), answer});
    }
}

std::vector<Seen> customer_views(SecurityWorld& world, const Customer& c) {
    std::vector<std::string> paths = {"/user/me",
                                      "/user/me/export",
                                      "/user/limits",
                                      "/user/kyc/status",
                                      "/user/trades",
                                      "/trade/" + c.buy_trade,
                                      "/user/notifications",
                                      "/user/balance",
                                      "/user/ledger",
                                      "/prices/current",
                                      "/prices/history"};
    if (!c.sell_trade.empty()) {
        paths.push_back("/trade/" + c.sell_trade);
    }
    std::vector<Seen> seen;
    get_all(world, c.username, c.token, paths, seen);
    return seen;
}

std::vector<Seen> staff_views(SecurityWorld& world) {
    std::vector<Seen> seen;
    get_all(world,
            "admin",
            world.admin,
            {"/admin/kyc?status=pending",
             "/admin/kyc?status=verified",
             "/admin/kyc?status=rejected",
             "/admin/audit?limit=100",
             "/admin/limits",
             "/pools",
             "/pools/" + world.pool,
             "/admin/payouts",
             "/admin/ledger?limit=500",
             "/admin/reconciliation",
             "/admin/reconciliation/" + world.run,
             "/admin/reconciliation/" + world.run + "?format=csv",
             "/admin/dashboard",
             "/trade/" + world.alice.buy_trade,
             "/trade/" + world.alice.sell_trade},
            seen);
    get_all(world,
            "treasury",
            world.treasury,
            {"/admin/payouts?status=pending",
             "/admin/ledger?user_id=" + world.alice.id,
             "/admin/dashboard"},
            seen);
    get_all(world, "reviewer", world.reviewer, {"/admin/kyc"}, seen);
    get_all(world, "anyone", "", {"/metrics", "/healthz", "/readyz"}, seen);
    return seen;
}

std::vector<Seen> everything(SecurityWorld& world) {
    std::vector<Seen> seen = customer_views(world, world.alice);
    for (const std::vector<Seen>& more : {customer_views(world, world.bob), staff_views(world)}) {
        seen.insert(seen.end(), more.begin(), more.end());
    }
    for (const auto& [what, answer] : world.write_answers) {
        seen.push_back({"the world's " + what, answer});
    }
    return seen;
}

// Every key of `value`, recursively, with its JSON path.
void keys_of(const json& value,
             const std::string& path,
             std::vector<std::pair<std::string, std::string>>& keys) {
    if (value.is_object()) {
        for (const auto& [key, member] : value.items()) {
            const std::string child = concat({path, ".", key});
            keys.emplace_back(key, child);
            keys_of(member, child, keys);
        }
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            keys_of(value[i], path + "[" + std::to_string(i) + "]", keys);
        }
    }
}

TEST(DataExposure, NoAnswerHasAKeyThatNamesASecret) {
    SecurityWorld& world = shared_world();
    const std::regex forbidden(
        "password|hash|secret|salt|sealed|cipher|encrypt|blind|key_id|storage_key|file_key|digest|"
        "national_id|id_number|private|credential|passkey|token|phone_tag|msisdn",
        std::regex::icase);
    // Only the answers that hand out tokens may name them.
    const std::set<std::string> token_keys = {"access_token", "refresh_token", "token_type"};
    std::size_t scanned = 0;
    for (const Seen& seen : everything(world)) {
        std::vector<std::pair<std::string, std::string>> keys;
        keys_of(seen.answer.body, "$", keys);
        scanned += keys.size();
        const bool hands_out_tokens = seen.what.ends_with(" login");
        for (const auto& [key, path] : keys) {
            if (hands_out_tokens && token_keys.contains(key)) {
                continue;
            }
            EXPECT_FALSE(std::regex_search(key, forbidden)) << seen.what << " has " << path;
        }
    }
    EXPECT_GT(scanned, 300u) << "the answers were read";
}

// Every stored secret of the world, as the database holds it (hex for bytes) and as base64.
// (kyc_documents.storage_key is the document's public id by design: the file it names is
// encrypted under its own sealed key.)
std::vector<std::string> stored_secrets(const RunningApp& app) {
    const std::vector<std::string> columns = {
        "password_hash FROM users",
        "encode(phone_sealed, 'hex') FROM users WHERE phone_sealed IS NOT NULL",
        "encode(phone_blind_index, 'hex') FROM users WHERE phone_blind_index IS NOT NULL",
        "encode(file_key_sealed, 'hex') FROM kyc_documents",
        "encode(digest, 'hex') FROM refresh_tokens",
        "encode(phone_sealed, 'hex') FROM trades",
        "encode(request_hash, 'hex') FROM trades",
        "encode(callback_token_hash, 'hex') FROM mpesa_requests",
        "encode(phone_tag, 'hex') FROM mpesa_requests"};
    std::vector<std::string> secrets;
    for (const std::string& column : columns) {
        const std::string all =
            app.query("SELECT string_agg(" + column.substr(0, column.find(" FROM")) + ", '\n')" +
                      column.substr(column.find(" FROM")));
        std::istringstream lines(all);
        for (std::string line; std::getline(lines, line);) {
            secrets.push_back(line);
            std::string bytes;
            for (std::size_t i = 0; line.size() % 2 == 0 && i + 1 < line.size(); i += 2) {
                bytes.push_back(static_cast<char>(std::stoi(line.substr(i, 2), nullptr, 16)));
            }
            if (column.starts_with("encode") && bytes.size() >= 16) {
                secrets.push_back(base64(bytes).substr(0, 20));
            }
        }
    }
    return secrets;
}

TEST(DataExposure, NoStoredSecretValueAppearsInAnyAnswer) {
    SecurityWorld& world = shared_world();
    const std::vector<std::string> secrets = stored_secrets(world.app());
    ASSERT_GT(secrets.size(), 20u) << "hashes, ciphertexts, indexes and digests were read";
    for (const Seen& seen : everything(world)) {
        for (const std::string& secret : secrets) {
            EXPECT_EQ(seen.answer.raw.find(secret), std::string::npos)
                << seen.what << " holds the stored secret " << secret;
        }
    }
}

// The spellings of a customer's number: 2547…, +2547…, 07…, and the nine digits after 254.
std::vector<std::string> spellings(const Customer& c) {
    const std::string national = c.msisdn.substr(3);
    return {c.msisdn, "+" + c.msisdn, "0" + national, national};
}

TEST(DataExposure, FullPhoneNumbersNeverAppearOnlyMaskedOnes) {
    SecurityWorld& world = shared_world();
    for (const Seen& seen : everything(world)) {
        for (const Customer* c : {&world.alice, &world.bob}) {
            const bool own_export = seen.what == c->username + " GET /user/me/export";
            for (const std::string& number : spellings(*c)) {
                if (!own_export) {
                    EXPECT_EQ(seen.answer.raw.find(number), std::string::npos)
                        << seen.what << " shows " << c->username << "'s number";
                }
            }
        }
    }
    const auto me = request_json(world.app(), "GET", "/user/me", nullptr, world.alice.token);
    const std::string masked = me.body.value("phone", "");
    EXPECT_EQ(masked, world.alice.msisdn.substr(0, 4) + "******" + world.alice.msisdn.substr(10))
        << me.raw;
    const auto exported =
        request_json(world.app(), "GET", "/user/me/export", nullptr, world.alice.token);
    EXPECT_EQ(exported.body.at("profile").value("phone", ""), world.alice.msisdn)
        << "her own export, in full";
    EXPECT_EQ(header_of(exported, "Cache-Control"), "no-store");
}

// What identifies `c`, for a check that the other customer never sees it.
std::vector<std::string> identifiers(const Customer& c) {
    std::vector<std::string> ids = {c.id,
                                    c.username,
                                    c.username + "@example.com",
                                    c.buy_trade,
                                    c.notification,
                                    c.used_quote,
                                    c.fresh_quote,
                                    c.sell_quote,
                                    c.buy_key};
    for (const auto& [doc_type, id] : c.documents) {
        ids.push_back(id);
    }
    for (const std::string* more : {&c.sell_trade, &c.payout}) {
        if (!more->empty()) {
            ids.push_back(*more);
        }
    }
    return ids;
}

TEST(DataExposure, ACustomerSeesNothingOfAnotherCustomer) {
    SecurityWorld& world = shared_world();
    for (const auto& [viewer, other] :
         {std::pair{&world.alice, &world.bob}, std::pair{&world.bob, &world.alice}}) {
        const std::vector<Seen> views = customer_views(world, *viewer);
        ASSERT_EQ(views.size(), viewer->sell_trade.empty() ? 11u : 12u);
        for (const Seen& seen : views) {
            for (const std::string& id : identifiers(*other)) {
                EXPECT_EQ(seen.answer.raw.find(id), std::string::npos)
                    << seen.what << " shows " << id;
            }
        }
        // The control: the viewer's own objects are in their own views.
        std::string all;
        for (const Seen& seen : views) {
            all += seen.answer.raw;
        }
        EXPECT_NE(all.find(viewer->buy_trade), std::string::npos);
        EXPECT_NE(all.find(viewer->notification), std::string::npos);
        EXPECT_NE(all.find(viewer->documents.at("selfie")), std::string::npos);
    }
}

TEST(DataExposure, ErrorAnswersCarryOnlyTheProblemFields) {
    SecurityWorld& world = shared_world();
    const std::set<std::string> allowed = {"type",
                                           "title",
                                           "status",
                                           "code",
                                           "detail",
                                           "request_id",
                                           "available_grams",
                                           "available_amount_kes"};
    const std::vector<JsonResponse> errors = {
        request_json(
            world.app(), "GET", "/trade/" + world.alice.buy_trade, nullptr, world.bob.token),
        request_json(world.app(), "GET", "/admin/audit", nullptr, world.bob.token),
        request_json(world.app(), "GET", "/user/me", nullptr, "forged.token.here"),
        request_json(world.app(),
                     "POST",
                     "/auth/login",
                     {{"username", "alice"}, {"password", "wrong password!"}}),
        request_json(world.app(),
                     "POST",
                     "/auth/register",
                     {{"username", "alice"},
                      {"email", "alice@example.com"},
                      {"phone", world.alice.msisdn},
                      {"password", "correct horse battery staple"}}),
        world.trade.buy(
            world.bob.token, {{"grams", "1000"}, {"phone_for_stk", world.bob.msisdn}}, "too-much")};
    for (const JsonResponse& error : errors) {
        ASSERT_TRUE(error.body.is_object()) << error.raw;
        EXPECT_GE(error.status, 400) << error.raw;
        for (const auto& [key, value] : error.body.items()) {
            EXPECT_TRUE(allowed.contains(key)) << key << " in " << error.raw;
        }
        for (const char* internal : {"pqxx", "SELECT", "ERROR:", ".cpp", "password_hash", "sql"}) {
            EXPECT_EQ(error.raw.find(internal), std::string::npos) << error.raw;
        }
    }
}

}  // namespace
}  // namespace gw::test::security
