#pragma once

// The fixture of the ledger integration tests that work through apply_submissions: a fresh
// database with two users (Alice, Bob), a pool holding 10 g with a share for each, two KES
// accounts and a gold account whose credits must not exceed its debits. Every test ends with
// check_invariants finding nothing.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "db/transaction.hpp"
#include "ledger/batch_apply.hpp"
#include "support/ledger_helpers.hpp"

namespace gw::ledger {

class LedgerFixture : public ::testing::Test {
protected:
    void SetUp() override {
        pool_ = test::make_ledger_pool(4);
        const TimePoint now = clock_.now();
        db::with_transaction(*pool_, "test.setup", [&](pqxx::work& tx) {
            test::insert_user(tx, alice_id_, "alice", now);
            test::insert_user(tx, bob_id_, "bob", now);
            vault_ = test::ensure_vault(tx, now);
            bar_ = test::create_gold_pool(
                tx, bar_id_, "Bar 1", vault_, 10 * test::kGram, ids_.next(), now);
            alice_ = test::ensure_user_share(tx, alice_id_, bar_id_, now);
            bob_ = test::ensure_user_share(tx, bob_id_, bar_id_, now);
            paybill_ = ensure_account(tx, {"mpesa:paybill", Asset::kes_cent, 0, {}, {}}, now);
            customer_ = ensure_account(tx, {"customer:1:kes", Asset::kes_cent, 0, {}, {}}, now);
            returns_ = ensure_account(
                tx, {"test:returns", Asset::xau_ug, kCreditsMustNotExceedDebits, {}, {}}, now);
        });
    }

    void TearDown() override { EXPECT_EQ(test::invariant_report(*pool_), ""); }

    std::vector<SubmissionResults> apply(const std::vector<Submission>& batch) {
        std::vector<const Submission*> pointers;
        for (const Submission& submission : batch) {
            pointers.push_back(&submission);
        }
        return db::with_transaction(*pool_, "test.apply", [&](pqxx::work& tx) {
            return apply_submissions(tx, pointers, clock_.now());
        });
    }

    TransferResult apply_one(const TransferRequest& request) {
        return apply({Submission{{request}, true}}).at(0).at(0);
    }

    AccountBalance balance(AccountId id) { return test::balance_of(*pool_, id); }

    gw::ManualClock clock_{TimePoint(std::chrono::seconds(1'800'000'000))};
    test::UuidSource ids_;
    const std::string alice_id_ = ids_.next();
    const std::string bob_id_ = ids_.next();
    const std::string bar_id_ = ids_.next();
    std::unique_ptr<db::ConnectionPool> pool_;
    AccountId vault_ = 0;
    AccountId bar_ = 0;  // holds 10 g
    AccountId alice_ = 0;
    AccountId bob_ = 0;
    AccountId paybill_ = 0;   // KES
    AccountId customer_ = 0;  // KES
    AccountId returns_ = 0;   // gold, credits must not exceed debits
};

inline const AccountBalance kBarFunded{0, 0, 0, 10 * test::kGram};

}  // namespace gw::ledger
