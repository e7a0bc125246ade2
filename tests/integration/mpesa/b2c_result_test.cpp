// Proves the B2C payout path over HTTP against daraja-sim: a payout is stored before it is
// sent, its Result settles it (success with receipt, or the documented failures), a queue
// timeout leaves it unknown rather than guessing, and Transaction Status then settles it; a
// payout with a bad SecurityCredential fails with 2001.

#include <gtest/gtest.h>

#include "mpesa_app_fixture.hpp"

namespace gw::test {
namespace {

std::string pay(MpesaApp& mpesa, std::int64_t shillings, const std::string& phone) {
    auto sent = mpesa.gateway().pay_b2c({.reference = mpesa.next_reference("payout-"),
                                         .amount = Cents{shillings * 100},
                                         .msisdn = phone,
                                         .remarks = "Gold sale payout"});
    EXPECT_TRUE(sent.has_value());
    if (!sent) {
        return {};
    }
    EXPECT_EQ(sent->answer.certainty, mpesa::Certainty::accepted);
    EXPECT_TRUE(sent->originator_conversation_id.starts_with("gw-"));
    return sent->request_id;
}

TEST(B2cResult, APaidPayoutSettlesWithItsReceipt) {
    MpesaApp mpesa;
    const std::string id = pay(mpesa, 1500, "254708374149");
    EXPECT_EQ(mpesa.wait_for_status(id, "succeeded"), "succeeded");
    EXPECT_EQ(mpesa.column(id, "length(receipt)"), "10");
    EXPECT_EQ(mpesa.column(id, "conversation_id").substr(0, 3), "AG_");
    EXPECT_EQ(mpesa.listener().paid.load(), 1);
    EXPECT_EQ(mpesa.app().query("SELECT request->>'SecurityCredential' FROM mpesa_exchanges "
                                "WHERE operation = 'b2c_payment'"),
              "[redacted]");
}

TEST(B2cResult, DocumentedFailuresFailThePayout) {
    MpesaApp mpesa;
    auto& sim = mpesa.sim().simulator();
    ASSERT_TRUE(sim.set_b2c_scenario("254700000011", sim::B2cScenario::b2c_not_registered));
    ASSERT_TRUE(sim.set_b2c_scenario("254700000012", sim::B2cScenario::b2c_locked));
    ASSERT_TRUE(sim.set_b2c_scenario("254700000013", sim::B2cScenario::b2c_insufficient_funds));
    const std::string unregistered = pay(mpesa, 100, "254700000011");
    const std::string locked = pay(mpesa, 100, "254700000012");
    const std::string short_float = pay(mpesa, 100, "254700000013");
    for (const auto& [id, code] : {std::pair{unregistered, "2040"},
                                   std::pair{locked, "8006"},
                                   std::pair{short_float, "1"}}) {
        EXPECT_EQ(mpesa.wait_for_status(id, "failed"), "failed") << code;
        EXPECT_EQ(mpesa.column(id, "result_code"), code);
    }
    EXPECT_EQ(mpesa.listener().paid.load(), 0);
}

TEST(B2cResult, ABadSecurityCredentialFailsWith2001) {
    MpesaApp mpesa({.confirm_by_query = false, .allowlist = {}, .bad_security_credential = true});
    const std::string id = pay(mpesa, 100, "254708374149");
    EXPECT_EQ(mpesa.wait_for_status(id, "failed"), "failed");
    EXPECT_EQ(mpesa.column(id, "result_code"), "2001");
}

TEST(B2cResult, AQueueTimeoutLeavesThePayoutUnknownUntilTransactionStatusAnswers) {
    MpesaApp mpesa;
    ASSERT_TRUE(mpesa.sim().simulator().set_b2c_scenario("254708374149",
                                                         sim::B2cScenario::b2c_queue_timeout));
    const std::string id = pay(mpesa, 2000, "254708374149");
    EXPECT_EQ(mpesa.wait_for_status(id, "unknown"), "unknown");
    EXPECT_EQ(mpesa.listener().calls.load(), 0);

    const auto request = mpesa.gateway().find(id);
    ASSERT_TRUE(request.has_value());
    EXPECT_EQ(mpesa.gateway().query_payout_status(*request).certainty, mpesa::Certainty::accepted);
    EXPECT_EQ(mpesa.wait_for_status(id, "succeeded"), "succeeded");
    EXPECT_EQ(mpesa.outcomes(id), (std::vector<std::string>{"applied", "applied"}));
    EXPECT_EQ(mpesa.listener().paid.load(), 1);
}

TEST(B2cResult, ReceiptNotFoundRightAfterAQueueTimeoutSettlesNothing) {
    MpesaApp mpesa;
    ASSERT_TRUE(mpesa.sim().simulator().set_b2c_scenario(
        "254708374149", sim::B2cScenario::b2c_queue_timeout_unpaid));
    const std::string id = pay(mpesa, 2000, "254708374149");
    EXPECT_EQ(mpesa.wait_for_status(id, "unknown"), "unknown");
    const auto request = mpesa.gateway().find(id);
    ASSERT_TRUE(request.has_value());
    EXPECT_EQ(mpesa.gateway().query_payout_status(*request).certainty, mpesa::Certainty::accepted);
    ASSERT_EQ(mpesa.wait_for_events(2), 2);
    // 2032 may only mean "not yet": the payout stays unknown for the sweeper or a human.
    EXPECT_EQ(mpesa.outcomes(id), (std::vector<std::string>{"applied", "not_final"}));
    EXPECT_EQ(mpesa.column(id, "status"), "unknown");
    EXPECT_EQ(mpesa.listener().calls.load(), 0);
}

TEST(B2cResult, OnePayoutPerReference) {
    MpesaApp mpesa;
    auto first = mpesa.gateway().pay_b2c({.reference = "payout-once",
                                          .amount = Cents{150'000},
                                          .msisdn = "254708374149",
                                          .remarks = "Gold sale payout"});
    ASSERT_TRUE(first.has_value());
    auto second = mpesa.gateway().pay_b2c({.reference = "payout-once",
                                           .amount = Cents{150'000},
                                           .msisdn = "254708374149",
                                           .remarks = "Gold sale payout"});
    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().code, ErrorCode::payment_in_progress);
    EXPECT_EQ(mpesa.app().query("SELECT count(*) FROM mpesa_requests"), "1");
    EXPECT_EQ(mpesa.sim().simulator().transactions().size(), 1u);
}

}  // namespace
}  // namespace gw::test
