// Proves the pure transfer rules (apply_transfer) without a database: every TransferResult they
// can return is reached and asserted exactly, and a refused transfer changes neither an account
// nor a pending transfer.

#include "ledger/transfer.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <ostream>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "support/ledger_printers.hpp"

namespace gw::ledger {
namespace {

using std::chrono::microseconds;
using std::chrono::seconds;

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kGram = 1'000'000;

constexpr AccountId kVault = 1;      // flags 0: gold entering from outside, may go negative
constexpr AccountId kPool = 2;       // no overdraft, holds 300 g
constexpr AccountId kUser = 3;       // no overdraft, holds nothing
constexpr AccountId kKes = 4;        // a KES account, flags 0
constexpr AccountId kLiability = 5;  // credits must not exceed debits
constexpr AccountId kMissing = 99;

const TimePoint kNow = TimePoint(seconds(1'800'000'000));

std::string uuid(int n) {
    std::string digits = std::to_string(n);
    return "00000000-0000-4000-8000-" + std::string(12 - digits.size(), '0') + digits;
}

bool same_pending(const PendingTransfer& a, const PendingTransfer& b) {
    return a.debit_account == b.debit_account && a.credit_account == b.credit_account &&
           a.amount == b.amount && a.timeout_at == b.timeout_at && a.status == b.status;
}

class TransferRulesTest : public ::testing::Test {
protected:
    TransferRulesTest() {
        add_account(kVault, Asset::xau_ug, 0);
        add_account(kPool, Asset::xau_ug, kDebitsMustNotExceedCredits);
        add_account(kUser, Asset::xau_ug, kDebitsMustNotExceedCredits);
        add_account(kKes, Asset::kes_cent, 0);
        add_account(kLiability, Asset::xau_ug, kCreditsMustNotExceedDebits);
        accounts_[kVault].balance.debits_posted = 300 * kGram;
        accounts_[kPool].balance.credits_posted = 300 * kGram;
    }

    void add_account(AccountId id, Asset asset, std::uint32_t flags) {
        accounts_[id] = AccountState{id, asset, flags, {}};
    }

    static TransferRequest move(int id, AccountId debit, AccountId credit, std::int64_t amount) {
        TransferRequest request;
        request.id = uuid(id);
        request.debit_account = debit;
        request.credit_account = credit;
        request.amount = amount;
        request.kind = "test.move";
        return request;
    }

    static TransferRequest reserve(int id,
                                   AccountId debit,
                                   AccountId credit,
                                   std::int64_t amount,
                                   std::optional<TimePoint> timeout_at = std::nullopt) {
        TransferRequest request = move(id, debit, credit, amount);
        request.type = TransferType::pending;
        request.timeout_at = timeout_at;
        return request;
    }

    static TransferRequest resolve(int id, TransferType type, int pending) {
        TransferRequest request;
        request.id = uuid(id);
        request.type = type;
        request.pending_id = uuid(pending);
        request.kind = "test.resolve";
        return request;
    }

    static TransferRequest post(int id, int pending) {
        return resolve(id, TransferType::post_pending, pending);
    }
    static TransferRequest void_it(int id, int pending) {
        return resolve(id, TransferType::void_pending, pending);
    }

    TransferResult apply(const TransferRequest& request, TimePoint now = kNow) {
        return apply_transfer(request, accounts_, pendings_, now, resolved_);
    }

    // Applies a request that must be refused with `expected`, and checks nothing changed.
    void expect_refused(const TransferRequest& request,
                        TransferResult expected,
                        TimePoint now = kNow) {
        const AccountMap accounts_before = accounts_;
        const PendingMap pendings_before = pendings_;
        EXPECT_EQ(apply(request, now), expected);
        ASSERT_EQ(accounts_.size(), accounts_before.size());
        for (const auto& [id, before] : accounts_before) {
            const AccountState& after = accounts_.at(id);
            EXPECT_EQ(after.balance, before.balance) << "account " << id << " changed";
            EXPECT_EQ(after.flags, before.flags);
            EXPECT_EQ(after.asset, before.asset);
        }
        ASSERT_EQ(pendings_.size(), pendings_before.size()) << "a pending transfer was added";
        for (const auto& [id, before] : pendings_before) {
            EXPECT_TRUE(same_pending(pendings_.at(id), before)) << "pending " << id << " changed";
        }
    }

    const AccountBalance& balance(AccountId id) const { return accounts_.at(id).balance; }

    AccountMap accounts_;
    PendingMap pendings_;
    TransferRequest resolved_;
};

// ---- success paths ----

TEST_F(TransferRulesTest, SinglePhaseMovesPostedBalancesAtOnce) {
    ASSERT_EQ(apply(move(1, kPool, kUser, 2 * kGram)), TransferResult::ok);
    EXPECT_EQ(balance(kPool), (AccountBalance{0, 2 * kGram, 0, 300 * kGram}));
    EXPECT_EQ(balance(kUser), (AccountBalance{0, 0, 0, 2 * kGram}));
    EXPECT_TRUE(pendings_.empty());
}

TEST_F(TransferRulesTest, PendingReservesAndRemembersItself) {
    const TimePoint timeout = kNow + seconds(60);
    ASSERT_EQ(apply(reserve(1, kPool, kUser, 5 * kGram, timeout)), TransferResult::ok);
    EXPECT_EQ(balance(kPool), (AccountBalance{5 * kGram, 0, 0, 300 * kGram}));
    EXPECT_EQ(balance(kUser), (AccountBalance{0, 0, 5 * kGram, 0}));
    ASSERT_EQ(pendings_.count(uuid(1)), 1U);
    EXPECT_TRUE(
        same_pending(pendings_.at(uuid(1)),
                     PendingTransfer{kPool, kUser, 5 * kGram, timeout, PendingStatus::open}));
}

TEST_F(TransferRulesTest, PostWithTheWholeAmountSettlesAndFillsTheResolvedTransfer) {
    ASSERT_EQ(apply(reserve(1, kPool, kUser, 5 * kGram)), TransferResult::ok);
    TransferRequest settle = post(2, 1);
    settle.debit_account = kPool;
    settle.credit_account = kUser;
    settle.amount = 5 * kGram;
    ASSERT_EQ(apply(settle), TransferResult::ok);
    EXPECT_EQ(balance(kPool), (AccountBalance{0, 5 * kGram, 0, 300 * kGram}));
    EXPECT_EQ(balance(kUser), (AccountBalance{0, 0, 0, 5 * kGram}));
    EXPECT_EQ(pendings_.at(uuid(1)).status, PendingStatus::posted);
    EXPECT_EQ(resolved_.debit_account, kPool);
    EXPECT_EQ(resolved_.credit_account, kUser);
    EXPECT_EQ(resolved_.amount, 5 * kGram);
}

TEST_F(TransferRulesTest, PostWithAmountZeroAndNoAccountsMeansTheWholePendingAmount) {
    ASSERT_EQ(apply(reserve(1, kPool, kUser, 7)), TransferResult::ok);
    ASSERT_EQ(apply(post(2, 1)), TransferResult::ok);
    EXPECT_EQ(balance(kPool), (AccountBalance{0, 7, 0, 300 * kGram}));
    EXPECT_EQ(balance(kUser), (AccountBalance{0, 0, 0, 7}));
    EXPECT_EQ(resolved_.debit_account, kPool);
    EXPECT_EQ(resolved_.credit_account, kUser);
    EXPECT_EQ(resolved_.amount, 7);
    EXPECT_EQ(resolved_.type, TransferType::post_pending);
    EXPECT_EQ(resolved_.pending_id, uuid(1));
}

TEST_F(TransferRulesTest, VoidReleasesTheReservation) {
    ASSERT_EQ(apply(reserve(1, kPool, kUser, 5 * kGram)), TransferResult::ok);
    ASSERT_EQ(apply(void_it(2, 1)), TransferResult::ok);
    EXPECT_EQ(balance(kPool), (AccountBalance{0, 0, 0, 300 * kGram}));
    EXPECT_EQ(balance(kUser), (AccountBalance{}));
    EXPECT_EQ(pendings_.at(uuid(1)).status, PendingStatus::voided);
    EXPECT_EQ(resolved_.amount, 5 * kGram);
}

// ---- two-phase resolution refused ----

TEST_F(TransferRulesTest, PostWithADifferentAmountOrAccountIsRefused) {
    ASSERT_EQ(apply(reserve(1, kPool, kUser, 5 * kGram)), TransferResult::ok);
    TransferRequest partial = post(2, 1);
    partial.amount = 5 * kGram - 1;
    expect_refused(partial, TransferResult::pending_transfer_has_different_fields);
    TransferRequest more = post(2, 1);
    more.amount = 5 * kGram + 1;
    expect_refused(more, TransferResult::pending_transfer_has_different_fields);
    TransferRequest other_debit = post(2, 1);
    other_debit.debit_account = kVault;
    expect_refused(other_debit, TransferResult::pending_transfer_has_different_fields);
    TransferRequest other_credit = void_it(2, 1);
    other_credit.credit_account = kLiability;
    expect_refused(other_credit, TransferResult::pending_transfer_has_different_fields);
}

TEST_F(TransferRulesTest, PostTwiceIsAlreadyPosted) {
    ASSERT_EQ(apply(reserve(1, kPool, kUser, 5)), TransferResult::ok);
    ASSERT_EQ(apply(post(2, 1)), TransferResult::ok);
    expect_refused(post(3, 1), TransferResult::pending_transfer_already_posted);
}

TEST_F(TransferRulesTest, VoidTwiceIsAlreadyVoided) {
    ASSERT_EQ(apply(reserve(1, kPool, kUser, 5)), TransferResult::ok);
    ASSERT_EQ(apply(void_it(2, 1)), TransferResult::ok);
    expect_refused(void_it(3, 1), TransferResult::pending_transfer_already_voided);
}

TEST_F(TransferRulesTest, VoidAfterPostIsAlreadyPosted) {
    ASSERT_EQ(apply(reserve(1, kPool, kUser, 5)), TransferResult::ok);
    ASSERT_EQ(apply(post(2, 1)), TransferResult::ok);
    expect_refused(void_it(3, 1), TransferResult::pending_transfer_already_posted);
}

TEST_F(TransferRulesTest, PostAfterVoidIsAlreadyVoided) {
    ASSERT_EQ(apply(reserve(1, kPool, kUser, 5)), TransferResult::ok);
    ASSERT_EQ(apply(void_it(2, 1)), TransferResult::ok);
    expect_refused(post(3, 1), TransferResult::pending_transfer_already_voided);
}

TEST_F(TransferRulesTest, PostAtOrAfterTheTimeoutIsExpiredButVoidStillReleases) {
    const TimePoint timeout = kNow + seconds(30);
    ASSERT_EQ(apply(reserve(1, kPool, kUser, 5, timeout)), TransferResult::ok);
    expect_refused(post(2, 1), TransferResult::pending_transfer_expired, timeout);
    expect_refused(post(2, 1), TransferResult::pending_transfer_expired, timeout + seconds(1));
    ASSERT_EQ(apply(void_it(3, 1), timeout + seconds(1)), TransferResult::ok);
    EXPECT_EQ(balance(kPool), (AccountBalance{0, 0, 0, 300 * kGram}));
    EXPECT_EQ(balance(kUser), (AccountBalance{}));
}

TEST_F(TransferRulesTest, PostOneMicrosecondBeforeTheTimeoutSucceeds) {
    const TimePoint timeout = kNow + seconds(30);
    ASSERT_EQ(apply(reserve(1, kPool, kUser, 5, timeout)), TransferResult::ok);
    EXPECT_EQ(apply(post(2, 1), timeout - microseconds(1)), TransferResult::ok);
}

TEST_F(TransferRulesTest, PostOfAStoredNonPendingTransferIsNotPending) {
    pendings_[uuid(1)] = PendingTransfer{kPool, kUser, 5, std::nullopt, PendingStatus::not_pending};
    expect_refused(post(2, 1), TransferResult::pending_transfer_not_pending);
    expect_refused(void_it(2, 1), TransferResult::pending_transfer_not_pending);
}

TEST_F(TransferRulesTest, PostOfAnUnknownPendingIsNotFound) {
    expect_refused(post(2, 1), TransferResult::pending_transfer_not_found);
    expect_refused(void_it(2, 1), TransferResult::pending_transfer_not_found);
}

TEST_F(TransferRulesTest, PostOrVoidWithoutPendingIdIsRefused) {
    TransferRequest settle = post(2, 1);
    settle.pending_id.clear();
    expect_refused(settle, TransferResult::pending_id_required);
    TransferRequest release = void_it(2, 1);
    release.pending_id.clear();
    expect_refused(release, TransferResult::pending_id_required);
}

TEST_F(TransferRulesTest, PostWithNegativeAmountIsRefused) {
    ASSERT_EQ(apply(reserve(1, kPool, kUser, 5)), TransferResult::ok);
    TransferRequest settle = post(2, 1);
    settle.amount = -5;
    expect_refused(settle, TransferResult::amount_must_be_positive);
}

TEST_F(TransferRulesTest, PostOrVoidWithATimeoutIsRefused) {
    ASSERT_EQ(apply(reserve(1, kPool, kUser, 5)), TransferResult::ok);
    TransferRequest settle = post(2, 1);
    settle.timeout_at = kNow + seconds(5);
    expect_refused(settle, TransferResult::timeout_reserved_for_pending);
    TransferRequest release = void_it(2, 1);
    release.timeout_at = kNow + seconds(5);
    expect_refused(release, TransferResult::timeout_reserved_for_pending);
}

TEST_F(TransferRulesTest, PostWhoseAccountsVanishedIsAccountNotFound) {
    pendings_[uuid(1)] = PendingTransfer{kMissing, kUser, 5, std::nullopt, PendingStatus::open};
    expect_refused(post(2, 1), TransferResult::debit_account_not_found);
    pendings_[uuid(3)] = PendingTransfer{kPool, kMissing, 5, std::nullopt, PendingStatus::open};
    expect_refused(void_it(4, 3), TransferResult::credit_account_not_found);
}

// ---- shape ----

TEST_F(TransferRulesTest, SameDebitAndCreditAccountIsRefused) {
    expect_refused(move(1, kPool, kPool, 5), TransferResult::accounts_must_be_different);
    expect_refused(reserve(1, kUser, kUser, 5), TransferResult::accounts_must_be_different);
}

TEST_F(TransferRulesTest, AmountZeroOrNegativeIsRefused) {
    expect_refused(move(1, kPool, kUser, 0), TransferResult::amount_must_be_positive);
    expect_refused(move(1, kPool, kUser, -1), TransferResult::amount_must_be_positive);
    expect_refused(move(1, kPool, kUser, std::numeric_limits<std::int64_t>::min()),
                   TransferResult::amount_must_be_positive);
    expect_refused(reserve(1, kPool, kUser, 0), TransferResult::amount_must_be_positive);
    EXPECT_EQ(apply(move(1, kPool, kUser, 1)), TransferResult::ok);
}

TEST_F(TransferRulesTest, TimeoutOnASinglePhaseTransferIsRefused) {
    TransferRequest request = move(1, kPool, kUser, 5);
    request.timeout_at = kNow + seconds(60);
    expect_refused(request, TransferResult::timeout_reserved_for_pending);
}

TEST_F(TransferRulesTest, IdPendingIdAndTradeIdMustBeUuids) {
    TransferRequest no_id = move(1, kPool, kUser, 5);
    no_id.id.clear();
    expect_refused(no_id, TransferResult::id_must_be_uuid);
    TransferRequest short_id = move(1, kPool, kUser, 5);
    short_id.id.pop_back();
    expect_refused(short_id, TransferResult::id_must_be_uuid);
    TransferRequest not_hex = move(1, kPool, kUser, 5);
    not_hex.id[0] = 'g';
    expect_refused(not_hex, TransferResult::id_must_be_uuid);
    TransferRequest no_dashes = move(1, kPool, kUser, 5);
    no_dashes.id = "00000000000040008000000000000001";
    expect_refused(no_dashes, TransferResult::id_must_be_uuid);
    TransferRequest bad_trade = move(1, kPool, kUser, 5);
    bad_trade.trade_id = "trade-1";
    expect_refused(bad_trade, TransferResult::id_must_be_uuid);
    TransferRequest bad_pending = post(2, 1);
    bad_pending.pending_id = "pending-1";
    expect_refused(bad_pending, TransferResult::id_must_be_uuid);
    // The id is checked before anything else.
    TransferRequest bad_everything = move(1, kPool, kPool, 0);
    bad_everything.id = "x";
    bad_everything.kind.clear();
    expect_refused(bad_everything, TransferResult::id_must_be_uuid);
}

TEST_F(TransferRulesTest, KindMustHaveOneToSixtyFourCharacters) {
    TransferRequest empty = move(1, kPool, kUser, 5);
    empty.kind.clear();
    expect_refused(empty, TransferResult::kind_required);
    TransferRequest too_long = move(1, kPool, kUser, 5);
    too_long.kind = std::string(65, 'k');
    expect_refused(too_long, TransferResult::kind_required);
    TransferRequest longest = move(1, kPool, kUser, 5);
    longest.kind = std::string(64, 'k');
    EXPECT_EQ(apply(longest), TransferResult::ok);
}

TEST_F(TransferRulesTest, UnknownAccountsAreRefused) {
    expect_refused(move(1, kMissing, kUser, 5), TransferResult::debit_account_not_found);
    expect_refused(move(1, kPool, kMissing, 5), TransferResult::credit_account_not_found);
    expect_refused(reserve(1, kMissing, kMissing + 1, 5), TransferResult::debit_account_not_found);
}

TEST_F(TransferRulesTest, AssetsMustMatch) {
    expect_refused(move(1, kVault, kKes, 5), TransferResult::assets_must_match);
    expect_refused(reserve(1, kKes, kUser, 5), TransferResult::assets_must_match);
}

// ---- limits ----

TEST_F(TransferRulesTest, NoOverdraftAccountMayReserveExactlyItsBalanceButNotOneMore) {
    ASSERT_EQ(apply(reserve(1, kPool, kUser, 300 * kGram)), TransferResult::ok);
    expect_refused(reserve(2, kPool, kUser, 1), TransferResult::exceeds_credits);
    expect_refused(move(2, kPool, kUser, 1), TransferResult::exceeds_credits);
}

TEST_F(TransferRulesTest, NoOverdraftAccountRefusesBalancePlusOneAtOnce) {
    expect_refused(move(1, kPool, kUser, 300 * kGram + 1), TransferResult::exceeds_credits);
    expect_refused(reserve(1, kPool, kUser, 300 * kGram + 1), TransferResult::exceeds_credits);
    EXPECT_EQ(apply(move(1, kPool, kUser, 300 * kGram)), TransferResult::ok);
}

TEST_F(TransferRulesTest, PendingDebitsCountAgainstTheBalance) {
    ASSERT_EQ(apply(reserve(1, kPool, kUser, 200 * kGram)), TransferResult::ok);
    ASSERT_EQ(apply(move(2, kPool, kUser, 50 * kGram)), TransferResult::ok);
    expect_refused(move(3, kPool, kUser, 50 * kGram + 1), TransferResult::exceeds_credits);
    // Voiding the reservation gives the room back.
    ASSERT_EQ(apply(void_it(4, 1)), TransferResult::ok);
    EXPECT_EQ(apply(move(3, kPool, kUser, 50 * kGram + 1)), TransferResult::ok);
}

TEST_F(TransferRulesTest, PendingCreditsCannotBeSpent) {
    ASSERT_EQ(apply(reserve(1, kPool, kUser, 5)), TransferResult::ok);
    expect_refused(move(2, kUser, kPool, 1), TransferResult::exceeds_credits);
    ASSERT_EQ(apply(post(3, 1)), TransferResult::ok);
    EXPECT_EQ(apply(move(2, kUser, kPool, 5)), TransferResult::ok);
    expect_refused(move(4, kUser, kPool, 1), TransferResult::exceeds_credits);
}

TEST_F(TransferRulesTest, AccountWithoutFlagsMayGoNegative) {
    EXPECT_EQ(apply(move(1, kVault, kPool, 1'000 * kGram)), TransferResult::ok);
    EXPECT_EQ(balance(kVault).debits_posted, 1'300 * kGram);
}

TEST_F(TransferRulesTest, CreditsMustNotExceedDebitsOnFlaggedAccount) {
    // kLiability may take back at most what it gave out; the user holds plenty.
    ASSERT_EQ(apply(move(1, kPool, kUser, 100)), TransferResult::ok);
    ASSERT_EQ(apply(move(2, kLiability, kUser, 10)), TransferResult::ok);
    ASSERT_EQ(apply(move(3, kUser, kLiability, 4)), TransferResult::ok);
    expect_refused(reserve(4, kUser, kLiability, 7), TransferResult::exceeds_debits);
    ASSERT_EQ(apply(reserve(4, kUser, kLiability, 6)), TransferResult::ok);
    // Pending credits count: nothing more fits.
    expect_refused(move(5, kUser, kLiability, 1), TransferResult::exceeds_debits);
    expect_refused(move(5, kVault, kLiability, 1), TransferResult::exceeds_debits);
}

TEST_F(TransferRulesTest, ExceedsCreditsIsReportedBeforeExceedsDebits) {
    ASSERT_EQ(apply(move(1, kLiability, kVault, 10)), TransferResult::ok);
    expect_refused(move(2, kUser, kLiability, 11), TransferResult::exceeds_credits);
}

TEST_F(TransferRulesTest, CreditsPostedNearInt64MaxOverflows) {
    accounts_[kUser].balance.credits_posted = kMax - 5;
    accounts_[kVault].balance.debits_posted = 0;
    EXPECT_EQ(apply(move(1, kVault, kUser, 5)), TransferResult::ok);
    EXPECT_EQ(balance(kUser).credits_posted, kMax);
    expect_refused(move(2, kVault, kUser, 1), TransferResult::overflows);
    // A pending credit fits its own counter, but pending + posted credits do not.
    expect_refused(reserve(2, kVault, kUser, 1), TransferResult::overflows);
}

TEST_F(TransferRulesTest, DebitsPostedNearInt64MaxOverflows) {
    accounts_[kVault].balance.debits_posted = kMax - 1;
    expect_refused(move(1, kVault, kPool, 2), TransferResult::overflows);
    EXPECT_EQ(apply(move(1, kVault, kPool, 1)), TransferResult::ok);
    EXPECT_EQ(balance(kVault).debits_posted, kMax);
}

TEST_F(TransferRulesTest, PendingPlusPostedDebitsBeyondInt64MaxOverflows) {
    // Each counter fits, their sum does not.
    accounts_[kVault].balance.debits_posted = kMax;
    expect_refused(reserve(1, kVault, kPool, 1), TransferResult::overflows);
}

TEST_F(TransferRulesTest, AmountOfInt64MaxMovesWhenTheAccountsAllowIt) {
    accounts_[kVault].balance.debits_posted = 0;
    EXPECT_EQ(apply(move(1, kVault, kUser, kMax)), TransferResult::ok);
    EXPECT_EQ(balance(kUser).credits_posted, kMax);
    EXPECT_EQ(balance(kVault).debits_posted, kMax);
}

TEST(TransferResultTest, EveryResultHasItsOwnName) {
    std::set<std::string_view> names;
    for (int i = 0; i <= static_cast<int>(TransferResult::exceeds_debits); ++i) {
        names.insert(to_string(static_cast<TransferResult>(i)));
    }
    EXPECT_EQ(names.size(), static_cast<std::size_t>(TransferResult::exceeds_debits) + 1);
    EXPECT_EQ(to_string(TransferResult::exceeds_credits), "exceeds_credits");
    EXPECT_EQ(to_string(TransferResult::pending_transfer_has_different_fields),
              "pending_transfer_has_different_fields");
    EXPECT_TRUE(succeeded(TransferResult::ok));
    EXPECT_TRUE(succeeded(TransferResult::exists));
    EXPECT_FALSE(succeeded(TransferResult::exists_with_different_fields));
    EXPECT_FALSE(succeeded(TransferResult::linked_event_failed));
}

}  // namespace
}  // namespace gw::ledger
