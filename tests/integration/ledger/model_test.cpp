// Proves the ledger against an in-memory model: thousands of random operations (top-ups,
// reservations, posts, voids, sell-backs single-phase and two-phase, expiry by moving the
// clock, retries and clashing ids) go through the batching LedgerWriter, and after each one the
// result code and every account's four counters must equal what the model predicts; the
// invariants and the pools view are checked every 100 operations and at the end.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "db/transaction.hpp"
#include "ledger/batch_writer.hpp"
#include "support/ledger_helpers.hpp"

namespace gw::ledger {
namespace {

using std::chrono::microseconds;
using std::chrono::seconds;
using test::kGram;
using R = TransferResult;

constexpr std::uint64_t kSeed = 20'260'505;
constexpr int kOperations = 3'000;
constexpr int kPools = 3;
constexpr int kUsers = 5;

enum class Status { open, posted, voided };

struct ModelPending {
    AccountId debit = 0;
    AccountId credit = 0;
    std::int64_t amount = 0;
    std::optional<TimePoint> timeout;
    Status status = Status::open;
};

struct PoolFigures {
    std::int64_t total = 0;
    std::int64_t available = 0;
    std::int64_t reserved = 0;
    std::int64_t held = 0;
    std::int64_t selling = 0;
    friend bool operator==(const PoolFigures&, const PoolFigures&) = default;
};

std::ostream& operator<<(std::ostream& out, const PoolFigures& f) {
    return out << "{total " << f.total << ", available " << f.available << ", reserved "
               << f.reserved << ", held " << f.held << ", selling " << f.selling << "}";
}

class LedgerModelTest : public ::testing::Test {
protected:
    void SetUp() override {
        pool_ = test::make_ledger_pool(4);
        const TimePoint now = clock_.now();
        db::with_transaction(*pool_, "test.setup", [&](pqxx::work& tx) {
            vault_ = test::ensure_vault(tx, now);
            model_[vault_] = {};
            for (int p = 0; p < kPools; ++p) {
                pool_ids_.push_back(ids_.next());
                pools_.push_back(test::create_gold_pool(
                    tx, pool_ids_.back(), "Bar " + std::to_string(p), vault_, 0, "", now));
                model_[pools_.back()] = {};
                no_overdraft_.insert(pools_.back());
                inflow_.push_back(0);
            }
            for (int u = 0; u < kUsers; ++u) {
                const std::string user_id = ids_.next();
                test::insert_user(tx, user_id, "user" + std::to_string(u), now);
                shares_.emplace_back();
                for (int p = 0; p < kPools; ++p) {
                    shares_.back().push_back(test::ensure_user_share(
                        tx, user_id, pool_ids_[static_cast<std::size_t>(p)], now));
                    model_[shares_.back().back()] = {};
                    no_overdraft_.insert(shares_.back().back());
                }
            }
        });
    }

    // ---- the model ----

    // The expected result of a new transfer (one whose id is unused); applies it when ok.
    TransferResult expect(const TransferRequest& request) {
        const TimePoint now = clock_.now();
        if (request.type == TransferType::single_phase || request.type == TransferType::pending) {
            AccountBalance& debit = model_.at(request.debit_account);
            AccountBalance& credit = model_.at(request.credit_account);
            if (no_overdraft_.count(request.debit_account) != 0 &&
                debit.debits_pending + debit.debits_posted + request.amount >
                    debit.credits_posted) {
                return R::exceeds_credits;
            }
            if (request.type == TransferType::single_phase) {
                debit.debits_posted += request.amount;
                credit.credits_posted += request.amount;
                single_phase_ids_.push_back(request.id);
                if (request.debit_account == vault_) {
                    inflow_[pool_index(request.credit_account)] += request.amount;
                }
            } else {
                debit.debits_pending += request.amount;
                credit.credits_pending += request.amount;
                pendings_[request.id] = ModelPending{request.debit_account,
                                                     request.credit_account,
                                                     request.amount,
                                                     request.timeout_at,
                                                     Status::open};
                pending_ids_.push_back(request.id);
            }
            return R::ok;
        }
        if (std::find(single_phase_ids_.begin(), single_phase_ids_.end(), request.pending_id) !=
            single_phase_ids_.end()) {
            return R::pending_transfer_not_pending;
        }
        const auto found = pendings_.find(request.pending_id);
        if (found == pendings_.end()) {
            return R::pending_transfer_not_found;
        }
        ModelPending& pending = found->second;
        if (pending.status == Status::posted) {
            return R::pending_transfer_already_posted;
        }
        if (pending.status == Status::voided) {
            return R::pending_transfer_already_voided;
        }
        if (request.amount != 0 && request.amount != pending.amount) {
            return R::pending_transfer_has_different_fields;
        }
        const bool posting = request.type == TransferType::post_pending;
        if (posting && pending.timeout && *pending.timeout <= now) {
            return R::pending_transfer_expired;
        }
        AccountBalance& debit = model_.at(pending.debit);
        AccountBalance& credit = model_.at(pending.credit);
        debit.debits_pending -= pending.amount;
        credit.credits_pending -= pending.amount;
        if (posting) {
            debit.debits_posted += pending.amount;
            credit.credits_posted += pending.amount;
        }
        pending.status = posting ? Status::posted : Status::voided;
        return R::ok;
    }

    std::size_t pool_index(AccountId account) const {
        for (std::size_t p = 0; p < pools_.size(); ++p) {
            if (pools_[p] == account) {
                return p;
            }
        }
        ADD_FAILURE() << "not a pool: " << account;
        return 0;
    }

    std::int64_t available(AccountId id) const {
        const AccountBalance& b = model_.at(id);
        return b.credits_posted - b.debits_posted - b.debits_pending;
    }

    PoolFigures expected_figures(std::size_t p) const {
        PoolFigures figures;
        figures.available = available(pools_[p]);
        figures.reserved = model_.at(pools_[p]).debits_pending;
        for (const auto& user : shares_) {
            figures.held += available(user[p]);
            figures.selling += model_.at(user[p]).debits_pending;
        }
        figures.total = figures.available + figures.reserved + figures.held + figures.selling;
        return figures;
    }

    // ---- random operations ----

    std::int64_t uniform(std::int64_t low, std::int64_t high) {
        return std::uniform_int_distribution<std::int64_t>(low, high)(random_);
    }
    template <typename T>
    const T& pick(const std::vector<T>& items) {
        return items[static_cast<std::size_t>(
            uniform(0, static_cast<std::int64_t>(items.size()) - 1))];
    }
    std::optional<TimePoint> random_timeout() {
        if (uniform(0, 9) < 3) {
            return std::nullopt;
        }
        return clock_.now() + seconds(uniform(1, 120)) + microseconds(uniform(0, 999'999));
    }
    // A pending transfer to resolve: mostly an open one, sometimes any.
    std::optional<std::string> pick_pending() {
        std::vector<std::string> open;
        for (const auto& [id, pending] : pendings_) {
            if (pending.status == Status::open) {
                open.push_back(id);
            }
        }
        if (!open.empty() && uniform(0, 9) < 8) {
            return pick(open);
        }
        if (pending_ids_.empty()) {
            return std::nullopt;
        }
        return pick(pending_ids_);
    }

    // Builds the next operation: what is submitted, what the model expects, and a description.
    struct Step {
        std::string what;
        TransferRequest request;
        TransferResult expected = R::ok;
    };

    Step next_step() {
        Step step;
        if (at_timeout_) {
            step.what =
                at_timeout_->second ? "post at its timeout" : "post 1 us before its timeout";
            step.request = test::post(ids_.next(), at_timeout_->first);
            at_timeout_.reset();
            step.expected = expect(step.request);
            if (step.expected == R::ok) {
                submitted_.push_back(step.request);
            }
            return step;
        }
        const std::int64_t dice = uniform(0, 99);
        const std::size_t p = static_cast<std::size_t>(uniform(0, kPools - 1));
        const std::size_t u = static_cast<std::size_t>(uniform(0, kUsers - 1));
        const AccountId share = shares_[u][p];
        if (dice < 8 || (dice < 30 && available(pools_[p]) == 0 && uniform(0, 1) == 0)) {
            step.what = "top-up";
            step.request = test::single_phase(
                ids_.next(), vault_, pools_[p], uniform(1, 5 * kGram), "pool.topup");
        } else if (dice < 33) {
            step.what = "reserve";
            step.request = test::pending(ids_.next(),
                                         pools_[p],
                                         share,
                                         uniform(1, 3 * kGram),
                                         random_timeout(),
                                         "buy.reserve");
        } else if (dice < 55) {
            const auto pending_id = pick_pending();
            if (!pending_id) {
                return next_step();
            }
            const bool posting = dice < 45;
            step.what = posting ? "post" : "void";
            step.request = posting ? test::post(ids_.next(), *pending_id)
                                   : test::void_pending(ids_.next(), *pending_id);
            const std::int64_t variant = uniform(0, 9);
            if (variant == 0) {
                step.what += " (different amount)";
                step.request.amount = pendings_.at(*pending_id).amount + uniform(1, 1000);
            } else if (variant < 4) {
                step.what += " (whole amount named)";
                step.request.amount = pendings_.at(*pending_id).amount;
                step.request.debit_account = pendings_.at(*pending_id).debit;
                step.request.credit_account = pendings_.at(*pending_id).credit;
            }
        } else if (dice < 63) {
            step.what = "sell back";
            step.request = test::single_phase(ids_.next(),
                                              share,
                                              pools_[p],
                                              uniform(1, available(share) + kGram / 2),
                                              "sell.settle");
        } else if (dice < 71) {
            step.what = "sell back, two-phase";
            step.request = test::pending(ids_.next(),
                                         share,
                                         pools_[p],
                                         uniform(1, available(share) + kGram / 2),
                                         random_timeout(),
                                         "sell.lock");
        } else if (dice < 80) {
            step.what = "clock";
            return step;  // handled by the caller: no transfer
        } else if (dice < 86 && !submitted_.empty()) {
            step.what = "retry";
            step.request = pick(submitted_);
            step.expected = R::exists;
            return step;
        } else if (dice < 90 && !submitted_.empty()) {
            step.what = "clashing id";
            step.request = pick(submitted_);
            step.request.kind = "test.clash";
            step.expected = R::exists_with_different_fields;
            return step;
        } else if (dice < 93 && !single_phase_ids_.empty()) {
            step.what = "post of a single-phase transfer";
            step.request = test::post(ids_.next(), pick(single_phase_ids_));
        } else if (dice < 95) {
            step.what = "post of an unknown transfer";
            step.request = test::post(ids_.next(), ids_.next());
        } else {
            step.what = "reserve, large";
            // Right at the pool's limit: one under, exactly, one over.
            step.request =
                test::pending(ids_.next(),
                              pools_[p],
                              share,
                              std::max<std::int64_t>(1, available(pools_[p]) + uniform(-1, 1)),
                              random_timeout(),
                              "buy.reserve");
        }
        step.expected = expect(step.request);
        if (step.expected == R::ok) {
            submitted_.push_back(step.request);
        }
        return step;
    }

    // Moves the clock: a random step, or exactly onto (or 1 µs before) the next open timeout,
    // whose pending transfer the next step then posts.
    std::string move_clock() {
        std::optional<std::pair<TimePoint, std::string>> next_timeout;
        for (const auto& [id, pending] : pendings_) {
            if (pending.status == Status::open && pending.timeout &&
                *pending.timeout > clock_.now() &&
                (!next_timeout || *pending.timeout < next_timeout->first)) {
                next_timeout = std::pair(*pending.timeout, id);
            }
        }
        const std::int64_t dice = uniform(0, 9);
        if (next_timeout && dice < 4) {
            const bool onto = dice % 2 == 0;
            clock_.set(next_timeout->first - microseconds(onto ? 0 : 1));
            at_timeout_ = {next_timeout->second, onto};
            return onto ? "clock onto a timeout" : "clock 1 us before a timeout";
        }
        clock_.advance(microseconds(uniform(0, 5'000'000)));
        return "clock forward";
    }

    // ---- the database side ----

    std::map<AccountId, AccountBalance> stored_balances() {
        return db::with_transaction(*pool_, "test.read", [](pqxx::work& tx) {
            std::map<AccountId, AccountBalance> balances;
            for (const auto& row : tx.exec("SELECT id, debits_pending, debits_posted, "
                                           "credits_pending, credits_posted FROM accounts")) {
                balances[row[0].as<AccountId>()] = AccountBalance{row[1].as<std::int64_t>(),
                                                                  row[2].as<std::int64_t>(),
                                                                  row[3].as<std::int64_t>(),
                                                                  row[4].as<std::int64_t>()};
            }
            return balances;
        });
    }

    PoolFigures stored_figures(std::size_t p) {
        return db::with_transaction(*pool_, "test.pools", [&](pqxx::work& tx) {
            const pqxx::row row = tx.exec_params1(
                "SELECT total_grams, available_grams, reserved_grams, held_grams, selling_grams "
                "FROM pools WHERE id = $1::uuid",
                pool_ids_[p]);
            return PoolFigures{row[0].as<std::int64_t>(),
                               row[1].as<std::int64_t>(),
                               row[2].as<std::int64_t>(),
                               row[3].as<std::int64_t>(),
                               row[4].as<std::int64_t>()};
        });
    }

    void expect_balances_match() {
        const auto stored = stored_balances();
        ASSERT_EQ(stored.size(), model_.size());
        for (const auto& [id, expected] : model_) {
            ASSERT_EQ(stored.at(id), expected) << "account " << id;
        }
    }

    void expect_sound() {
        ASSERT_EQ(test::invariant_report(*pool_), "");
        for (std::size_t p = 0; p < pools_.size(); ++p) {
            const PoolFigures expected = expected_figures(p);
            ASSERT_EQ(stored_figures(p), expected) << "pool " << p;
            ASSERT_EQ(expected.total, inflow_[p]) << "pool " << p;
        }
    }

    gw::ManualClock clock_{TimePoint(seconds(1'800'000'000))};
    std::mt19937_64 random_{kSeed};
    test::UuidSource ids_{kSeed};
    std::unique_ptr<db::ConnectionPool> pool_;
    AccountId vault_ = 0;
    std::vector<std::string> pool_ids_;
    std::vector<AccountId> pools_;
    std::vector<std::vector<AccountId>> shares_;  // [user][pool]
    std::set<AccountId> no_overdraft_;
    std::map<AccountId, AccountBalance> model_;
    std::vector<std::int64_t> inflow_;  // per pool: gold that came from the vault
    std::map<std::string, ModelPending> pendings_;
    std::vector<std::string> pending_ids_;
    std::vector<std::string> single_phase_ids_;
    std::vector<TransferRequest> submitted_;                  // applied transfers, to retry
    std::optional<std::pair<std::string, bool>> at_timeout_;  // pending id, clock exactly on it
};

TEST_F(LedgerModelTest, ThousandsOfRandomOperationsMatchTheModelAndKeepTheInvariants) {
    LedgerWriter writer(*pool_, clock_, WriterSettings{true, microseconds(50), 1024});
    std::map<std::string, std::map<TransferResult, int>> seen;  // what the run covered
    for (int i = 0; i < kOperations; ++i) {
        Step step = next_step();
        SCOPED_TRACE("seed " + std::to_string(kSeed) + ", operation " + std::to_string(i) + ": " +
                     step.what);
        if (step.what == "clock") {
            step.what = move_clock();
            ++seen[step.what][R::ok];
        } else {
            SubmissionResults results;
            ASSERT_NO_THROW(results = writer.submit(Submission{{step.request}, true}));
            ASSERT_EQ(results, SubmissionResults{step.expected});
            ++seen[step.what][step.expected];
            ASSERT_NO_FATAL_FAILURE(expect_balances_match());
        }
        if (i % 100 == 99) {
            ASSERT_NO_FATAL_FAILURE(expect_sound());
        }
    }
    ASSERT_NO_FATAL_FAILURE(expect_sound());

    // The run must have reached the interesting outcomes, or it proves little.
    EXPECT_GT(seen["reserve"][R::ok], 100);
    EXPECT_GT(seen["reserve"][R::exceeds_credits] + seen["reserve, large"][R::exceeds_credits], 10);
    EXPECT_GT(seen["post"][R::ok], 50);
    EXPECT_GT(seen["post"][R::pending_transfer_expired], 5);
    EXPECT_GT(seen["post"][R::pending_transfer_already_posted] +
                  seen["post"][R::pending_transfer_already_voided],
              5);
    EXPECT_GT(seen["void"][R::ok], 50);
    EXPECT_GT(seen["sell back"][R::ok], 20);
    EXPECT_GT(seen["sell back"][R::exceeds_credits], 5);
    EXPECT_GT(seen["sell back, two-phase"][R::ok], 20);
    EXPECT_GT(seen["retry"][R::exists], 20);
    EXPECT_GT(seen["clashing id"][R::exists_with_different_fields], 20);
    EXPECT_GT(seen["post (different amount)"][R::pending_transfer_has_different_fields], 5);
    EXPECT_GT(seen["post at its timeout"][R::pending_transfer_expired], 10);
    EXPECT_GT(seen["post 1 us before its timeout"][R::ok], 10);
    for (const auto& [what, results] : seen) {
        std::string line = "[ coverage ] " + what + ":";
        for (const auto& [result, count] : results) {
            line += " " + std::string(to_string(result)) + "=" + std::to_string(count);
        }
        std::printf("%s\n", line.c_str());
    }
}

}  // namespace
}  // namespace gw::ledger
