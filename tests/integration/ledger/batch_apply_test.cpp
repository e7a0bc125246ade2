// Proves apply_submissions against a real PostgreSQL: every result code through the database,
// idempotent retries (and a different transfer under a taken id), atomic and non-atomic
// submissions sharing a batch, and pending transfers created and resolved inside one batch.
// Every test ends with check_invariants finding nothing.

#include "ledger/batch_apply.hpp"

#include <cctype>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/time_text.hpp"
#include "db/transaction.hpp"
#include "integration/ledger/ledger_fixture.hpp"
#include "support/ledger_helpers.hpp"

namespace gw::ledger {
namespace {

using std::chrono::microseconds;
using std::chrono::seconds;
using test::kGram;
using R = TransferResult;

class BatchApplyTest : public LedgerFixture {};

std::string upper_case(std::string text) {
    for (char& c : text) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return text;
}
// ---- success paths and what they store ----

TEST_F(BatchApplyTest, SinglePhaseIsStoredWithItsFieldsAndMovesBothBalances) {
    const std::string id = ids_.next();
    const std::string trade = ids_.next();
    TransferRequest request = test::single_phase(id, bar_, alice_, 2 * kGram, "buy.settle");
    request.trade_id = trade;
    ASSERT_EQ(apply_one(request), R::ok);

    db::with_transaction(*pool_, "test.read", [&](pqxx::work& tx) {
        const pqxx::row row = tx.exec_params1(
            "SELECT debit_account_id, credit_account_id, amount, flags, pending_id IS NULL, "
            "timeout_at IS NULL, trade_id::text, kind, created_at = $2::timestamptz "
            "FROM transfers WHERE id = $1::uuid",
            id,
            format_rfc3339(clock_.now()));
        EXPECT_EQ(row[0].as<AccountId>(), bar_);
        EXPECT_EQ(row[1].as<AccountId>(), alice_);
        EXPECT_EQ(row[2].as<std::int64_t>(), 2 * kGram);
        EXPECT_EQ(row[3].as<int>(), 0);
        EXPECT_TRUE(row[4].as<bool>());
        EXPECT_TRUE(row[5].as<bool>());
        EXPECT_EQ(row[6].as<std::string>(), trade);
        EXPECT_EQ(row[7].as<std::string>(), "buy.settle");
        EXPECT_TRUE(row[8].as<bool>());
    });
    EXPECT_EQ(balance(bar_), (AccountBalance{0, 2 * kGram, 0, 10 * kGram}));
    EXPECT_EQ(balance(alice_), (AccountBalance{0, 0, 0, 2 * kGram}));
}

TEST_F(BatchApplyTest, PostWithAmountZeroSettlesTheWholePendingAndStoresItResolved) {
    const std::string reserve_id = ids_.next();
    const std::string post_id = ids_.next();
    const TimePoint timeout = clock_.now() + seconds(60) + microseconds(123'457);
    ASSERT_EQ(apply_one(test::pending(reserve_id, bar_, alice_, 3 * kGram, timeout)), R::ok);
    EXPECT_EQ(balance(bar_), (AccountBalance{3 * kGram, 0, 0, 10 * kGram}));
    EXPECT_EQ(balance(alice_), (AccountBalance{0, 0, 3 * kGram, 0}));

    ASSERT_EQ(apply_one(test::post(post_id, reserve_id)), R::ok);
    EXPECT_EQ(balance(bar_), (AccountBalance{0, 3 * kGram, 0, 10 * kGram}));
    EXPECT_EQ(balance(alice_), (AccountBalance{0, 0, 0, 3 * kGram}));
    db::with_transaction(*pool_, "test.read", [&](pqxx::work& tx) {
        const pqxx::row reserve = tx.exec_params1(
            "SELECT flags, timeout_at = $2::timestamptz FROM transfers WHERE id = $1::uuid",
            reserve_id,
            format_rfc3339(timeout));
        EXPECT_EQ(reserve[0].as<int>(), 1);
        EXPECT_TRUE(reserve[1].as<bool>());
        const pqxx::row settle = tx.exec_params1(
            "SELECT debit_account_id, credit_account_id, amount, flags, pending_id::text "
            "FROM transfers WHERE id = $1::uuid",
            post_id);
        EXPECT_EQ(settle[0].as<AccountId>(), bar_);
        EXPECT_EQ(settle[1].as<AccountId>(), alice_);
        EXPECT_EQ(settle[2].as<std::int64_t>(), 3 * kGram);
        EXPECT_EQ(settle[3].as<int>(), 2);
        EXPECT_EQ(settle[4].as<std::string>(), reserve_id);
    });
}

TEST_F(BatchApplyTest, PostNamingTheWholeAmountAndAccountsSucceeds) {
    const std::string reserve_id = ids_.next();
    ASSERT_EQ(apply_one(test::pending(reserve_id, bar_, alice_, 3 * kGram)), R::ok);
    TransferRequest settle = test::post(ids_.next(), reserve_id);
    settle.debit_account = bar_;
    settle.credit_account = alice_;
    settle.amount = 3 * kGram;
    EXPECT_EQ(apply_one(settle), R::ok);
    EXPECT_EQ(balance(alice_), (AccountBalance{0, 0, 0, 3 * kGram}));
}

TEST_F(BatchApplyTest, VoidReleasesTheReservation) {
    const std::string reserve_id = ids_.next();
    ASSERT_EQ(apply_one(test::pending(reserve_id, bar_, alice_, 3 * kGram)), R::ok);
    ASSERT_EQ(apply_one(test::void_pending(ids_.next(), reserve_id)), R::ok);
    EXPECT_EQ(balance(bar_), kBarFunded);
    EXPECT_EQ(balance(alice_), AccountBalance{});
}

// ---- resolving a stored pending transfer a second time ----

TEST_F(BatchApplyTest, PostTwiceIsAlreadyPosted) {
    const std::string reserve_id = ids_.next();
    ASSERT_EQ(apply_one(test::pending(reserve_id, bar_, alice_, kGram)), R::ok);
    ASSERT_EQ(apply_one(test::post(ids_.next(), reserve_id)), R::ok);
    const std::string second = ids_.next();
    EXPECT_EQ(apply_one(test::post(second, reserve_id)), R::pending_transfer_already_posted);
    EXPECT_EQ(test::transfer_rows(*pool_, second), 0);
    EXPECT_EQ(balance(alice_), (AccountBalance{0, 0, 0, kGram}));
}

TEST_F(BatchApplyTest, VoidTwiceIsAlreadyVoided) {
    const std::string reserve_id = ids_.next();
    ASSERT_EQ(apply_one(test::pending(reserve_id, bar_, alice_, kGram)), R::ok);
    ASSERT_EQ(apply_one(test::void_pending(ids_.next(), reserve_id)), R::ok);
    const std::string second = ids_.next();
    EXPECT_EQ(apply_one(test::void_pending(second, reserve_id)),
              R::pending_transfer_already_voided);
    EXPECT_EQ(test::transfer_rows(*pool_, second), 0);
    EXPECT_EQ(balance(bar_), kBarFunded);
}

TEST_F(BatchApplyTest, VoidAfterPostIsAlreadyPosted) {
    const std::string reserve_id = ids_.next();
    ASSERT_EQ(apply_one(test::pending(reserve_id, bar_, alice_, kGram)), R::ok);
    ASSERT_EQ(apply_one(test::post(ids_.next(), reserve_id)), R::ok);
    EXPECT_EQ(apply_one(test::void_pending(ids_.next(), reserve_id)),
              R::pending_transfer_already_posted);
    EXPECT_EQ(balance(alice_), (AccountBalance{0, 0, 0, kGram}));
}

TEST_F(BatchApplyTest, PostAfterVoidIsAlreadyVoided) {
    const std::string reserve_id = ids_.next();
    ASSERT_EQ(apply_one(test::pending(reserve_id, bar_, alice_, kGram)), R::ok);
    ASSERT_EQ(apply_one(test::void_pending(ids_.next(), reserve_id)), R::ok);
    EXPECT_EQ(apply_one(test::post(ids_.next(), reserve_id)), R::pending_transfer_already_voided);
    EXPECT_EQ(balance(alice_), AccountBalance{});
}

TEST_F(BatchApplyTest, PostAtTheStoredTimeoutIsExpiredToTheMicrosecondButVoidReleases) {
    const TimePoint timeout = clock_.now() + seconds(90) + microseconds(123'457);
    const std::string early = ids_.next();
    const std::string late = ids_.next();
    ASSERT_EQ(apply_one(test::pending(early, bar_, alice_, kGram, timeout)), R::ok);
    ASSERT_EQ(apply_one(test::pending(late, bar_, bob_, 2 * kGram, timeout)), R::ok);

    clock_.set(timeout - microseconds(1));
    EXPECT_EQ(apply_one(test::post(ids_.next(), early)), R::ok);
    clock_.set(timeout);
    const std::string refused = ids_.next();
    EXPECT_EQ(apply_one(test::post(refused, late)), R::pending_transfer_expired);
    EXPECT_EQ(test::transfer_rows(*pool_, refused), 0);
    EXPECT_EQ(balance(bob_), (AccountBalance{0, 0, 2 * kGram, 0}));
    EXPECT_EQ(apply_one(test::void_pending(ids_.next(), late)), R::ok);
    EXPECT_EQ(balance(bob_), AccountBalance{});
    EXPECT_EQ(balance(bar_), (AccountBalance{0, kGram, 0, 10 * kGram}));
}

TEST_F(BatchApplyTest, ResolvingAStoredSinglePhaseTransferIsNotPending) {
    const std::string move_id = ids_.next();
    ASSERT_EQ(apply_one(test::single_phase(move_id, bar_, alice_, kGram)), R::ok);
    EXPECT_EQ(apply_one(test::post(ids_.next(), move_id)), R::pending_transfer_not_pending);
    EXPECT_EQ(apply_one(test::void_pending(ids_.next(), move_id)), R::pending_transfer_not_pending);
}

TEST_F(BatchApplyTest, ResolvingWithADifferentAmountOrAccountIsRefused) {
    const std::string reserve_id = ids_.next();
    ASSERT_EQ(apply_one(test::pending(reserve_id, bar_, alice_, 3 * kGram)), R::ok);
    TransferRequest partial = test::post(ids_.next(), reserve_id);
    partial.amount = kGram;
    EXPECT_EQ(apply_one(partial), R::pending_transfer_has_different_fields);
    TransferRequest other_user = test::void_pending(ids_.next(), reserve_id);
    other_user.credit_account = bob_;
    EXPECT_EQ(apply_one(other_user), R::pending_transfer_has_different_fields);
    EXPECT_EQ(balance(alice_), (AccountBalance{0, 0, 3 * kGram, 0}));
}

// ---- refusals, one per transfer, in one non-atomic submission ----

TEST_F(BatchApplyTest, EachRefusalIsReportedPerTransferAndNothingOfItIsStored) {
    TransferRequest bad_id = test::single_phase("not-a-uuid", bar_, alice_, 1);
    TransferRequest no_kind = test::single_phase(ids_.next(), bar_, alice_, 1, "");
    TransferRequest zero = test::single_phase(ids_.next(), bar_, alice_, 0);
    TransferRequest to_itself = test::single_phase(ids_.next(), bar_, bar_, 1);
    TransferRequest timed = test::single_phase(ids_.next(), bar_, alice_, 1);
    timed.timeout_at = clock_.now() + seconds(5);
    TransferRequest no_pending = test::post(ids_.next(), "");
    TransferRequest no_debit = test::single_phase(ids_.next(), 999'999, alice_, 1);
    TransferRequest no_credit = test::single_phase(ids_.next(), bar_, 999'999, 1);
    TransferRequest mixed = test::single_phase(ids_.next(), paybill_, alice_, 1);
    TransferRequest unknown = test::post(ids_.next(), ids_.next());
    TransferRequest bad_pending = test::void_pending(ids_.next(), "pending-1");
    TransferRequest too_much = test::pending(ids_.next(), bar_, alice_, 10 * kGram + 1);
    TransferRequest returned = test::single_phase(ids_.next(), vault_, returns_, 1);
    TransferRequest good = test::pending(ids_.next(), bar_, alice_, 10 * kGram);
    const std::vector<TransferRequest> transfers{bad_id,
                                                 no_kind,
                                                 zero,
                                                 to_itself,
                                                 timed,
                                                 no_pending,
                                                 no_debit,
                                                 no_credit,
                                                 mixed,
                                                 unknown,
                                                 bad_pending,
                                                 too_much,
                                                 returned,
                                                 good};
    const auto results = apply({Submission{transfers, false}});
    EXPECT_EQ(results.at(0),
              (SubmissionResults{R::id_must_be_uuid,
                                 R::kind_required,
                                 R::amount_must_be_positive,
                                 R::accounts_must_be_different,
                                 R::timeout_reserved_for_pending,
                                 R::pending_id_required,
                                 R::debit_account_not_found,
                                 R::credit_account_not_found,
                                 R::assets_must_match,
                                 R::pending_transfer_not_found,
                                 R::id_must_be_uuid,
                                 R::exceeds_credits,
                                 R::exceeds_debits,
                                 R::ok}));
    // Only the good one and the pool's funding are stored.
    EXPECT_EQ(test::transfer_rows(*pool_), 2);
    EXPECT_EQ(test::transfer_rows(*pool_, good.id), 1);
    EXPECT_EQ(balance(returns_), AccountBalance{});
    EXPECT_EQ(balance(alice_), (AccountBalance{0, 0, 10 * kGram, 0}));
}

TEST_F(BatchApplyTest, CountersNearInt64MaxOverflowInsteadOfWrapping) {
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    ASSERT_EQ(apply_one(test::single_phase(ids_.next(), paybill_, customer_, kMax)), R::ok);
    const std::string refused = ids_.next();
    EXPECT_EQ(apply_one(test::single_phase(refused, paybill_, customer_, 1)), R::overflows);
    EXPECT_EQ(apply_one(test::pending(ids_.next(), paybill_, customer_, 1)), R::overflows);
    EXPECT_EQ(test::transfer_rows(*pool_, refused), 0);
    EXPECT_EQ(balance(paybill_), (AccountBalance{0, kMax, 0, 0}));
    EXPECT_EQ(balance(customer_), (AccountBalance{0, 0, 0, kMax}));
}

// ---- idempotency ----

TEST_F(BatchApplyTest, RetryOfTheSameTransferIsExistsAndChangesNothing) {
    const std::string move_id = ids_.next();
    const std::string reserve_id = ids_.next();
    const std::string post_id = ids_.next();
    const TransferRequest move = test::single_phase(move_id, bar_, alice_, kGram);
    const TransferRequest reserve =
        test::pending(reserve_id, bar_, bob_, 2 * kGram, clock_.now() + seconds(30));
    const TransferRequest settle = test::post(post_id, reserve_id);
    ASSERT_EQ(apply_one(move), R::ok);
    ASSERT_EQ(apply_one(reserve), R::ok);
    ASSERT_EQ(apply_one(settle), R::ok);
    const AccountBalance bar_before = balance(bar_);

    EXPECT_EQ(apply_one(move), R::exists);
    EXPECT_EQ(apply_one(reserve), R::exists);
    EXPECT_EQ(apply_one(settle), R::exists);
    TransferRequest settle_in_full = settle;  // naming what amount 0 meant is the same transfer
    settle_in_full.debit_account = bar_;
    settle_in_full.credit_account = bob_;
    settle_in_full.amount = 2 * kGram;
    EXPECT_EQ(apply_one(settle_in_full), R::exists);
    // Even past the timeout, a retried post is the same post.
    clock_.advance(seconds(60));
    EXPECT_EQ(apply_one(settle), R::exists);

    EXPECT_EQ(test::transfer_rows(*pool_, move_id), 1);
    EXPECT_EQ(test::transfer_rows(*pool_, post_id), 1);
    EXPECT_EQ(test::transfer_rows(*pool_), 4);
    EXPECT_EQ(balance(bar_), bar_before);
    EXPECT_EQ(balance(alice_), (AccountBalance{0, 0, 0, kGram}));
    EXPECT_EQ(balance(bob_), (AccountBalance{0, 0, 0, 2 * kGram}));
}

TEST_F(BatchApplyTest, DifferentTransferUnderAnExistingIdIsExistsWithDifferentFields) {
    const std::string id = ids_.next();
    TransferRequest original = test::pending(id, bar_, alice_, kGram);
    original.trade_id = ids_.next();
    ASSERT_EQ(apply_one(original), R::ok);

    TransferRequest amount = original;
    amount.amount = kGram + 1;
    TransferRequest account = original;
    account.credit_account = bob_;
    TransferRequest kind = original;
    kind.kind = "test.other";
    TransferRequest type = original;
    type.type = TransferType::single_phase;
    TransferRequest trade = original;
    trade.trade_id = ids_.next();
    TransferRequest invalid = original;  // the id is taken, whatever else is wrong
    invalid.amount = 0;
    for (const TransferRequest& other : {amount, account, kind, type, trade, invalid}) {
        EXPECT_EQ(apply_one(other), R::exists_with_different_fields);
    }
    EXPECT_EQ(test::transfer_rows(*pool_, id), 1);
    EXPECT_EQ(balance(alice_), (AccountBalance{0, 0, kGram, 0}));
    EXPECT_EQ(balance(bob_), AccountBalance{});
}

// BUG (open): same_transfer() ignores timeout_at (and load_transfers does not read it), so a
// pending transfer retried with another timeout, or none, is reported as `exists`.
TEST_F(BatchApplyTest, PendingRetriedWithADifferentTimeoutIsExistsWithDifferentFields) {
    const std::string id = ids_.next();
    const TransferRequest original =
        test::pending(id, bar_, alice_, kGram, clock_.now() + seconds(60));
    ASSERT_EQ(apply_one(original), R::ok);
    TransferRequest later = original;
    later.timeout_at = clock_.now() + seconds(3600);
    EXPECT_EQ(apply_one(later), R::exists_with_different_fields);
    TransferRequest never = original;
    never.timeout_at.reset();
    EXPECT_EQ(apply_one(never), R::exists_with_different_fields);
}

// Regression (fixed in df9cce2): is_uuid accepts upper case but PostgreSQL hands ids back in
// lower case; compared as strings, a retried upper-case id went unrecognised, its INSERT hit the
// primary key and the whole batch (every other caller's transfers too) failed.
TEST_F(BatchApplyTest, RetryOfAnUpperCaseIdIsExistsAndDoesNotFailTheBatch) {
    const std::string id = upper_case(ids_.next());
    const TransferRequest reserve = test::pending(id, bar_, alice_, kGram);
    ASSERT_EQ(apply_one(reserve), R::ok);
    const std::string other = ids_.next();
    std::vector<SubmissionResults> results;
    ASSERT_NO_THROW(results =
                        apply({Submission{{reserve}, true},
                               Submission{{test::single_phase(other, bar_, bob_, 1)}, true}}));
    EXPECT_EQ(results.at(0).at(0), R::exists);
    EXPECT_EQ(results.at(1).at(0), R::ok);
    EXPECT_EQ(test::transfer_rows(*pool_), 3);
}

// Regression (same cause): a post naming its pending transfer's id in upper case does not find it.
TEST_F(BatchApplyTest, PostNamingThePendingIdInUpperCaseFindsIt) {
    const std::string reserve_id = ids_.next();
    ASSERT_EQ(apply_one(test::pending(reserve_id, bar_, alice_, kGram)), R::ok);
    EXPECT_EQ(apply_one(test::post(ids_.next(), upper_case(reserve_id))), R::ok);
}

// Regression (same cause): a retry carrying its trade id in upper case is taken for another
// transfer.
TEST_F(BatchApplyTest, RetryWithAnUpperCaseTradeIdIsExists) {
    TransferRequest reserve = test::pending(ids_.next(), bar_, alice_, kGram);
    reserve.trade_id = upper_case(ids_.next());
    ASSERT_EQ(apply_one(reserve), R::ok);
    EXPECT_EQ(apply_one(reserve), R::exists);
}

// ---- atomic and non-atomic submissions in one batch ----

TEST_F(BatchApplyTest, AtomicFailureStoresNothingOfItWhileANonAtomicNeighbourStoresItsGoodOnes) {
    // Atomic: reserve 6 g for Alice, then 6 g for Bob (only 4 g left): all or nothing.
    const Submission atomic{{test::pending(ids_.next(), bar_, alice_, 6 * kGram),
                             test::pending(ids_.next(), bar_, bob_, 6 * kGram)},
                            true};
    // Non-atomic, after it in the same batch: sees the 6 g given back.
    const Submission loose{{test::pending(ids_.next(), bar_, bob_, 7 * kGram),
                            test::pending(ids_.next(), bar_, alice_, 4 * kGram),
                            test::single_phase(ids_.next(), bar_, alice_, 3 * kGram)},
                           false};
    const auto results = apply({atomic, loose});
    EXPECT_EQ(results.at(0), (SubmissionResults{R::linked_event_failed, R::exceeds_credits}));
    EXPECT_EQ(results.at(1), (SubmissionResults{R::ok, R::exceeds_credits, R::ok}));
    EXPECT_EQ(test::transfer_rows(*pool_, atomic.transfers[0].id), 0);
    EXPECT_EQ(test::transfer_rows(*pool_, atomic.transfers[1].id), 0);
    EXPECT_EQ(test::transfer_rows(*pool_, loose.transfers[0].id), 1);
    EXPECT_EQ(test::transfer_rows(*pool_, loose.transfers[1].id), 0);
    EXPECT_EQ(test::transfer_rows(*pool_, loose.transfers[2].id), 1);
    EXPECT_EQ(balance(bar_), (AccountBalance{7 * kGram, 3 * kGram, 0, 10 * kGram}));
    EXPECT_EQ(balance(alice_), (AccountBalance{0, 0, 0, 3 * kGram}));
    EXPECT_EQ(balance(bob_), (AccountBalance{0, 0, 7 * kGram, 0}));
}

TEST_F(BatchApplyTest, AtomicFailureUndoesItsPostsAndPendingsForTheRestOfTheBatch) {
    const std::string stored = ids_.next();
    ASSERT_EQ(apply_one(test::pending(stored, bar_, alice_, 2 * kGram)), R::ok);
    const std::string created = ids_.next();
    // Posts the stored pending, creates another, then fails: none of it happened.
    const Submission atomic{{test::post(ids_.next(), stored),
                             test::pending(created, bar_, bob_, kGram),
                             test::single_phase(ids_.next(), alice_, bob_, 5 * kGram)},
                            true};
    const std::string void_id = ids_.next();
    const Submission later{{test::void_pending(void_id, stored),
                            test::post(ids_.next(), created),
                            test::single_phase(created, bar_, bob_, 8 * kGram)},
                           false};
    const auto results = apply({atomic, later});
    EXPECT_EQ(
        results.at(0),
        (SubmissionResults{R::linked_event_failed, R::linked_event_failed, R::exceeds_credits}));
    // The stored pending is still open, the created one never existed and its id is free.
    EXPECT_EQ(results.at(1), (SubmissionResults{R::ok, R::pending_transfer_not_found, R::ok}));
    EXPECT_EQ(balance(bar_), (AccountBalance{0, 8 * kGram, 0, 10 * kGram}));
    EXPECT_EQ(balance(alice_), AccountBalance{});
    EXPECT_EQ(balance(bob_), (AccountBalance{0, 0, 0, 8 * kGram}));
    EXPECT_EQ(test::transfer_rows(*pool_), 4);  // funding, stored pending, its void, the move
}

TEST_F(BatchApplyTest, MalformedIdsAreRefusedOneByOneWithoutFailingTheBatch) {
    const std::string good = ids_.next();
    const auto results =
        apply({Submission{{test::single_phase("1234", bar_, alice_, kGram)}, true},
               Submission{{test::post(ids_.next(), "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz")}, true},
               Submission{{test::single_phase(good, bar_, alice_, kGram)}, true}});
    EXPECT_EQ(results.at(0).at(0), R::id_must_be_uuid);
    EXPECT_EQ(results.at(1).at(0), R::id_must_be_uuid);
    EXPECT_EQ(results.at(2).at(0), R::ok);
    EXPECT_EQ(test::transfer_rows(*pool_, good), 1);
}

// ---- two-phase and duplicates inside one batch ----

TEST_F(BatchApplyTest, PendingCreatedAndResolvedInTheSameBatch) {
    const std::string first = ids_.next();
    const std::string second = ids_.next();
    const std::string third = ids_.next();
    const auto results = apply(
        {Submission{{test::pending(first, bar_, alice_, 2 * kGram), test::post(ids_.next(), first)},
                    true},
         Submission{{test::pending(second, bar_, bob_, 3 * kGram)}, true},
         Submission{{test::void_pending(ids_.next(), second)}, true},
         Submission{{test::pending(third, bar_, bob_, kGram)}, true},
         Submission{{test::post(ids_.next(), third)}, true},
         Submission{{test::void_pending(ids_.next(), third)}, true}});
    EXPECT_EQ(results,
              (std::vector<SubmissionResults>{{R::ok, R::ok},
                                              {R::ok},
                                              {R::ok},
                                              {R::ok},
                                              {R::ok},
                                              {R::pending_transfer_already_posted}}));
    EXPECT_EQ(balance(bar_), (AccountBalance{0, 3 * kGram, 0, 10 * kGram}));
    EXPECT_EQ(balance(alice_), (AccountBalance{0, 0, 0, 2 * kGram}));
    EXPECT_EQ(balance(bob_), (AccountBalance{0, 0, 0, kGram}));
    EXPECT_EQ(test::transfer_rows(*pool_), 7);
}

TEST_F(BatchApplyTest, DuplicateIdsInOneBatchAreExistsOrExistsWithDifferentFields) {
    const std::string same = ids_.next();
    const std::string clash = ids_.next();
    const auto results = apply({Submission{{test::single_phase(same, bar_, alice_, kGram)}, true},
                                Submission{{test::single_phase(same, bar_, alice_, kGram)}, true},
                                Submission{{test::pending(clash, bar_, bob_, kGram)}, true},
                                Submission{{test::pending(clash, bar_, bob_, 2 * kGram)}, true}});
    EXPECT_EQ(results,
              (std::vector<SubmissionResults>{
                  {R::ok}, {R::exists}, {R::ok}, {R::exists_with_different_fields}}));
    EXPECT_EQ(test::transfer_rows(*pool_, same), 1);
    EXPECT_EQ(test::transfer_rows(*pool_, clash), 1);
    EXPECT_EQ(balance(alice_), (AccountBalance{0, 0, 0, kGram}));
    EXPECT_EQ(balance(bob_), (AccountBalance{0, 0, kGram, 0}));
}

}  // namespace
}  // namespace gw::ledger
