// Scale-out (issue 10, item 5): two `goldwallet serve` processes on one PostgreSQL database, as
// behind a load balancer (tests/support/serve_cluster.hpp: shared DATABASE_URL and keys, a
// data directory and port per node, callbacks back to the node that sent the request). It
// proves that a burst of buys split across the nodes never allocates more gold than the pool
// holds; that the outbox sends each STK Push and each B2C payment exactly once, whichever
// node's workers claim it; that a payment's callback is settled by whichever node it reaches;
// that the daily reconciliation runs on exactly one node and no two runs ever overlap; and that
// a node killed with SIGKILL mid-burst loses nothing it committed: the other node sends its
// pushes, and a client retrying its unanswered request there (same Idempotency-Key) gets the
// same trade, never a second one, also when the node died between a buy's commit and its
// answer (crash point buy.reserved). Every claim is checked in the shared database and at the
// simulator, after polls with deadlines.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <latch>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <unistd.h>

#include "binaries.hpp"
#include "support/serve_cluster.hpp"
#include "support/sim_fixture.hpp"
#include "trading/trade.hpp"

namespace gw {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kNodeA = 0;
constexpr std::size_t kNodeB = 1;
constexpr auto kSettleTimeout = std::chrono::seconds(30);

// Sorted copy, for comparing sets of ids with a readable failure message.
std::vector<std::string> sorted(std::vector<std::string> values) {
    std::sort(values.begin(), values.end());
    return values;
}

class ScaleOut : public ::testing::Test {
protected:
    // Creates the shared database and the staff account, then starts one node per entry of
    // `nodes` at the same time. Use with ASSERT_NO_FATAL_FAILURE.
    void start_cluster(const std::vector<test::ServeNodeOptions>& nodes,
                       const std::string& payout_mode) {
        const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        cluster_ = std::make_unique<test::ServeCluster>(test::ServeClusterOptions{
            .binary = test::kGoldwalletBinary,
            .dir = fs::temp_directory_path() /
                   ("gw-scale-out-" + std::to_string(getpid()) + "-" + name),
            .mpesa_base_url = sim_.base_url(),
            .security_credential = sim_.simulator().security_credential(),
            .payout_mode = payout_mode});
        ASSERT_TRUE(cluster_->create_staff());
        ASSERT_TRUE(cluster_->start(nodes));
        staff_ = cluster_->staff_token();
        ASSERT_FALSE(staff_.empty());
    }

    // One pool of `grams` and prices KES 8,500 (buy) / 8,000 (sell) per gram, set through node A.
    void open_market(const std::string& grams) {
        const auto pool =
            cluster_->request(kNodeA,
                              "POST",
                              "/pools",
                              {{"name", "Vault"}, {"total_grams", grams}, {"purity", "999.9"}},
                              staff_);
        ASSERT_EQ(pool.status, 201) << pool.raw;
        const auto prices =
            cluster_->request(kNodeA,
                              "POST",
                              "/prices",
                              {{"buy_price_per_gram", "8500"}, {"sell_price_per_gram", "8000"}},
                              staff_);
        ASSERT_EQ(prices.status, 201) << prices.raw;
    }

    // Waits until no trade is open and no outbox message is pending (every push, payout and
    // notification performed). Returns false when `kSettleTimeout` passes first.
    bool wait_until_settled() const {
        return test::poll_until(
            [&] {
                return cluster_->count(
                           "SELECT count(*) FROM trade_status "
                           "WHERE status NOT IN ('completed', 'failed')") == 0 &&
                       cluster_->count("SELECT count(*) FROM outbox WHERE status = 'pending'") == 0;
            },
            kSettleTimeout);
    }

    std::vector<sim::Transaction> sim_transactions(sim::TransactionKind kind) {
        std::vector<sim::Transaction> found;
        for (const sim::Transaction& transaction : sim_.simulator().transactions()) {
            if (transaction.kind == kind) {
                found.push_back(transaction);
            }
        }
        return found;
    }

    // Exactly one STK Push per buy reached the simulator, and it is the one our database
    // recorded: AccountReferences name exactly `trade_ids`, once each; CheckoutRequestIDs equal
    // the accepted ones stored; one done outbox message per trade.
    void expect_one_push_per_buy(const std::vector<std::string>& trade_ids) {
        std::map<std::string, int> pushes_by_reference;
        std::vector<std::string> checkout_ids;
        for (const sim::Transaction& push : sim_transactions(sim::TransactionKind::stk)) {
            ++pushes_by_reference[push.account_reference];
            checkout_ids.push_back(push.id);
        }
        EXPECT_EQ(checkout_ids.size(), trade_ids.size()) << "STK Pushes received by the simulator";
        for (const std::string& trade_id : trade_ids) {
            const auto found =
                pushes_by_reference.find(trading::payment_account_reference(trade_id));
            EXPECT_TRUE(found != pushes_by_reference.end() && found->second == 1)
                << "trade " << trade_id << " was not pushed exactly once";
        }
        // Daraja refuses a push while the customer has another prompt open (500.001.1001); the
        // worker retries it later. A refused request stored no CheckoutRequestID: nothing was
        // sent to the phone, so only accepted ones count.
        EXPECT_EQ(sorted(checkout_ids),
                  sorted(cluster_->column("SELECT checkout_request_id FROM mpesa_requests "
                                          "WHERE kind = 'stk_push' "
                                          "AND checkout_request_id IS NOT NULL")));
        EXPECT_EQ(
            cluster_->value(
                "SELECT string_agg(reference || ' ' || status || ' ' || coalesce(error_code, '-'), "
                "E'\\n') FROM mpesa_requests "
                "WHERE kind = 'stk_push' AND checkout_request_id IS NULL AND status <> 'rejected'"),
            "")
            << "requests Daraja did not accept must have been refused";
        EXPECT_EQ(
            cluster_->count(
                "SELECT count(DISTINCT reference) FROM mpesa_requests WHERE kind = 'stk_push'"),
            static_cast<std::int64_t>(trade_ids.size()));
        EXPECT_EQ(
            cluster_->count(
                "SELECT count(*) FROM outbox WHERE topic = 'mpesa.stk_push' AND status = 'done'"),
            static_cast<std::int64_t>(trade_ids.size()));
    }

    test::SimFixture sim_;
    std::unique_ptr<test::ServeCluster> cluster_;
    std::string staff_;
};

// 20 users each buy 0.1 g of a 1 g pool at the same moment, half through each node: exactly ten
// are served, the other ten refused with insufficient_gold, the pool's available gold is never
// seen below zero while they race, and each of the ten is pushed once and completes.
TEST_F(ScaleOut, BurstAcrossTwoNodesNeverOverAllocates) {
    ASSERT_NO_FATAL_FAILURE(start_cluster({{}, {}}, "manual"));
    ASSERT_NO_FATAL_FAILURE(open_market("1"));
    const std::vector<test::ClusterUser> users = cluster_->register_users("burst", 20, 11'000'000);
    ASSERT_EQ(users.size(), 20u);

    std::atomic<bool> racing{true};
    std::atomic<std::int64_t> lowest_available{INT64_MAX};
    std::thread sampler([&] {  // watches the pool while the buys race
        pqxx::connection connection(cluster_->database_url());
        while (racing.load()) {
            pqxx::work tx(connection);
            const auto available =
                tx.exec1("SELECT min(available_grams) FROM pools")[0].as<std::int64_t>();
            tx.commit();
            lowest_available.store(std::min(lowest_available.load(), available));
            std::this_thread::sleep_for(std::chrono::milliseconds(1));  // leave the CPU to the buys
        }
    });
    std::vector<test::JsonResponse> answers(users.size());
    std::latch go(static_cast<std::ptrdiff_t>(users.size()));
    std::vector<std::thread> buyers;
    for (std::size_t i = 0; i < users.size(); ++i) {
        buyers.emplace_back([&, i] {
            go.arrive_and_wait();
            answers[i] = cluster_->request(i % 2 == 0 ? kNodeA : kNodeB,
                                           "POST",
                                           "/trade/buy",
                                           {{"grams", "0.1"}, {"phone_for_stk", users[i].phone}},
                                           users[i].token,
                                           "burst-" + std::to_string(i));
        });
    }
    for (std::thread& buyer : buyers) {
        buyer.join();
    }
    racing.store(false);
    sampler.join();

    std::vector<std::string> trade_ids;
    for (const test::JsonResponse& answer : answers) {
        if (answer.status == 201) {
            trade_ids.push_back(answer.body.value("trade_id", ""));
        } else {
            EXPECT_EQ(answer.status, 409) << answer.raw;
            EXPECT_EQ(answer.body.value("code", ""), "insufficient_gold") << answer.raw;
        }
    }
    EXPECT_EQ(trade_ids.size(), 10u) << "1 g serves exactly ten buys of 0.1 g";
    EXPECT_GE(lowest_available.load(), 0);
    ASSERT_TRUE(wait_until_settled());
    EXPECT_EQ(sorted(trade_ids), sorted(cluster_->column("SELECT id FROM trades")));
    EXPECT_EQ(cluster_->count("SELECT count(*) FROM trade_status WHERE status = 'completed'"), 10);
    EXPECT_EQ(
        cluster_->value(
            "SELECT available_grams || ' ' || reserved_grams || ' ' || held_grams FROM pools"),
        "0 0 1000000");
    expect_one_push_per_buy(trade_ids);
    EXPECT_EQ(cluster_->invariant_violations(), "");
}

// Eight users sell twice each, once through each node at the same time, with B2C payouts: every
// sell completes, and the simulator saw exactly one B2C payment per payout, the one our database
// recorded (OriginatorConversationIDs equal), to the seller's number, for the payout's amount.
TEST_F(ScaleOut, EachB2cPayoutIsSentExactlyOnce) {
    ASSERT_NO_FATAL_FAILURE(start_cluster({{}, {}}, "b2c"));
    ASSERT_NO_FATAL_FAILURE(open_market("5"));
    const std::vector<test::ClusterUser> users = cluster_->register_users("seller", 8, 12'000'000);
    ASSERT_EQ(users.size(), 8u);
    for (std::size_t i = 0; i < users.size(); ++i) {
        const auto credited = cluster_->request(i % 2,
                                                "POST",
                                                "/admin/adjustments",
                                                {{"user_id", users[i].user_id},
                                                 {"grams", "0.3"},
                                                 {"direction", "credit"},
                                                 {"reason", "scale-out test"}},
                                                staff_,
                                                "credit-" + std::to_string(i));
        ASSERT_EQ(credited.status, 201) << credited.raw;
    }

    std::vector<test::JsonResponse> answers(users.size() * 2);
    std::latch go(static_cast<std::ptrdiff_t>(answers.size()));
    std::vector<std::thread> sellers;
    for (std::size_t i = 0; i < answers.size(); ++i) {
        sellers.emplace_back([&, i] {
            const test::ClusterUser& user = users[i / 2];
            go.arrive_and_wait();
            // Through A 0.1 g (KES 800), through B 0.12 g (KES 960).
            answers[i] = cluster_->request(
                i % 2,
                "POST",
                "/trade/sell",
                {{"grams", i % 2 == 0 ? "0.1" : "0.12"}, {"payout_phone", user.phone}},
                user.token,
                "sell-" + std::to_string(i));
        });
    }
    for (std::thread& seller : sellers) {
        seller.join();
    }
    std::vector<std::string> payout_ids;
    for (const test::JsonResponse& answer : answers) {
        ASSERT_EQ(answer.status, 201) << answer.raw;
        EXPECT_EQ(answer.body.value("payout_mode", ""), "b2c");
        payout_ids.push_back(answer.body.value("payout_id", ""));
    }
    ASSERT_TRUE(wait_until_settled());

    EXPECT_EQ(cluster_->count("SELECT count(*) FROM trade_status WHERE status = 'completed'"), 16);
    EXPECT_EQ(sorted(payout_ids),
              sorted(cluster_->column("SELECT id FROM payouts WHERE status = 'completed'")));
    const std::vector<sim::Transaction> payments = sim_transactions(sim::TransactionKind::b2c);
    std::vector<std::string> originator_ids;
    std::multiset<std::string> paid;  // "<msisdn> <KES>"
    for (const sim::Transaction& payment : payments) {
        originator_ids.push_back(payment.request_id);
        paid.insert(payment.msisdn + " " + std::to_string(payment.amount_kes));
    }
    EXPECT_EQ(payments.size(), 16u) << "B2C payments received by the simulator";
    EXPECT_EQ(sorted(originator_ids),
              sorted(cluster_->column("SELECT originator_conversation_id FROM mpesa_requests "
                                      "WHERE kind = 'b2c_payment'")));
    EXPECT_EQ(
        cluster_->count(
            "SELECT count(DISTINCT reference) FROM mpesa_requests WHERE kind = 'b2c_payment'"),
        16);
    for (const test::ClusterUser& user : users) {
        const std::string msisdn = "254" + user.phone.substr(1);
        EXPECT_EQ(paid.count(msisdn + " 800"), 1u) << user.username;
        EXPECT_EQ(paid.count(msisdn + " 960"), 1u) << user.username;
    }
    EXPECT_EQ(cluster_->count(
                  "SELECT count(*) FROM user_balances WHERE grams = 80000 AND locked_grams = 0"),
              8)
        << "0.3 g credited, 0.22 g sold";
    EXPECT_EQ(cluster_->invariant_violations(), "");
}

// Both nodes start together with GOLDWALLET_RECONCILE_AT=00:00 (always past), so each finds
// yesterday's reconciliation due at its first check: exactly one of them runs it. Checked by
// each node's job metrics (both checked; one did the run) and by the runs stored.
TEST_F(ScaleOut, DailyReconciliationRunsOnExactlyOneNode) {
    ASSERT_NO_FATAL_FAILURE(start_cluster({{}, {}}, "manual"));
    const std::string runs = R"(goldwallet_job_runs_total{job="reconciliation_daily"})";
    const std::string failures = R"(goldwallet_job_failures_total{job="reconciliation_daily"})";
    const std::string items = R"(goldwallet_job_items_total{job="reconciliation_daily"})";
    const bool both_checked = test::poll_until(
        [&] {
            return cluster_->metric(kNodeA, runs) + cluster_->metric(kNodeA, failures) >= 1 &&
                   cluster_->metric(kNodeB, runs) + cluster_->metric(kNodeB, failures) >= 1;
        },
        std::chrono::seconds(30));
    ASSERT_TRUE(both_checked) << cluster_->log_of(kNodeA) << cluster_->log_of(kNodeB);
    EXPECT_EQ(cluster_->metric(kNodeA, failures), 0);
    EXPECT_EQ(cluster_->metric(kNodeB, failures), 0);

    // One scheduled run per Nairobi day (a start straddling midnight may see two days).
    const std::int64_t scheduled =
        cluster_->count("SELECT count(*) FROM reconciliation_runs WHERE trigger = 'schedule'");
    EXPECT_GE(scheduled, 1);
    EXPECT_EQ(
        scheduled,
        cluster_->count(
            "SELECT count(DISTINCT day) FROM reconciliation_runs WHERE trigger = 'schedule'"));
    EXPECT_EQ(
        cluster_->count("SELECT count(*) FROM reconciliation_runs WHERE status <> 'completed'"), 0);
    EXPECT_EQ(cluster_->metric(kNodeA, items) + cluster_->metric(kNodeB, items), scheduled)
        << "the runs stored were made by one node between them";
    const std::string completed = R"(goldwallet_reconciliation_runs_total{status="completed"})";
    EXPECT_EQ(cluster_->metric(kNodeA, completed) + cluster_->metric(kNodeB, completed), scheduled);
}

// Admins start runs on both nodes at once: each request is run (201) or refused with
// reconciliation_running (409), at least one runs, every run answered is stored, and no two
// stored runs (the scheduled one included) overlap in time: the advisory lock spans nodes.
TEST_F(ScaleOut, ReconciliationRunsOnBothNodesNeverOverlap) {
    ASSERT_NO_FATAL_FAILURE(start_cluster({{}, {}}, "manual"));
    ASSERT_TRUE(test::poll_until(
        [&] {
            return cluster_->count(
                       "SELECT count(*) FROM reconciliation_runs WHERE trigger = 'schedule' "
                       "AND status <> 'running'") >= 1;
        },
        std::chrono::seconds(30)));
    std::vector<test::JsonResponse> answers(6);
    std::latch go(static_cast<std::ptrdiff_t>(answers.size()));
    std::vector<std::thread> admins;
    for (std::size_t i = 0; i < answers.size(); ++i) {
        admins.emplace_back([&, i] {
            go.arrive_and_wait();
            answers[i] = cluster_->request(
                i % 2, "POST", "/admin/reconciliation/run", nlohmann::json::object(), staff_);
        });
    }
    for (std::thread& admin : admins) {
        admin.join();
    }
    std::int64_t ran = 0;
    for (const test::JsonResponse& answer : answers) {
        if (answer.status == 201) {
            ++ran;
        } else {
            EXPECT_EQ(answer.status, 409) << answer.raw;
            EXPECT_EQ(answer.body.value("code", ""), "reconciliation_running") << answer.raw;
        }
    }
    EXPECT_GE(ran, 1);
    EXPECT_EQ(cluster_->count("SELECT count(*) FROM reconciliation_runs WHERE trigger = 'api'"),
              ran);
    EXPECT_EQ(cluster_->count("SELECT count(*) FROM reconciliation_runs WHERE status = 'running'"),
              0);
    EXPECT_EQ(cluster_->count("SELECT count(*) FROM ("
                              "  SELECT started_at, lag(finished_at) OVER (ORDER BY started_at, "
                              "finished_at) AS before_end"
                              "  FROM reconciliation_runs) r "
                              "WHERE r.before_end > r.started_at"),
              0)
        << "two runs overlapped";
}

// Node 1, the only sender, hands Daraja node 0's address as its callback URL, as every node
// behind a load balancer hands out the balancer's: each payment is sent by node 1 and reported
// to node 0, which settles it. A callback does not need the node that made the request.
TEST_F(ScaleOut, CallbacksAreSettledByWhicheverNodeTheyReach) {
    constexpr std::size_t kReceiver = 0;
    constexpr std::size_t kSender = 1;
    ASSERT_NO_FATAL_FAILURE(start_cluster({{.outbox_workers = 0}}, "manual"));
    ASSERT_TRUE(cluster_->start({{.outbox_workers = 2, .public_url = cluster_->url(kReceiver)}}));
    ASSERT_NO_FATAL_FAILURE(open_market("1"));
    const std::vector<test::ClusterUser> users = cluster_->register_users("payer", 4, 14'000'000);
    ASSERT_EQ(users.size(), 4u);
    std::vector<std::string> trade_ids;
    for (std::size_t i = 0; i < users.size(); ++i) {
        const auto placed = cluster_->request(i % 2,
                                              "POST",
                                              "/trade/buy",
                                              {{"grams", "0.1"}, {"phone_for_stk", users[i].phone}},
                                              users[i].token,
                                              "cb-" + std::to_string(i));
        ASSERT_EQ(placed.status, 201) << placed.raw;
        trade_ids.push_back(placed.body.value("trade_id", ""));
    }
    ASSERT_TRUE(wait_until_settled()) << cluster_->log_of(kSender);

    EXPECT_EQ(cluster_->count("SELECT count(*) FROM trade_status WHERE status = 'completed'"), 4);
    expect_one_push_per_buy(trade_ids);
    for (const sim::Transaction& push : sim_transactions(sim::TransactionKind::stk)) {
        EXPECT_EQ(push.callback_url.rfind(cluster_->url(kReceiver) + "/", 0), 0u)
            << push.callback_url;
    }
    EXPECT_EQ(cluster_->count("SELECT count(*) FROM webhook_outcomes WHERE outcome = 'applied'"),
              4);
    EXPECT_EQ(cluster_->invariant_violations(), "");
}

// Node A (no outbox workers: it only takes orders) is killed with SIGKILL right after it has
// served its fourth buy, while four clients keep buying through it and four through B. Each
// client whose request A left unanswered retries it on B with the same Idempotency-Key. Then
// the trades in the database are exactly those the clients were answered (none lost, none
// doubled), B's outbox pushed each exactly once, all completed, and the ledger holds.
TEST_F(ScaleOut, NodeKilledMidBurstLosesNothing) {
    // A without workers: a worker killed while holding a claim leaves its message to the lease
    // (120 s), longer than this test; see README "Running several nodes".
    ASSERT_NO_FATAL_FAILURE(
        start_cluster({{.outbox_workers = 0}, {.outbox_workers = 2}}, "manual"));
    ASSERT_NO_FATAL_FAILURE(open_market("10"));
    const std::vector<test::ClusterUser> users = cluster_->register_users("buyer", 8, 13'000'000);
    ASSERT_EQ(users.size(), 8u);

    struct Order {
        std::size_t user = 0;
        nlohmann::json body;
        std::string key;
    };
    std::mutex mutex;
    std::vector<std::string> answered;  // trade ids; guarded by mutex
    std::vector<Order> unanswered;      // guarded by mutex
    std::vector<std::string> refused;   // guarded by mutex
    std::atomic<int> served_by_a{0};
    std::once_flag killed;
    const auto client = [&](std::size_t user, std::size_t node, int buys) {
        for (int n = 0; n < buys; ++n) {
            // Distinct amounts per customer: the simulator refuses a repeat within 2 minutes (17).
            const Order order{
                user,
                {{"grams", "0.1" + std::to_string(n)}, {"phone_for_stk", users[user].phone}},
                "kill-" + std::to_string(user) + "-" + std::to_string(n)};
            const test::JsonResponse answer = cluster_->request(
                node, "POST", "/trade/buy", order.body, users[user].token, order.key);
            const std::lock_guard lock(mutex);
            if (answer.status == 0) {
                unanswered.push_back(order);
                return;  // this client's node is gone
            }
            if (answer.status != 201) {
                refused.push_back(answer.raw);
                return;
            }
            answered.push_back(answer.body.value("trade_id", ""));
            if (node == kNodeA && ++served_by_a == 4) {
                std::call_once(killed, [&] { cluster_->kill_node(kNodeA); });
            }
        }
    };
    std::vector<std::thread> clients;
    for (std::size_t user = 0; user < users.size(); ++user) {
        clients.emplace_back(client, user, user < 4 ? kNodeA : kNodeB, user < 4 ? 8 : 3);
    }
    for (std::thread& thread : clients) {
        thread.join();
    }
    EXPECT_EQ(refused, std::vector<std::string>{});
    EXPECT_EQ(unanswered.size(), 4u) << "each client of A was cut off once, mid-burst";

    std::int64_t replayed = 0;
    for (const Order& order : unanswered) {
        const auto retried = cluster_->request(
            kNodeB, "POST", "/trade/buy", order.body, users[order.user].token, order.key);
        ASSERT_EQ(retried.status, 201) << retried.raw;
        replayed += retried.headers.count("Idempotent-Replayed") > 0 ? 1 : 0;
        answered.push_back(retried.body.value("trade_id", ""));
    }
    RecordProperty("committed_by_a_but_unanswered", static_cast<int>(replayed));
    ASSERT_TRUE(wait_until_settled()) << cluster_->log_of(kNodeB);

    EXPECT_EQ(sorted(answered), sorted(cluster_->column("SELECT id FROM trades")))
        << "lost or doubled trades";
    EXPECT_EQ(cluster_->count("SELECT count(*) FROM trade_status WHERE status <> 'completed'"), 0);
    expect_one_push_per_buy(answered);
    EXPECT_EQ(
        cluster_->value(
            "SELECT reserved_grams || ' ' || held_grams || ' ' || available_grams + held_grams "
            "FROM pools"),
        "0 " + cluster_->value("SELECT sum(grams_ug) FROM trades") + " 10000000");
    EXPECT_EQ(cluster_->invariant_violations(), "");
}

// Node A is armed to kill itself (GOLDWALLET_CRASH_AT=buy.reserved) right after a buy commits
// and before it answers. Four clients buy through it at once: none gets an answer, and at least
// the buy that reached the crash point is committed. Each client retries on B with its
// Idempotency-Key: a committed buy is replayed (Idempotent-Replayed), the others are placed
// now. Either way there are exactly four trades, each pushed once by B and completed.
TEST_F(ScaleOut, BuyCommittedByADyingNodeIsReplayedNotRepeated) {
    ASSERT_NO_FATAL_FAILURE(start_cluster(
        {{.outbox_workers = 0, .crash_at = "buy.reserved"}, {.outbox_workers = 2}}, "manual"));
    ASSERT_NO_FATAL_FAILURE(open_market("1"));
    const std::vector<test::ClusterUser> users = cluster_->register_users("retry", 4, 15'000'000);
    ASSERT_EQ(users.size(), 4u);
    const auto order = [&](std::size_t i) {
        return nlohmann::json{{"grams", "0.1"}, {"phone_for_stk", users[i].phone}};
    };
    std::vector<test::JsonResponse> answers(users.size());
    std::latch go(static_cast<std::ptrdiff_t>(users.size()));
    std::vector<std::thread> clients;
    for (std::size_t i = 0; i < users.size(); ++i) {
        clients.emplace_back([&, i] {
            go.arrive_and_wait();
            answers[i] = cluster_->request(kNodeA,
                                           "POST",
                                           "/trade/buy",
                                           order(i),
                                           users[i].token,
                                           "retry-" + std::to_string(i));
        });
    }
    for (std::thread& client : clients) {
        client.join();
    }
    EXPECT_EQ(cluster_->wait_node_exit(kNodeA, std::chrono::seconds(20)), 128 + SIGKILL)
        << "A did not die at its crash point\n"
        << cluster_->log_of(kNodeA);
    for (const test::JsonResponse& answer : answers) {
        EXPECT_EQ(answer.status, 0) << "A answered a buy it should have died on: " << answer.raw;
    }
    EXPECT_GE(cluster_->count("SELECT count(*) FROM trades"), 1)
        << "the buy that met the crash point";

    std::vector<std::string> trade_ids;
    std::int64_t replayed = 0;
    for (std::size_t i = 0; i < users.size(); ++i) {
        const auto retried = cluster_->request(
            kNodeB, "POST", "/trade/buy", order(i), users[i].token, "retry-" + std::to_string(i));
        ASSERT_EQ(retried.status, 201) << retried.raw;
        replayed += retried.headers.count("Idempotent-Replayed") > 0 ? 1 : 0;
        trade_ids.push_back(retried.body.value("trade_id", ""));
    }
    // A buy still committing when A died may be replayed too, so "at least the one".
    EXPECT_GE(replayed, 1) << "the buy A committed is answered again, not placed twice";
    ASSERT_TRUE(wait_until_settled()) << cluster_->log_of(kNodeB);

    EXPECT_EQ(sorted(trade_ids), sorted(cluster_->column("SELECT id FROM trades")));
    EXPECT_EQ(cluster_->count("SELECT count(*) FROM trade_status WHERE status = 'completed'"), 4);
    expect_one_push_per_buy(trade_ids);
    EXPECT_EQ(cluster_->invariant_violations(), "");
}

}  // namespace
}  // namespace gw
