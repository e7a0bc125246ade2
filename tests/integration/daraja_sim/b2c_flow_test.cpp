// Proves DARAJA.md §11 points 5 and 6 for B2C over real HTTP: the acknowledgement, the success
// Result with the eight parameters debiting the Utility Account, failures by scenario (1, 2001,
// 2040, 8006), a SecurityCredential that does not decrypt to the initiator password (2001), a
// short float (1), the queue-timeout POST after which Transaction Status reports the payout,
// the refusal of a reused OriginatorConversationID, v1 without one, Transaction Status finding
// STK and B2C receipts (and 2032 otherwise), and Account Balance.

#include <gtest/gtest.h>

#include "raw_daraja.hpp"

namespace gw::test {
namespace {

class B2cFlow : public ::testing::Test {
protected:
    Reply pay(const std::string& originator,
              std::string_view msisdn,
              std::int64_t amount,
              const std::string& credential = "") {
        return daraja_.post_json(
            "/mpesa/b2c/v3/paymentrequest",
            b2c_body(originator,
                     msisdn,
                     amount,
                     credential.empty() ? sim_.simulator().security_credential() : credential,
                     receiver_),
            token_);
    }

    // The Result object of the ResultURL post for `originator`, or null after 5 s.
    nlohmann::json result_for(const std::string& originator,
                              const std::string& path = "/b2c/result") {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        for (std::size_t seen = 1; std::chrono::steady_clock::now() < deadline; ++seen) {
            for (const ReceivedPost& post : receiver_.received_at(path)) {
                nlohmann::json result = nlohmann::json::parse(post.body)["Result"];
                if (result["OriginatorConversationID"] == originator) {
                    return result;
                }
            }
            receiver_.wait_for(receiver_.received().size() + 1, std::chrono::milliseconds(100));
        }
        return nullptr;
    }

    nlohmann::json status_query(const nlohmann::json& ids) {
        nlohmann::json body{{"Initiator", "testapi"},
                            {"SecurityCredential", sim_.simulator().security_credential()},
                            {"CommandID", "TransactionStatusQuery"},
                            {"PartyA", "600980"},
                            {"IdentifierType", "4"},
                            {"ResultURL", receiver_.url("/status/result")},
                            {"QueueTimeOutURL", receiver_.url("/status/timeout")},
                            {"Remarks", "check"},
                            {"Occasion", ""}};
        body.update(ids);
        const std::string originator = "ts-" + std::to_string(++queries_);
        body["OriginatorConversationID"] = originator;
        const Reply ack = daraja_.post_json("/mpesa/transactionstatus/v1/query", body, token_);
        EXPECT_EQ(ack.status, 200) << ack.body;
        return result_for(originator, "/status/result");
    }

    static std::map<std::string, nlohmann::json> parameters(const nlohmann::json& result) {
        std::map<std::string, nlohmann::json> values;
        for (const auto& item : result["ResultParameters"]["ResultParameter"]) {
            values[item["Key"]] = item.contains("Value") ? item["Value"] : nlohmann::json();
        }
        return values;
    }

    SimFixture sim_;
    CallbackReceiver receiver_;
    RawDaraja daraja_{sim_.base_url()};
    std::string token_ = daraja_.token();
    int queries_ = 0;
};

TEST_F(B2cFlow, SuccessResult) {
    const Reply ack = pay("gw-po-1", kTestMsisdn, 1500);
    ASSERT_EQ(ack.status, 200) << ack.body;
    EXPECT_EQ(ack.json["OriginatorConversationID"], "gw-po-1");
    EXPECT_EQ(ack.json["ResponseCode"], "0");
    EXPECT_EQ(ack.json["ResponseDescription"], "Accept the service request successfully.");
    const nlohmann::json result = result_for("gw-po-1");
    ASSERT_TRUE(result.is_object());
    EXPECT_EQ(result["ResultCode"], 0);
    EXPECT_EQ(result["ConversationID"], ack.json["ConversationID"]);
    const auto values = parameters(result);
    EXPECT_EQ(values.size(), 8U);
    EXPECT_EQ(values.at("TransactionAmount"), 1500);
    EXPECT_EQ(values.at("TransactionReceipt"), result["TransactionID"]);
    EXPECT_EQ(values.at("ReceiverPartyPublicName"), "254708374149 - JANE DOE");
    EXPECT_EQ(values.at("B2CUtilityAccountAvailableFunds"), 998'500);
    EXPECT_EQ(values.at("B2CRecipientIsRegisteredCustomer"), "Y");
}

TEST_F(B2cFlow, ScenarioFailuresAndBadCredential) {
    const std::vector<std::pair<std::string, int>> cases = {{"b2c_insufficient_funds", 1},
                                                            {"b2c_initiator_invalid", 2001},
                                                            {"b2c_not_registered", 2040},
                                                            {"b2c_locked", 8006}};
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const std::string msisdn = "25471000000" + std::to_string(i);
        ASSERT_TRUE(
            sim_.simulator().set_b2c_scenario(msisdn, *sim::parse_b2c_scenario(cases[i].first)));
        ASSERT_EQ(pay(cases[i].first, msisdn, 100).status, 200);
    }
    ASSERT_EQ(pay("bad-credential", kTestMsisdn, 100, sim::base64_encode("not rsa")).status, 200);
    for (const auto& [name, code] : cases) {
        const nlohmann::json result = result_for(name);
        ASSERT_TRUE(result.is_object()) << name;
        EXPECT_EQ(result["ResultCode"], code) << name;
        EXPECT_FALSE(result.contains("ResultParameters")) << name;
        EXPECT_FALSE(result.value("TransactionID", "").empty()) << name;
    }
    EXPECT_EQ(result_for("bad-credential")["ResultCode"], 2001);
}

TEST_F(B2cFlow, ShortFloatAnswersOne) {
    SimFixture poor([](sim::SimulatorConfig& config) { config.b2c_float_kes = 1000; });
    RawDaraja daraja(poor.base_url());
    nlohmann::json body =
        b2c_body("poor-1", kTestMsisdn, 1001, poor.simulator().security_credential(), receiver_);
    ASSERT_EQ(daraja.post_json("/mpesa/b2c/v3/paymentrequest", body, daraja.token()).status, 200);
    EXPECT_EQ(result_for("poor-1")["ResultCode"], 1);
}

TEST_F(B2cFlow, DuplicateOriginatorAndV1) {
    ASSERT_EQ(pay("gw-po-7", kTestMsisdn, 100).status, 200);
    const Reply again = pay("gw-po-7", kTestMsisdn, 100);
    EXPECT_EQ(again.status, 500);
    EXPECT_EQ(again.json["errorCode"], "500.002.1001");
    EXPECT_EQ(again.json["errorMessage"], "Duplicate OriginatorConversationID.");
    nlohmann::json v1 =
        b2c_body("", kTestMsisdn, 100, sim_.simulator().security_credential(), receiver_);
    v1.erase("OriginatorConversationID");
    const Reply generated = daraja_.post_json("/mpesa/b2c/v1/paymentrequest", v1, token_);
    ASSERT_EQ(generated.status, 200) << generated.body;
    EXPECT_FALSE(generated.json.value("OriginatorConversationID", "").empty());
    const Reply v3 = daraja_.post_json("/mpesa/b2c/v3/paymentrequest", v1, token_);
    EXPECT_EQ(v3.json["errorMessage"], "Bad Request - Invalid OriginatorConversationID");
}

TEST_F(B2cFlow, QueueTimeoutThenStatusSaysCompleted) {
    ASSERT_TRUE(
        sim_.simulator().set_b2c_scenario(kTestMsisdn, sim::B2cScenario::b2c_queue_timeout));
    ASSERT_EQ(pay("gw-po-q", kTestMsisdn, 700).status, 200);
    const nlohmann::json timeout = result_for("gw-po-q", "/b2c/timeout");
    ASSERT_TRUE(timeout.is_object());
    EXPECT_NE(timeout["ResultCode"], 0);
    EXPECT_TRUE(receiver_.received_at("/b2c/result").empty());
    const auto status = parameters(status_query({{"OriginalConversationID", "gw-po-q"}}));
    EXPECT_EQ(status.at("TransactionStatus"), "Completed");
    EXPECT_EQ(status.at("Amount"), 700);
}

TEST_F(B2cFlow, UnpaidQueueTimeoutIsUnknownToStatus) {
    ASSERT_TRUE(
        sim_.simulator().set_b2c_scenario(kTestMsisdn, sim::B2cScenario::b2c_queue_timeout_unpaid));
    ASSERT_EQ(pay("gw-po-u", kTestMsisdn, 700).status, 200);
    ASSERT_TRUE(result_for("gw-po-u", "/b2c/timeout").is_object());
    EXPECT_EQ(status_query({{"OriginalConversationID", "gw-po-u"}})["ResultCode"], 2032);
}

TEST_F(B2cFlow, StatusFindsStkAndB2cReceipts) {
    ASSERT_EQ(daraja_.stk_push(stk_body(kTestMsisdn, 250, receiver_.url("/stk")), token_).status,
              200);
    ASSERT_EQ(pay("gw-po-s", kTestMsisdn, 300).status, 200);
    const nlohmann::json payout = result_for("gw-po-s");
    ASSERT_TRUE(receiver_.wait_for(2));
    const std::string stk_receipt =
        metadata_value(stk_callback_of(receiver_.received_at("/stk")[0]), "MpesaReceiptNumber");
    const auto stk = parameters(status_query({{"TransactionID", stk_receipt}}));
    EXPECT_EQ(stk.at("ReceiptNo"), stk_receipt);
    EXPECT_EQ(stk.at("TransactionStatus"), "Completed");
    EXPECT_EQ(stk.at("Amount"), 250);
    EXPECT_EQ(stk.at("CreditPartyName"), "174379 - GOLD WALLET SIM");
    const auto b2c = parameters(status_query({{"TransactionID", payout["TransactionID"]}}));
    EXPECT_EQ(b2c.at("DebitPartyName"), "600980 - GOLD WALLET SIM");
    EXPECT_TRUE(b2c.at("InitiatedTime").is_number());
    const nlohmann::json unknown = status_query({{"TransactionID", "TZZZZZZZZZ"}});
    EXPECT_EQ(unknown["ResultCode"], 2032);
    EXPECT_EQ(unknown["ResultDesc"], "The transaction receipt number does not exist.");
}

TEST_F(B2cFlow, AccountBalance) {
    ASSERT_EQ(pay("gw-po-b", kTestMsisdn, 1000).status, 200);
    ASSERT_TRUE(result_for("gw-po-b").is_object());
    const nlohmann::json body{{"Initiator", "testapi"},
                              {"SecurityCredential", sim_.simulator().security_credential()},
                              {"CommandID", "AccountBalance"},
                              {"PartyA", "600980"},
                              {"IdentifierType", "4"},
                              {"Remarks", "balance"},
                              {"OriginatorConversationID", "ab-1"},
                              {"ResultURL", receiver_.url("/balance/result")},
                              {"QueueTimeOutURL", receiver_.url("/balance/timeout")}};
    ASSERT_EQ(daraja_.post_json("/mpesa/accountbalance/v1/query", body, token_).status, 200);
    const auto values = parameters(result_for("ab-1", "/balance/result"));
    EXPECT_NE(values.at("AccountBalance")
                  .get<std::string>()
                  .find("Utility Account|KES|999000.00|999000.00"),
              std::string::npos);
}

}  // namespace
}  // namespace gw::test
