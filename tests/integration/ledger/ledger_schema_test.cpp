// Proves what the ledger's schema (migrations/0003_ledger.sql) enforces and shows by itself:
// transfers cannot be updated, deleted or truncated; the CHECK constraints refuse a direct
// UPDATE that would overdraw a no-overdraft account; and the pools, user_balances and ledgers
// views stay consistent through reserve, post, void, sell-back and top-up.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "db/transaction.hpp"
#include "integration/ledger/ledger_fixture.hpp"
#include "support/ledger_helpers.hpp"

namespace gw::ledger {
namespace {

using test::kGram;
using R = TransferResult;

struct PoolView {
    std::int64_t total = 0;
    std::int64_t available = 0;
    std::int64_t reserved = 0;
    std::int64_t held = 0;
    std::int64_t selling = 0;
    friend bool operator==(const PoolView&, const PoolView&) = default;
};

std::ostream& operator<<(std::ostream& out, const PoolView& v) {
    return out << "{total " << v.total << ", available " << v.available << ", reserved "
               << v.reserved << ", held " << v.held << ", selling " << v.selling << "}";
}

struct UserView {
    std::int64_t grams = 0;
    std::int64_t locked = 0;
    std::int64_t available = 0;
    std::int64_t incoming = 0;
    friend bool operator==(const UserView&, const UserView&) = default;
};

std::ostream& operator<<(std::ostream& out, const UserView& v) {
    return out << "{grams " << v.grams << ", locked " << v.locked << ", available " << v.available
               << ", incoming " << v.incoming << "}";
}

class LedgerSchemaTest : public LedgerFixture {
protected:
    PoolView pool_view() {
        return db::with_transaction(*pool_, "test.pools", [&](pqxx::work& tx) {
            const pqxx::row row = tx.exec_params1(
                "SELECT total_grams, available_grams, reserved_grams, held_grams, selling_grams "
                "FROM pools WHERE id = $1::uuid",
                bar_id_);
            return PoolView{row[0].as<std::int64_t>(),
                            row[1].as<std::int64_t>(),
                            row[2].as<std::int64_t>(),
                            row[3].as<std::int64_t>(),
                            row[4].as<std::int64_t>()};
        });
    }

    UserView user_view(const std::string& user_id) {
        return db::with_transaction(*pool_, "test.users", [&](pqxx::work& tx) {
            const pqxx::row row = tx.exec_params1(
                "SELECT grams, locked_grams, available_grams, incoming_grams "
                "FROM user_balances WHERE user_id = $1::uuid",
                user_id);
            return UserView{row[0].as<std::int64_t>(),
                            row[1].as<std::int64_t>(),
                            row[2].as<std::int64_t>(),
                            row[3].as<std::int64_t>()};
        });
    }
};

// ---- what the database itself enforces ----

TEST_F(LedgerSchemaTest, TransfersCannotBeUpdatedDeletedOrTruncated) {
    const std::string id = ids_.next();
    ASSERT_EQ(apply_one(test::single_phase(id, bar_, alice_, kGram)), R::ok);
    const std::vector<std::string> tampering{
        "UPDATE transfers SET amount = amount + 1",
        "DELETE FROM transfers",
        "UPDATE transfers SET kind = 'forged' WHERE id = '" + id + "'",
        // CASCADE: tables that reference transfers (allocations) would otherwise refuse first.
        "TRUNCATE transfers CASCADE"};
    for (const std::string& sql : tampering) {
        try {
            db::with_transaction(*pool_, "test.tamper", [&](pqxx::work& tx) { tx.exec0(sql); });
            ADD_FAILURE() << sql << ": accepted";
        } catch (const pqxx::sql_error& error) {
            // Refused by the append-only trigger, not by some other rule.
            EXPECT_NE(std::string(error.what()).find("append-only"), std::string::npos)
                << sql << ": " << error.what();
        }
    }
    EXPECT_EQ(test::transfer_rows(*pool_), 2);
    EXPECT_EQ(balance(alice_), (AccountBalance{0, 0, 0, kGram}));
}

TEST_F(LedgerSchemaTest, CheckConstraintRefusesADirectUpdateThatOverdrawsAFlaggedAccount) {
    const auto update = [&](const std::string& set, AccountId id) {
        // Rolled back either way: only whether PostgreSQL accepts the row matters.
        db::PooledConnection connection = pool_->acquire();
        pqxx::work tx(*connection);
        tx.exec_params0("UPDATE accounts SET " + set + " WHERE id = $1", id);
    };
    EXPECT_NO_THROW(update("debits_posted = credits_posted", bar_));
    EXPECT_THROW(update("debits_posted = credits_posted + 1", bar_), pqxx::check_violation);
    EXPECT_NO_THROW(update("debits_pending = 4, debits_posted = credits_posted - 4", bar_));
    EXPECT_THROW(update("debits_pending = 5, debits_posted = credits_posted - 4", bar_),
                 pqxx::check_violation);
    EXPECT_THROW(update("credits_posted = 1", returns_), pqxx::check_violation);
    EXPECT_THROW(update("debits_pending = -1", vault_), pqxx::check_violation);
    // The vault has no flag: it may owe.
    EXPECT_NO_THROW(update("debits_posted = credits_posted + 1000", vault_));
    EXPECT_EQ(balance(bar_), kBarFunded);
}

// ---- the views ----

TEST_F(LedgerSchemaTest, PoolsViewStaysConsistentThroughReservePostVoidAndSellBack) {
    EXPECT_EQ(pool_view(), (PoolView{10 * kGram, 10 * kGram, 0, 0, 0}));
    const std::string alice_buy = ids_.next();
    const std::string bob_buy = ids_.next();
    ASSERT_EQ(apply_one(test::pending(alice_buy, bar_, alice_, 3 * kGram)), R::ok);
    ASSERT_EQ(apply_one(test::pending(bob_buy, bar_, bob_, 2 * kGram)), R::ok);
    EXPECT_EQ(pool_view(), (PoolView{10 * kGram, 5 * kGram, 5 * kGram, 0, 0}));
    ASSERT_EQ(apply_one(test::post(ids_.next(), alice_buy)), R::ok);
    EXPECT_EQ(pool_view(), (PoolView{10 * kGram, 5 * kGram, 2 * kGram, 3 * kGram, 0}));
    ASSERT_EQ(apply_one(test::void_pending(ids_.next(), bob_buy)), R::ok);
    EXPECT_EQ(pool_view(), (PoolView{10 * kGram, 7 * kGram, 0, 3 * kGram, 0}));

    // Alice sells 1 g back at once, then puts 1.5 g up for sale.
    ASSERT_EQ(apply_one(test::single_phase(ids_.next(), alice_, bar_, kGram)), R::ok);
    EXPECT_EQ(pool_view(), (PoolView{10 * kGram, 8 * kGram, 0, 2 * kGram, 0}));
    const std::string sell = ids_.next();
    ASSERT_EQ(apply_one(test::pending(sell, alice_, bar_, 1'500'000)), R::ok);
    EXPECT_EQ(pool_view(), (PoolView{10 * kGram, 8 * kGram, 0, 500'000, 1'500'000}));
    ASSERT_EQ(apply_one(test::post(ids_.next(), sell)), R::ok);
    EXPECT_EQ(pool_view(), (PoolView{10 * kGram, 9'500'000, 0, 500'000, 0}));

    // A top-up grows the total and the available gold alike.
    ASSERT_EQ(apply_one(test::single_phase(ids_.next(), vault_, bar_, 4 * kGram)), R::ok);
    EXPECT_EQ(pool_view(), (PoolView{14 * kGram, 13'500'000, 0, 500'000, 0}));
}

TEST_F(LedgerSchemaTest, UserBalancesAndLedgersShowGramsLockedGramsAndEntries) {
    const std::string trade = ids_.next();
    const std::string buy = ids_.next();
    TransferRequest reserve =
        test::pending(buy, bar_, alice_, 3 * kGram, std::nullopt, "buy.reserve");
    reserve.trade_id = trade;
    ASSERT_EQ(apply_one(reserve), R::ok);
    EXPECT_EQ(user_view(alice_id_), (UserView{0, 0, 0, 3 * kGram}));
    ASSERT_EQ(apply_one(test::post(ids_.next(), buy)), R::ok);
    EXPECT_EQ(user_view(alice_id_), (UserView{3 * kGram, 0, 3 * kGram, 0}));

    const std::string sell = ids_.next();
    ASSERT_EQ(apply_one(test::pending(sell, alice_, bar_, kGram, std::nullopt, "sell.lock")),
              R::ok);
    EXPECT_EQ(user_view(alice_id_), (UserView{3 * kGram, kGram, 2 * kGram, 0}));
    ASSERT_EQ(apply_one(test::void_pending(ids_.next(), sell)), R::ok);
    const std::string gift = ids_.next();
    ASSERT_EQ(apply_one(test::single_phase(gift, alice_, bob_, 500'000, "test.gift")), R::ok);
    EXPECT_EQ(user_view(alice_id_), (UserView{2'500'000, 0, 2'500'000, 0}));
    EXPECT_EQ(user_view(bob_id_), (UserView{500'000, 0, 500'000, 0}));

    db::with_transaction(*pool_, "test.ledgers", [&](pqxx::work& tx) {
        const pqxx::result rows = tx.exec_params(
            "SELECT transfer_id::text, pool_id::text, coalesce(trade_id::text, ''), kind, "
            "grams_delta, status FROM ledgers WHERE user_id = $1::uuid ORDER BY kind",
            alice_id_);
        ASSERT_EQ(rows.size(), 3U);
        const auto expect_row = [&](std::size_t i,
                                    const std::string& id,
                                    const std::string& trade_id,
                                    const std::string& kind,
                                    std::int64_t delta,
                                    const std::string& status) {
            EXPECT_EQ(rows[i][0].as<std::string>(), id);
            EXPECT_EQ(rows[i][1].as<std::string>(), bar_id_);
            EXPECT_EQ(rows[i][2].as<std::string>(), trade_id);
            EXPECT_EQ(rows[i][3].as<std::string>(), kind);
            EXPECT_EQ(rows[i][4].as<std::int64_t>(), delta);
            EXPECT_EQ(rows[i][5].as<std::string>(), status);
        };
        expect_row(0, buy, trade, "buy.reserve", 3 * kGram, "posted");
        expect_row(1, sell, "", "sell.lock", -kGram, "voided");
        expect_row(2, gift, "", "test.gift", -500'000, "posted");
        const pqxx::row bob = tx.exec_params1(
            "SELECT grams_delta, status FROM ledgers WHERE user_id = $1::uuid", bob_id_);
        EXPECT_EQ(bob[0].as<std::int64_t>(), 500'000);
        EXPECT_EQ(bob[1].as<std::string>(), "posted");
    });
    const std::string open = ids_.next();
    ASSERT_EQ(apply_one(test::pending(open, bar_, bob_, kGram)), R::ok);
    db::with_transaction(*pool_, "test.ledgers", [&](pqxx::work& tx) {
        EXPECT_EQ(
            tx.exec_params1("SELECT status FROM ledgers WHERE transfer_id = $1::uuid", open)[0]
                .as<std::string>(),
            "pending");
    });
}

}  // namespace
}  // namespace gw::ledger
