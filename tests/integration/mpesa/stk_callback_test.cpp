// Proves the STK Push path end to end over HTTP: the gateway stores the request before sending
// it, daraja-sim prompts the simulated customer and POSTs the result to the node's callback
// URL, and the intake settles the request exactly once — for success, cancellation, wrong PIN,
// duplicate and missing callbacks, with and without confirmation by STK Query — while every raw
// body and every exchange (secrets redacted) is kept.

#include <thread>

#include <gtest/gtest.h>

#include "db/transaction.hpp"
#include "mpesa/mpesa_gateway.hpp"
#include "mpesa_app_fixture.hpp"

namespace gw::test {
namespace {


TEST(StkCallback, APaidPromptSettlesOnceWithItsReceipt) {
    MpesaApp mpesa;
    const std::string id = mpesa.push(250, kTestMsisdn);
    EXPECT_EQ(mpesa.wait_for_status(id, "succeeded"), "succeeded");
    EXPECT_EQ(mpesa.column(id, "result_code"), "0");
    EXPECT_EQ(mpesa.column(id, "length(receipt)"), "10");
    EXPECT_EQ(mpesa.column(id, "amount_cents"), "25000");
    EXPECT_EQ(mpesa.column(id, "phone_masked"), "2547******49");
    EXPECT_EQ(mpesa.listener().calls.load(), 1);
    EXPECT_EQ(mpesa.listener().paid.load(), 1);
    EXPECT_EQ(mpesa.outcomes(id), std::vector<std::string>{"applied"});

    // The exchange log keeps the request with the Password redacted and no full phone number.
    RunningApp& app = mpesa.app();
    EXPECT_EQ(app.query("SELECT request->>'Password' FROM mpesa_exchanges WHERE operation = "
                        "'stk_push' AND mpesa_request_id = '" +
                        id + "'"),
              "[redacted]");
    EXPECT_EQ(app.query("SELECT count(*) FROM mpesa_exchanges WHERE request::text LIKE "
                        "'%708374149%' OR response_body LIKE '%access_token%'"),
              "0");
    // The callback token is a credential: only "[token]" is stored in its place.
    EXPECT_EQ(app.query("SELECT request->>'CallBackURL' FROM mpesa_exchanges WHERE operation = "
                        "'stk_push'"),
              app.query("SELECT 'http://127.0.0.1:' || " + std::to_string(app.port()) +
                        " || '/hooks/lnm/[token]'"));
    // The raw callback is kept byte for byte.
    EXPECT_EQ(app.query("SELECT count(*) FROM webhook_events WHERE kind = 'stk' AND "
                        "convert_from(body, 'UTF8') LIKE '%MpesaReceiptNumber%'"),
              "1");
}

TEST(StkCallback, CancelledAndWrongPinPromptsFailWithTheirCodes) {
    MpesaApp mpesa;
    ASSERT_TRUE(
        mpesa.sim().simulator().set_stk_scenario("254700000001", sim::StkScenario::cancelled));
    ASSERT_TRUE(
        mpesa.sim().simulator().set_stk_scenario("254700000002", sim::StkScenario::wrong_pin));
    ASSERT_TRUE(mpesa.sim().simulator().set_stk_scenario("254700000003",
                                                         sim::StkScenario::insufficient_funds));
    ASSERT_TRUE(
        mpesa.sim().simulator().set_stk_scenario("254700000004", sim::StkScenario::timeout));
    const std::string cancelled = mpesa.push(100, "254700000001");
    const std::string wrong_pin = mpesa.push(100, "254700000002");
    const std::string broke = mpesa.push(100, "254700000003");
    const std::string unreachable = mpesa.push(100, "254700000004");
    for (const auto& [id, code] : {std::pair{cancelled, "1032"},
                                   std::pair{wrong_pin, "2001"},
                                   std::pair{broke, "1"},
                                   std::pair{unreachable, "1037"}}) {
        EXPECT_EQ(mpesa.wait_for_status(id, "failed"), "failed") << code;
        EXPECT_EQ(mpesa.column(id, "result_code"), code);
        EXPECT_EQ(mpesa.column(id, "receipt"), "");
    }
    EXPECT_EQ(mpesa.listener().calls.load(), 4);
    EXPECT_EQ(mpesa.listener().paid.load(), 0);
}

TEST(StkCallback, ADuplicateCallbackChangesNothing) {
    MpesaApp mpesa;
    ASSERT_TRUE(
        mpesa.sim().simulator().set_stk_scenario(kTestMsisdn, sim::StkScenario::duplicate_callback));
    const std::string id = mpesa.push(300, kTestMsisdn);
    ASSERT_EQ(mpesa.wait_for_events(2), 2);
    EXPECT_EQ(mpesa.column(id, "status"), "succeeded");
    EXPECT_EQ(mpesa.outcomes(id), (std::vector<std::string>{"applied", "duplicate"}));
    EXPECT_EQ(mpesa.listener().calls.load(), 1);
}

TEST(StkCallback, WithoutACallbackTheRequestWaitsAndStkQueryKnowsTheAnswer) {
    MpesaApp mpesa;
    ASSERT_TRUE(mpesa.sim().simulator().set_stk_scenario(kTestMsisdn, sim::StkScenario::no_callback));
    const std::string id = mpesa.push(100, kTestMsisdn);
    EXPECT_EQ(mpesa.wait_for_status(id, "accepted"), "accepted");
    const auto request = mpesa.gateway().find(id);
    ASSERT_TRUE(request.has_value());
    // The prompt times out after the simulator's callback delay; until then it is pending.
    mpesa::StkQueryAnswer answer = mpesa.gateway().query_stk(*request);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int queries = 1;
    while (answer.state == mpesa::StkQueryState::pending &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        answer = mpesa.gateway().query_stk(*request);
        ++queries;
    }
    EXPECT_EQ(answer.state, mpesa::StkQueryState::failed);
    EXPECT_EQ(answer.result_code, "1037");
    EXPECT_EQ(mpesa.column(id, "status"), "accepted") << "a query alone settles nothing";
    EXPECT_EQ(mpesa.app().query("SELECT count(*) FROM mpesa_exchanges WHERE operation = "
                                "'stk_query' AND mpesa_request_id = '" +
                                id + "'"),
              std::to_string(queries));
    EXPECT_EQ(mpesa.listener().calls.load(), 0);
}

TEST(StkCallback, ConfirmationByStkQueryBacksTheCallback) {
    MpesaApp mpesa({.confirm_by_query = true, .allowlist = {}});
    const std::string id = mpesa.push(100, kTestMsisdn);
    EXPECT_EQ(mpesa.wait_for_status(id, "succeeded"), "succeeded");
    EXPECT_EQ(mpesa.outcomes(id), (std::vector<std::string>{"awaiting_confirmation", "applied"}))
        << "Daraja is answered before STK Query is asked";
    EXPECT_EQ(mpesa.app().query("SELECT detail FROM webhook_outcomes WHERE outcome = 'applied'"),
              "paid, from callback+stk_query");
    EXPECT_EQ(mpesa.app().query("SELECT count(*) FROM mpesa_exchanges WHERE operation = "
                                "'stk_query'"),
              "1");
}

TEST(StkCallback, ALateCallbackAfterTheAnswerIsKnownStillSettlesOnce) {
    MpesaApp mpesa;
    ASSERT_TRUE(mpesa.sim().simulator().set_stk_scenario(kTestMsisdn, sim::StkScenario::late_callback));
    const std::string id = mpesa.push(100, kTestMsisdn);
    const auto request = mpesa.gateway().find(id);
    ASSERT_TRUE(request.has_value());
    EXPECT_EQ(mpesa.gateway().query_stk(*request).state, mpesa::StkQueryState::succeeded);
    EXPECT_EQ(mpesa.wait_for_status(id, "succeeded"), "succeeded");
    EXPECT_EQ(mpesa.listener().calls.load(), 1);
}

TEST(StkCallback, ACallbackThatBeatsTheSubmissionAnswerIsDeferredThenApplied) {
    MpesaApp mpesa;
    const std::string id = mpesa.push_paid_before_answer(100, kTestMsisdn);
    ASSERT_EQ(mpesa.wait_for_events(1), 1);
    EXPECT_EQ(mpesa.outcomes(id, true), std::vector<std::string>{"deferred"});
    EXPECT_EQ(mpesa.column(id, "status"), "created");

    mpesa.app().query("UPDATE mpesa_requests SET status = 'accepted' WHERE id = '" + id +
                      "' RETURNING 1");
    mpesa.app().clock().advance(std::chrono::seconds(10));
    EXPECT_EQ(mpesa.app().application().callbacks().retry_pending(std::chrono::seconds(5), 10), 1u);
    EXPECT_EQ(mpesa.column(id, "status"), "succeeded");
    EXPECT_EQ(mpesa.outcomes(id, true), (std::vector<std::string>{"deferred", "applied"}));
    EXPECT_EQ(mpesa.app().application().callbacks().retry_pending(std::chrono::seconds(5), 10), 0u)
        << "an applied event is never processed again";
    EXPECT_EQ(mpesa.listener().calls.load(), 1);
}

TEST(StkCallback, RecordingThePushsAnswerAnnouncesTheRequest) {
    MpesaApp mpesa;
    ASSERT_TRUE(mpesa.sim().simulator().set_stk_scenario(kTestMsisdn, sim::StkScenario::manual));
    db::ConnectionPool& pool = mpesa.app().application().pool();
    std::mutex mutex;
    std::vector<std::string> heard;
    pool.listen(std::string(mpesa::kRequestAnsweredChannel), [&](const std::string& request_id) {
        std::lock_guard lock(mutex);
        heard.push_back(request_id);
    });
    const std::string id = mpesa.push(100, kTestMsisdn);
    pool.listen(std::string(mpesa::kRequestAnsweredChannel), {});
    std::lock_guard lock(mutex);
    EXPECT_EQ(heard, std::vector<std::string>{id});
    EXPECT_EQ(mpesa.column(id, "status"), "accepted") << "announced once committed";
}

TEST(StkCallback, ACallbackThatBeatsTheAnswerIsAppliedWhenTheAnswerCommits) {
    MpesaApp mpesa;
    const std::string id = mpesa.push_paid_before_answer(100, kTestMsisdn);
    mpesa::CallbackIntake& callbacks = mpesa.app().application().callbacks();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (callbacks.deferred_waiting_for_test() == 0 &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(callbacks.deferred_waiting_for_test(), 1u);
    EXPECT_EQ(mpesa.outcomes(id, true), std::vector<std::string>{"deferred"});
    EXPECT_EQ(callbacks.process_answered(), 0u) << "nothing is ready before the answer";

    // serve's wiring: the announcement marks the events ready and wakes process_answered().
    db::ConnectionPool& pool = mpesa.app().application().pool();
    int woken = 0;
    pool.listen(std::string(mpesa::kRequestAnsweredChannel), [&](const std::string& request_id) {
        woken += callbacks.note_answered(request_id) ? 1 : 0;
    });
    db::with_transaction(pool, "test.answer", [&](pqxx::work& tx) {
        tx.exec("UPDATE mpesa_requests SET status = 'accepted' WHERE id = " + tx.quote(id));
        db::notify_on_commit(tx, std::string(mpesa::kRequestAnsweredChannel), id);
    });
    pool.listen(std::string(mpesa::kRequestAnsweredChannel), {});
    EXPECT_EQ(woken, 1);
    // No clock advance and no retry job: the answer's commit is enough.
    EXPECT_EQ(callbacks.process_answered(), 1u);
    EXPECT_EQ(mpesa.column(id, "status"), "succeeded");
    EXPECT_EQ(mpesa.outcomes(id, true), (std::vector<std::string>{"deferred", "applied"}));
    EXPECT_EQ(mpesa.listener().calls.load(), 1);
    EXPECT_EQ(callbacks.process_answered(), 0u) << "processed once";
}

TEST(StkCallback, OneLivePushPerReference) {
    MpesaApp mpesa;
    ASSERT_TRUE(mpesa.sim().simulator().set_stk_scenario(kTestMsisdn, sim::StkScenario::manual));
    const mpesa::StkPushInput input{.reference = "trade-once",
                                    .amount = Cents{10'000},
                                    .msisdn = kTestMsisdn,
                                    .account_reference = "GW1",
                                    .description = "Gold purchase"};
    ASSERT_TRUE(mpesa.gateway().push_stk(input).has_value());
    auto again = mpesa.gateway().push_stk(input);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, ErrorCode::payment_in_progress);
    EXPECT_EQ(mpesa.sim().simulator().transactions().size(), 1u) << "nothing was sent";
}

TEST(StkCallback, ASimulatorThatIsDownEndsTheRequestAsNotSentAndNothingCredited) {
    MpesaApp mpesa;
    mpesa.sim().simulator().stop();
    auto sent = mpesa.gateway().push_stk({.reference = "trade-down",
                                          .amount = Cents{10'000},
                                          .msisdn = kTestMsisdn,
                                          .account_reference = "GW1",
                                          .description = "Gold purchase"});
    ASSERT_TRUE(sent.has_value());
    EXPECT_EQ(sent->answer.certainty, mpesa::Certainty::unknown);
    EXPECT_TRUE(sent->answer.retry_safe) << "the connection was refused: nothing reached Daraja";
    // Final, so the purpose may be paid by a new request: nothing can land for this one.
    EXPECT_EQ(mpesa.column(sent->request_id, "status"), "rejected");
    EXPECT_EQ(mpesa.column(sent->request_id, "error_code"), "not_sent");
    EXPECT_EQ(mpesa.column(sent->request_id, "receipt"), "");
    EXPECT_EQ(mpesa.app().query("SELECT count(*) FROM mpesa_exchanges WHERE mpesa_request_id = '" +
                                sent->request_id + "' AND transport_error <> ''"),
              "1");
    EXPECT_EQ(mpesa.listener().calls.load(), 0);
}

}  // namespace
}  // namespace gw::test
