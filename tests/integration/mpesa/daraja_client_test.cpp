// Proves the Daraja client against daraja-sim over real HTTP: token caching and the one
// refresh-and-retry when a token dies mid-run, each synchronous answer sorted into accepted /
// rejected / unknown, STK Query in both pending shapes and its final and unknown answers, B2C
// and Transaction Status acknowledgements, and a simulator that is down, slow or answering
// garbage (unknown, never success). No database: the client itself keeps no state but its token.

#include "mpesa/daraja_client.hpp"

#include <gtest/gtest.h>

#include "core/money.hpp"
#include "support/sim_fixture.hpp"

namespace gw::mpesa {
namespace {

using test::kTestMsisdn;


Credentials sandbox_credentials(const std::string& security_credential = {}) {
    return Credentials{
        Credential("dev-key"),
        Credential("dev-secret"),
        Credential("bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"),
        Credential(security_credential)};
}

Settings settings_for(const std::string& base_url) {
    Settings settings;
    settings.base_url = base_url;
    settings.public_url = "http://127.0.0.1:9";  // callbacks go nowhere in these tests
    settings.connect_timeout = std::chrono::milliseconds(1000);
    settings.read_timeout = std::chrono::milliseconds(2000);
    return settings;
}

StkPushOrder order_for(std::int64_t shillings, const std::string& phone = kTestMsisdn) {
    return StkPushOrder{.amount = Cents{shillings * 100},
                        .msisdn = phone,
                        .account_reference = "GW12345",
                        .description = "Gold purchase",
                        .callback_url = "http://127.0.0.1:9/hooks/lnm/token"};
}

int count_operation(const std::vector<Exchange>& exchanges, std::string_view operation) {
    return static_cast<int>(
        std::count_if(exchanges.begin(), exchanges.end(), [&](const Exchange& e) {
            return e.operation == operation;
        }));
}

class DarajaClientTest : public ::testing::Test {
protected:
    test::SimFixture sim_;
    ManualClock clock_{TimePoint(std::chrono::seconds(1'795'000'000))};
    obs::MetricsRegistry metrics_;
    DarajaClient client_{settings_for(sim_.base_url()), sandbox_credentials(), clock_, metrics_};
};

TEST_F(DarajaClientTest, StkPushIsAcceptedAndTheTokenIsFetchedOnce) {
    auto first = client_.stk_push(order_for(100));
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->answer.certainty, Certainty::accepted);
    EXPECT_TRUE(first->answer.checkout_request_id.starts_with("ws_CO_"));
    EXPECT_TRUE(first->answer.checkout_request_id.ends_with("708374149"));
    EXPECT_EQ(count_operation(first->exchanges, "oauth"), 1);

    auto second = client_.stk_push(order_for(101, "254712345678"));
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->answer.certainty, Certainty::accepted);
    EXPECT_EQ(count_operation(second->exchanges, "oauth"), 0) << "the cached token is reused";
}

TEST_F(DarajaClientTest, ExchangesAreRedactedAndKeepNoToken) {
    auto call = client_.stk_push(order_for(100));
    ASSERT_TRUE(call.has_value());
    ASSERT_EQ(call->exchanges.size(), 2u);
    const Exchange& oauth = call->exchanges[0];
    EXPECT_EQ(oauth.reply.http_status, 200);
    EXPECT_TRUE(oauth.reply.body.empty()) << "the OAuth reply holds the token";
    const Exchange& push = call->exchanges[1];
    EXPECT_EQ(push.request["Password"], "[redacted]");
    EXPECT_EQ(push.request["PhoneNumber"], "2547******49");
    EXPECT_EQ(push.request["PartyA"], "2547******49");
    EXPECT_EQ(push.request["Amount"], 100);
    EXPECT_EQ(push.request.dump().find("708374149"), std::string::npos);
}

TEST_F(DarajaClientTest, ATokenThatDiesMidRunIsRefreshedAndTheRequestRetriedOnce) {
    ASSERT_TRUE(client_.stk_push(order_for(100)).has_value());
    sim_.simulator().expire_tokens();
    auto call = client_.stk_push(order_for(102, "254712345678"));
    ASSERT_TRUE(call.has_value());
    EXPECT_EQ(call->answer.certainty, Certainty::accepted);
    ASSERT_EQ(call->exchanges.size(), 3u);
    EXPECT_EQ(call->exchanges[0].reply.http_status, 404);  // 404.001.03 Invalid Access Token
    EXPECT_EQ(call->exchanges[1].operation, "oauth");
    EXPECT_EQ(call->exchanges[2].reply.http_status, 200);

    // B2C and Transaction Status answer an expired token with 401.002.01 / 400.003.01.
    DarajaClient payer(settings_for(sim_.base_url()),
                       sandbox_credentials(sim_.simulator().security_credential()),
                       clock_,
                       metrics_);
    ASSERT_EQ(payer.stk_query("ws_CO_x").exchanges.size(), 2u);  // oauth, query
    sim_.simulator().expire_tokens();
    auto status = payer.transaction_status({.transaction_id = "TC17PLM4QX",
                                            .originator_conversation_id = {},
                                            .result_url = "http://127.0.0.1:9/r",
                                            .queue_timeout_url = "http://127.0.0.1:9/t"});
    EXPECT_EQ(status.answer.certainty, Certainty::accepted);
    EXPECT_EQ(count_operation(status.exchanges, "oauth"), 1);
}

TEST_F(DarajaClientTest, ATokenNearItsExpiryIsReplacedBeforeUse) {
    ASSERT_TRUE(client_.stk_push(order_for(100)).has_value());
    // An hour later by both clocks: the client fetches a new token before it would be refused.
    sim_.simulator().advance_clock(std::chrono::seconds(3600));
    clock_.advance(std::chrono::seconds(3600));
    auto call = client_.stk_push(order_for(103, "254712345678"));
    ASSERT_TRUE(call.has_value());
    EXPECT_EQ(call->answer.certainty, Certainty::accepted);
    ASSERT_EQ(call->exchanges.size(), 2u);
    EXPECT_EQ(call->exchanges[0].operation, "oauth");
    EXPECT_EQ(call->exchanges[1].reply.http_status, 200) << "no refused attempt first";
}

TEST_F(DarajaClientTest, WrongConsumerCredentialsMeanNothingWasSent) {
    DarajaClient wrong(settings_for(sim_.base_url()),
                       Credentials{Credential("dev-key"),
                                   Credential("not-the-secret"),
                                   sandbox_credentials().passkey,
                                   Credential()},
                       clock_,
                       metrics_);
    auto call = wrong.stk_push(order_for(100));
    ASSERT_TRUE(call.has_value());
    EXPECT_EQ(call->answer.certainty, Certainty::unknown);
    EXPECT_TRUE(call->answer.retry_safe);
    ASSERT_EQ(call->exchanges.size(), 1u);
    EXPECT_EQ(call->exchanges[0].reply.http_status, 400);  // empty-bodied 400, as Daraja does
    EXPECT_TRUE(sim_.simulator().transactions().empty());
}

TEST_F(DarajaClientTest, AWrongPasskeyIsADefiniteRejection) {
    DarajaClient wrong(settings_for(sim_.base_url()),
                       Credentials{Credential("dev-key"),
                                   Credential("dev-secret"),
                                   Credential("not-the-passkey"),
                                   Credential()},
                       clock_,
                       metrics_);
    auto call = wrong.stk_push(order_for(100));
    ASSERT_TRUE(call.has_value());
    EXPECT_EQ(call->answer.certainty, Certainty::rejected);
    ASSERT_TRUE(call->answer.error.has_value());
    EXPECT_EQ(call->answer.error->error_code, "500.001.1001");
    EXPECT_NE(call->answer.error->error_message.find("Wrong credentials"), std::string::npos);
}

TEST_F(DarajaClientTest, ASecondPromptToABusyPhoneIsRejected) {
    ASSERT_TRUE(sim_.simulator().set_stk_scenario(kTestMsisdn, sim::StkScenario::manual));
    auto first = client_.stk_push(order_for(100));
    ASSERT_TRUE(first.has_value());
    ASSERT_EQ(first->answer.certainty, Certainty::accepted);
    auto second = client_.stk_push(order_for(100));
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->answer.certainty, Certainty::rejected);
    ASSERT_TRUE(second->answer.error.has_value());
    EXPECT_NE(second->answer.error->error_message.find("Unable to lock subscriber"),
              std::string::npos);
}

TEST_F(DarajaClientTest, BadOrdersAreRefusedBeforeAnythingIsSent) {
    auto cents = client_.stk_push(order_for(0));
    ASSERT_FALSE(cents.has_value());
    EXPECT_EQ(cents.error().code, ErrorCode::zero_amount);
    StkPushOrder fractional = order_for(100);
    fractional.amount = Cents{10'050};
    EXPECT_EQ(client_.stk_push(fractional).error().code, ErrorCode::not_whole_shillings);
    EXPECT_EQ(client_.stk_push(order_for(100, "0708374149")).error().code,
              ErrorCode::invalid_phone);
    StkPushOrder long_reference = order_for(100);
    long_reference.account_reference = "GW1234567890X";  // 13 characters
    EXPECT_EQ(client_.stk_push(long_reference).error().code, ErrorCode::validation_failed);
    EXPECT_TRUE(sim_.simulator().transactions().empty());
}

TEST_F(DarajaClientTest, StkQueryFollowsAPromptThroughBothPendingShapes) {
    ASSERT_TRUE(sim_.simulator().set_stk_scenario(kTestMsisdn, sim::StkScenario::manual));
    auto push = client_.stk_push(order_for(100));
    ASSERT_TRUE(push.has_value());
    const std::string id = push->answer.checkout_request_id;

    EXPECT_EQ(client_.stk_query(id).answer.state, StkQueryState::pending);  // HTTP 500 shape
    sim_.simulator().set_pending_query_shape(sim::PendingQueryShape::http_200_4999);
    EXPECT_EQ(client_.stk_query(id).answer.state, StkQueryState::pending);  // "4999" shape

    ASSERT_TRUE(sim_.simulator().cancel(id));
    const StkQueryAnswer final_answer = client_.stk_query(id).answer;
    EXPECT_EQ(final_answer.state, StkQueryState::failed);
    EXPECT_EQ(final_answer.result_code, "1032");

    EXPECT_EQ(client_.stk_query("ws_CO_000000000000000000000000").answer.state,
              StkQueryState::not_found);
}

TEST_F(DarajaClientTest, StkQuerySeesAPaymentWhoseCallbackNeverComes) {
    ASSERT_TRUE(sim_.simulator().set_stk_scenario(kTestMsisdn, sim::StkScenario::late_callback));
    auto push = client_.stk_push(order_for(100));
    ASSERT_TRUE(push.has_value());
    const StkQueryAnswer answer = client_.stk_query(push->answer.checkout_request_id).answer;
    EXPECT_EQ(answer.state, StkQueryState::succeeded);
    EXPECT_EQ(answer.result_code, "0");
}

TEST_F(DarajaClientTest, B2cIsAcknowledgedAndAReusedOriginatorIdIsFlagged) {
    DarajaClient payer(settings_for(sim_.base_url()),
                       sandbox_credentials(sim_.simulator().security_credential()),
                       clock_,
                       metrics_);
    const B2cOrder order{.originator_conversation_id = "gw-test-1",
                         .amount = Cents{150'000},
                         .msisdn = kTestMsisdn,
                         .remarks = "Gold sale payout",
                         .occasion = {},
                         .result_url = "http://127.0.0.1:9/hooks/payout/result/t",
                         .queue_timeout_url = "http://127.0.0.1:9/hooks/payout/timeout/t"};
    auto first = payer.b2c_payment(order);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->answer.certainty, Certainty::accepted);
    EXPECT_TRUE(first->answer.conversation_id.starts_with("AG_"));
    EXPECT_EQ(first->exchanges.back().request["SecurityCredential"], "[redacted]");

    auto again = payer.b2c_payment(order);
    ASSERT_TRUE(again.has_value());
    EXPECT_TRUE(again->answer.duplicate);
    EXPECT_EQ(again->answer.certainty, Certainty::unknown) << "the first one got through";

    B2cOrder small = order;
    small.amount = Cents{900};  // KES 9: below the B2C minimum of 10
    EXPECT_EQ(payer.b2c_payment(small).error().code, ErrorCode::zero_amount);
}

TEST_F(DarajaClientTest, ASimulatorThatIsDownMeansUnknownAndNothingSent) {
    test::SimFixture doomed;
    const std::string base_url = doomed.base_url();
    doomed.simulator().stop();
    DarajaClient client(settings_for(base_url), sandbox_credentials(), clock_, metrics_);
    auto call = client.stk_push(order_for(100));
    ASSERT_TRUE(call.has_value());
    EXPECT_EQ(call->answer.certainty, Certainty::unknown);
    EXPECT_TRUE(call->answer.retry_safe);
    EXPECT_EQ(client.stk_query("ws_CO_x").answer.state, StkQueryState::unavailable);
}

TEST_F(DarajaClientTest, GarbageAndServerErrorsAreNeverSuccess) {
    ASSERT_TRUE(client_.stk_push(order_for(100)).has_value());  // token cached
    for (const sim::OutageMode mode :
         {sim::OutageMode::garbage, sim::OutageMode::http_500, sim::OutageMode::refuse_all}) {
        sim_.simulator().set_outage({.mode = mode, .slow = std::chrono::milliseconds(0)});
        auto call = client_.stk_push(order_for(104, "254712345678"));
        ASSERT_TRUE(call.has_value());
        EXPECT_EQ(call->answer.certainty, Certainty::unknown) << sim::to_string(mode);
        EXPECT_FALSE(call->answer.retry_safe) << sim::to_string(mode);
        EXPECT_EQ(client_.stk_query("ws_CO_x").answer.state, StkQueryState::unavailable);
    }
}

TEST_F(DarajaClientTest, ASlowSimulatorTimesOutAsUnknown) {
    ASSERT_TRUE(client_.stk_push(order_for(100)).has_value());  // token cached
    sim_.simulator().set_outage(
        {.mode = sim::OutageMode::slow, .slow = std::chrono::milliseconds(5000)});
    const auto started = std::chrono::steady_clock::now();
    auto call = client_.stk_push(order_for(105, "254712345678"));
    ASSERT_TRUE(call.has_value());
    EXPECT_EQ(call->answer.certainty, Certainty::unknown);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4))
        << "the 2 s read timeout bounds the wait";
    sim_.simulator().set_outage({});
}

}  // namespace
}  // namespace gw::mpesa
