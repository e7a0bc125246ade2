// Proves GET /user/balance and GET /user/ledger over HTTP on the real database, with gold put
// into users' accounts by real ledger transfers through the LedgerWriter: a new user has zero
// gold and no entries; posted credits count as held, a pending sell locks grams, a pending or
// voided buy counts for nothing, each figure equal to the accounts' own counters; the value
// is the held grams at the sell price rounded down to the shilling as a sale pays (figures
// chosen so cents, nearest-shilling or available-grams valuation would all differ), null
// before any price; entries come newest first with their status resolved, page by page with
// `before` without loss or repeats (ties on created_at included); nobody sees another user's
// entries; every refusal has its exact status and code.

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "core/money.hpp"
#include "core/time_text.hpp"
#include "db/transaction.hpp"
#include "identity/role.hpp"
#include "identity/uuid.hpp"
#include "ledger/ledger_store.hpp"
#include "support/app_fixture.hpp"
#include "support/identity_helpers.hpp"
#include "support/ledger_helpers.hpp"

namespace gw::test {
namespace {

using ledger::TransferRequest;
using ledger::TransferType;
using nlohmann::json;

// One entry as the API should show it.
struct Expected {
    std::string id;
    TimePoint at;
    std::string type;
    std::string direction;
    std::string grams;
    std::string status;
    std::string trade_id;  // "" for null
};

class Wallet : public ::testing::Test {
protected:
    Wallet() {
        auto pool = app_.application().pools().create(
            identity::Actor::system("test"),
            {"Wallet pool", Micrograms{100'000'000}, {9999}, 100, ""});
        EXPECT_TRUE(pool.has_value());
        pool_id_ = pool->id;
        db::with_transaction(app_.application().pool(), "test.accounts", [&](pqxx::work& tx) {
            pool_account_ = *ledger::find_account(tx, "pool:" + pool_id_);
            alice_account_ = share(tx, alice_id_);
            bob_account_ = share(tx, bob_id_);
        });
    }

    // Every test leaves a sound ledger (DESIGN §5): the transfers it made balance out.
    void TearDown() override { EXPECT_EQ(invariant_report(app_.application().pool()), ""); }

    ledger::AccountId share(pqxx::work& tx, const std::string& user_id) {
        return ledger::ensure_account(tx,
                                      {"user:" + user_id + ":pool:" + pool_id_,
                                       ledger::Asset::xau_ug,
                                       ledger::kDebitsMustNotExceedCredits,
                                       user_id,
                                       pool_id_},
                                      app_.clock().now());
    }

    // Applies the transfers atomically (one batch, one created_at) and expects each to succeed.
    void apply(std::vector<TransferRequest> transfers) {
        const auto results =
            app_.application().ledger_writer().submit({std::move(transfers), true});
        for (const auto result : results) {
            ASSERT_EQ(result, ledger::TransferResult::ok);
        }
    }

    TransferRequest transfer(TransferType type,
                             ledger::AccountId debit,
                             ledger::AccountId credit,
                             std::int64_t micrograms,
                             const std::string& kind) {
        return {
            identity::random_uuid(), debit, credit, micrograms, type, {}, std::nullopt, {}, kind};
    }

    TransferRequest resolve(TransferType type,
                            const std::string& pending_id,
                            const std::string& kind) {
        return {identity::random_uuid(), 0, 0, 0, type, pending_id, std::nullopt, {}, kind};
    }

    // Gives alice, one second apart: a posted 1.5 g credit, a 1.0 g buy (with a trade id)
    // reserved then posted, a 0.3 g buy still reserved, a 0.2 g buy reserved then voided, and a
    // 0.75 g sell lock. Returns her ledger items as the API should show them, newest first.
    json write_mixed_history_of_alice() {
        const auto credit = transfer(TransferType::single_phase,
                                     pool_account_,
                                     alice_account_,
                                     1'500'000,
                                     "adjustment.credit");
        apply({credit});
        const TimePoint credit_at = app_.clock().now();
        tick();
        auto bought = transfer(
            TransferType::pending, pool_account_, alice_account_, 1'000'000, "buy.reserve");
        bought.trade_id = identity::random_uuid();
        apply({bought});
        const TimePoint bought_at = app_.clock().now();
        tick();
        apply({resolve(TransferType::post_pending, bought.id, "buy.settle")});
        tick();
        const auto in_flight =
            transfer(TransferType::pending, pool_account_, alice_account_, 300'000, "buy.reserve");
        apply({in_flight});
        const TimePoint in_flight_at = app_.clock().now();
        tick();
        const auto failed =
            transfer(TransferType::pending, pool_account_, alice_account_, 200'000, "buy.reserve");
        apply({failed});
        const TimePoint failed_at = app_.clock().now();
        tick();
        apply({resolve(TransferType::void_pending, failed.id, "buy.void")});
        tick();
        const auto selling =
            transfer(TransferType::pending, alice_account_, pool_account_, 750'000, "sell.lock");
        apply({selling});
        const TimePoint selling_at = app_.clock().now();

        return json::array({
            entry_json({selling.id, selling_at, "sell.lock", "debit", "0.750000", "pending", ""}),
            entry_json({failed.id, failed_at, "buy.reserve", "credit", "0.200000", "voided", ""}),
            entry_json(
                {in_flight.id, in_flight_at, "buy.reserve", "credit", "0.300000", "pending", ""}),
            entry_json({bought.id,
                        bought_at,
                        "buy.reserve",
                        "credit",
                        "1.000000",
                        "posted",
                        bought.trade_id}),
            entry_json(
                {credit.id, credit_at, "adjustment.credit", "credit", "1.500000", "posted", ""}),
        });
    }

    JsonResponse get(const std::string& path, const std::string& bearer) {
        return request_json(app_, "GET", path, nullptr, bearer);
    }

    void expect_error(const JsonResponse& response,
                      int status,
                      const std::string& code,
                      const std::string& what) {
        EXPECT_EQ(response.status, status) << what << ": " << response.raw;
        EXPECT_EQ(response.body.value("code", ""), code) << what << ": " << response.raw;
        EXPECT_EQ(header_of(response, "Content-Type"), "application/problem+json") << what;
    }

    json entry_json(const Expected& e) const {
        return {{"id", e.id},
                {"created_at", format_rfc3339(e.at)},
                {"type", e.type},
                {"direction", e.direction},
                {"grams", e.grams},
                {"status", e.status},
                {"pool_id", pool_id_},
                {"trade_id", e.trade_id.empty() ? json() : json(e.trade_id)}};
    }

    void tick() { app_.clock().advance(std::chrono::seconds(1)); }

    RunningApp app_;
    const std::string admin_ = staff_login(app_, "admin", identity::Role::admin).at("access_token");
    const json alice_login_ = register_and_login(app_, "alice");
    const std::string alice_ = alice_login_.at("access_token");
    const std::string alice_id_ = alice_login_.at("user_id");
    const json bob_login_ = register_and_login(app_, "bob");
    const std::string bob_ = bob_login_.at("access_token");
    const std::string bob_id_ = bob_login_.at("user_id");
    std::string pool_id_;
    ledger::AccountId pool_account_ = 0;
    ledger::AccountId alice_account_ = 0;
    ledger::AccountId bob_account_ = 0;
};

json zero_balance_without_price() {
    return {{"grams", "0.000000"},
            {"locked_grams", "0.000000"},
            {"available_grams", "0.000000"},
            {"sell_price_per_gram", nullptr},
            {"value_kes", nullptr}};
}

TEST_F(Wallet, NewUserHasZeroGoldAndAnEmptyLedger) {
    const auto balance = get("/user/balance", alice_);
    EXPECT_EQ(balance.status, 200) << balance.raw;
    EXPECT_EQ(balance.body, zero_balance_without_price());

    ASSERT_EQ(request_json(app_,
                           "POST",
                           "/prices",
                           {{"buy_price_per_gram", "8500.00"}, {"sell_price_per_gram", "8123.45"}},
                           admin_)
                  .status,
              201);
    const auto priced = get("/user/balance", alice_);
    EXPECT_EQ(priced.body.value("sell_price_per_gram", json()), "8123.45") << priced.raw;
    EXPECT_EQ(priced.body.value("value_kes", json()), "0.00") << priced.raw;

    const auto ledger = get("/user/ledger", alice_);
    EXPECT_EQ(ledger.status, 200) << ledger.raw;
    EXPECT_EQ(ledger.body, json({{"items", json::array()}, {"next_before", nullptr}}));
}

TEST_F(Wallet, BalanceCountsPostedGoldLocksPendingSellsAndValuesHeldGramsAtTheSellPrice) {
    const json items = write_mixed_history_of_alice();

    // Held 1.5 + 1.0 = 2.5 g; 0.75 g locked by the sell in flight; the 0.3 g buy still in
    // flight and the voided 0.2 g buy are not the user's.
    json expected = {{"grams", "2.500000"},
                     {"locked_grams", "0.750000"},
                     {"available_grams", "1.750000"},
                     {"sell_price_per_gram", nullptr},
                     {"value_kes", nullptr}};
    EXPECT_EQ(get("/user/balance", alice_).body, expected) << "no price set yet";
    EXPECT_EQ(
        app_.query("SELECT (credits_posted - debits_posted) || '/' || debits_pending || '/' || "
                   "credits_pending FROM accounts WHERE id = " +
                   std::to_string(alice_account_)),
        "2500000/750000/300000")
        << "the figures are the account's own counters";

    ASSERT_EQ(request_json(app_,
                           "POST",
                           "/prices",
                           {{"buy_price_per_gram", "8500.00"}, {"sell_price_per_gram", "8123.45"}},
                           admin_)
                  .status,
              201);
    // 2.5 g × KES 8,123.45 = KES 20,308.625: down to 20,308.00 (cents would say 20,308.62, the
    // nearest shilling 20,309, and the 1.75 g available 14,216.00).
    expected["sell_price_per_gram"] = "8123.45";
    expected["value_kes"] = "20308.00";
    const auto balance = get("/user/balance", alice_);
    EXPECT_EQ(balance.status, 200) << balance.raw;
    EXPECT_EQ(balance.body, expected);
    EXPECT_EQ(get("/user/balance", bob_).body,
              json({{"grams", "0.000000"},
                    {"locked_grams", "0.000000"},
                    {"available_grams", "0.000000"},
                    {"sell_price_per_gram", "8123.45"},
                    {"value_kes", "0.00"}}))
        << "bob holds nothing of alice's";

    const auto ledger = get("/user/ledger", alice_);
    EXPECT_EQ(ledger.status, 200) << ledger.raw;
    EXPECT_EQ(ledger.body, json({{"items", items}, {"next_before", nullptr}}));
}

TEST_F(Wallet, LedgerPagesNewestFirstWithBeforeAcrossThreePages) {
    // Seven credits; the 3rd and 4th, and the 6th and 7th, share a created_at (one batch each),
    // so the transfer id must break ties for the cursor to lose nothing.
    std::vector<Expected> written;
    const auto credit = [&](std::int64_t micrograms) {
        return transfer(TransferType::single_phase,
                        pool_account_,
                        alice_account_,
                        micrograms,
                        "adjustment.credit");
    };
    const std::vector<std::vector<std::int64_t>> batches = {
        {100'000}, {200'000}, {300'000, 400'000}, {500'000}, {600'000, 700'000}};
    for (const auto& batch : batches) {
        std::vector<TransferRequest> transfers;
        for (const std::int64_t micrograms : batch) {
            transfers.push_back(credit(micrograms));
            written.push_back({transfers.back().id,
                               app_.clock().now(),
                               "adjustment.credit",
                               "credit",
                               format_grams(Micrograms{micrograms}),
                               "posted",
                               ""});
        }
        apply(transfers);
        tick();
    }
    apply({transfer(
        TransferType::single_phase, pool_account_, bob_account_, 50'000, "adjustment.credit")});
    std::sort(written.begin(), written.end(), [](const Expected& a, const Expected& b) {
        return a.at != b.at ? a.at > b.at : a.id > b.id;
    });

    json seen = json::array();
    std::string before;
    std::vector<std::size_t> page_sizes;
    for (int page = 0; page < 4; ++page) {
        const auto response =
            get("/user/ledger?limit=3" + (before.empty() ? "" : "&before=" + before), alice_);
        ASSERT_EQ(response.status, 200) << response.raw;
        page_sizes.push_back(response.body.at("items").size());
        for (const auto& item : response.body.at("items")) {
            seen.push_back(item);
        }
        if (response.body.at("next_before").is_null()) {
            break;
        }
        before = response.body.at("next_before").get<std::string>();
    }
    EXPECT_EQ(page_sizes, (std::vector<std::size_t>{3, 3, 1}));
    json expected = json::array();
    for (const auto& entry : written) {
        expected.push_back(entry_json(entry));
    }
    EXPECT_EQ(seen, expected) << "every entry once, newest first, none of bob's";
    EXPECT_EQ(get("/user/ledger", alice_).body.at("items"), expected)
        << "the default page holds all 7";
    EXPECT_EQ(get("/user/ledger?limit=7", alice_).body.at("items").size(), 7U);

    // A full last page still names a cursor; the page after it is empty and final.
    const auto full = get("/user/ledger?limit=7", alice_);
    ASSERT_TRUE(full.body.at("next_before").is_string()) << full.raw;
    const auto after_last = get(
        "/user/ledger?limit=7&before=" + full.body.at("next_before").get<std::string>(), alice_);
    EXPECT_EQ(after_last.body, json({{"items", json::array()}, {"next_before", nullptr}}));
}

TEST_F(Wallet, NobodySeesAnotherUsersEntriesEvenWithTheirCursor) {
    for (int i = 0; i < 3; ++i) {
        apply({transfer(TransferType::single_phase,
                        pool_account_,
                        alice_account_,
                        100'000,
                        "adjustment.credit")});
        tick();
    }
    const auto alice_page = get("/user/ledger?limit=1", alice_);
    ASSERT_EQ(alice_page.body.at("items").size(), 1U) << alice_page.raw;
    const std::string alice_cursor = alice_page.body.at("next_before");

    EXPECT_EQ(get("/user/ledger", bob_).body,
              json({{"items", json::array()}, {"next_before", nullptr}}));
    EXPECT_EQ(get("/user/ledger?before=" + alice_cursor, bob_).body.at("items"), json::array())
        << "alice's cursor gives bob nothing of hers";

    const auto own = transfer(
        TransferType::single_phase, pool_account_, bob_account_, 40'000, "adjustment.credit");
    apply({own});
    const auto bob_ledger = get("/user/ledger", bob_);
    ASSERT_EQ(bob_ledger.body.at("items").size(), 1U) << bob_ledger.raw;
    EXPECT_EQ(bob_ledger.body.at("items")[0].at("id"), own.id);
    EXPECT_EQ(get("/user/balance", bob_).body.at("grams"), "0.040000");
    EXPECT_EQ(get("/user/ledger", alice_).body.at("items").size(), 3U);
}

TEST_F(Wallet, RefusesWithoutASignInAndRefusesBadPageParameters) {
    for (const std::string path : {"/user/balance", "/user/ledger"}) {
        expect_error(get(path, ""), 401, "unauthorized", path + " without a token");
        expect_error(get(path, "not-a-token"), 401, "unauthorized", path + " with a garbage token");
    }
    for (const std::string query : {"limit=0",
                                    "limit=101",
                                    "limit=-1",
                                    "limit=abc",
                                    "limit=1.5",
                                    "limit=",
                                    "before=123",
                                    "before=abc",
                                    "before=-1_0b7c5a0e-1b9f-4c7e-8d3a-2f6e4b1c9a70",
                                    "before=1_not-a-uuid",
                                    "limit=0&before=garbage"}) {
        expect_error(get("/user/ledger?" + query, alice_), 400, "validation_failed", query);
    }
    for (const std::string query :
         {"limit=1", "limit=100", "before=1_0B7C5A0E-1B9F-4C7E-8D3A-2F6E4B1C9A70"}) {
        const auto accepted = get("/user/ledger?" + query, alice_);
        EXPECT_EQ(accepted.status, 200) << query << ": " << accepted.raw;
    }
}

}  // namespace
}  // namespace gw::test
