// Proves the B2C, Transaction Status and Account Balance rules of DARAJA.md §6-§7: the field
// checks with their exact messages (v1 without OriginatorConversationID, v3 with), the exact
// acknowledgement, a success Result with exactly the eight ResultParameters in order, a failure
// Result keeping TransactionID without parameters, the queue-timeout body, and the query
// Results (status keys, 2032, AccountBalance text).

#include "daraja-sim/b2c.hpp"

#include <gtest/gtest.h>

#include "daraja-sim/b2c_queries.hpp"

namespace gw::sim {
namespace {

nlohmann::json valid_payout() {
    return nlohmann::json{
        {"OriginatorConversationID", "gw-po-42"},
        {"InitiatorName", "testapi"},
        {"SecurityCredential", "abc="},
        {"CommandID", "BusinessPayment"},
        {"Amount", 1500},
        {"PartyA", "600980"},
        {"PartyB", "254708374149"},
        {"Remarks", "Gold sale"},
        {"QueueTimeOutURL", "https://example.com/q"},
        {"ResultURL", "https://example.com/r"},
        {"Occassion", "sell"},
    };
}

std::string message_for(const std::string& key,
                        const nlohmann::json& value,
                        B2cApiVersion version = B2cApiVersion::v3) {
    nlohmann::json body = valid_payout();
    if (value.is_null()) {
        body.erase(key);
    } else {
        body[key] = value;
    }
    const auto parsed = parse_b2c_payment(body, version, "600980");
    return parsed.has_value() ? "" : parsed.error().error_message;
}

Transaction payout(TransactionStatus status) {
    Transaction t;
    t.kind = TransactionKind::b2c;
    t.id = "AG_20250301_2010a1b2c3d4e5f6a7b8";
    t.request_id = "gw-po-42";
    t.shortcode = "600980";
    t.msisdn = "254708374149";
    t.amount_kes = 1500;
    t.transaction_type = "BusinessPayment";
    t.status = status;
    t.result_code = status == TransactionStatus::completed ? 0 : 2040;
    t.result_desc = status == TransactionStatus::completed
                        ? "The service request is processed successfully."
                        : "not registered";
    t.receipt = "TC17PLM4QX";
    t.balance_after_kes = 98'500;
    // 2025-03-01 14:41:07 Nairobi.
    t.initiated_at = TimePoint(std::chrono::sys_days(std::chrono::year(2025) / 3 / 1) +
                               std::chrono::hours(11) + std::chrono::minutes(41));
    t.finalised_at = t.initiated_at + std::chrono::seconds(7);
    return t;
}

TEST(B2cRequest, AcceptsValidBodiesInBothVersions) {
    EXPECT_EQ(message_for("Amount", "1500"), "");
    EXPECT_EQ(message_for("Amount", 10), "");
    EXPECT_EQ(message_for("Amount", 250'000), "");
    EXPECT_EQ(message_for("OriginatorConversationID", nullptr, B2cApiVersion::v1), "");
    const auto parsed = parse_b2c_payment(valid_payout(), B2cApiVersion::v3, "600980");
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed.value().occasion, "sell");
}

TEST(B2cRequest, FieldChecksTable) {
    const std::vector<std::pair<std::string, nlohmann::json>> bad = {
        {"OriginatorConversationID", nullptr},
        {"OriginatorConversationID", ""},
        {"InitiatorName", ""},
        {"SecurityCredential", nullptr},
        {"CommandID", "Payment"},
        {"Amount", 9},
        {"Amount", 250'001},
        {"Amount", "1500.00"},
        {"Amount", 1500.5},
        {"PartyA", "600981"},
        {"PartyB", "0708374149"},
        {"Remarks", "x"},
        {"Remarks", std::string(101, 'x')},
        {"QueueTimeOutURL", "not a url"},
        {"ResultURL", nullptr},
        {"Occassion", std::string(101, 'x')},
    };
    const std::vector<std::string> expected = {"OriginatorConversationID",
                                               "OriginatorConversationID",
                                               "InitiatorName",
                                               "SecurityCredential",
                                               "CommandID",
                                               "Amount",
                                               "Amount",
                                               "Amount",
                                               "Amount",
                                               "PartyA",
                                               "PartyB",
                                               "Remarks",
                                               "Remarks",
                                               "QueueTimeOutURL",
                                               "ResultURL",
                                               "Occasion"};
    for (std::size_t i = 0; i < bad.size(); ++i) {
        EXPECT_EQ(message_for(bad[i].first, bad[i].second), "Bad Request - Invalid " + expected[i])
            << bad[i].first << " = " << bad[i].second.dump();
    }
}

TEST(B2cBodies, Acknowledgement) {
    EXPECT_EQ(
        async_ack_body("AG_20250301_2010a1b2c3d4e5f6a7b8", "gw-po-42"),
        R"({"ConversationID":"AG_20250301_2010a1b2c3d4e5f6a7b8","OriginatorConversationID":"gw-po-42","ResponseCode":"0","ResponseDescription":"Accept the service request successfully."})");
    EXPECT_EQ(duplicate_originator_error().error_code, "500.002.1001");
    EXPECT_EQ(duplicate_originator_error().error_message, "Duplicate OriginatorConversationID.");
}

TEST(B2cBodies, SuccessResultHasTheEightParameters) {
    EXPECT_EQ(
        b2c_result_body(payout(TransactionStatus::completed)),
        R"({"Result":{"ResultType":0,"ResultCode":0,"ResultDesc":"The service request is processed successfully.","OriginatorConversationID":"gw-po-42","ConversationID":"AG_20250301_2010a1b2c3d4e5f6a7b8","TransactionID":"TC17PLM4QX","ResultParameters":{"ResultParameter":[{"Key":"TransactionAmount","Value":1500},{"Key":"TransactionReceipt","Value":"TC17PLM4QX"},{"Key":"ReceiverPartyPublicName","Value":"254708374149 - JANE DOE"},{"Key":"TransactionCompletedDateTime","Value":"01.03.2025 14:41:07"},{"Key":"B2CUtilityAccountAvailableFunds","Value":98500.00},{"Key":"B2CWorkingAccountAvailableFunds","Value":0.00},{"Key":"B2CRecipientIsRegisteredCustomer","Value":"Y"},{"Key":"B2CChargesPaidAccountAvailableFunds","Value":0.00}]},"ReferenceData":{"ReferenceItem":{"Key":"QueueTimeoutURL","Value":"https://internalsandbox.safaricom.co.ke/mpesa/b2cresults/v1/submit"}}}})");
}

TEST(B2cBodies, FailureKeepsTransactionIdWithoutParameters) {
    const auto body = nlohmann::json::parse(b2c_result_body(payout(TransactionStatus::failed)));
    EXPECT_EQ(body["Result"]["ResultCode"], 2040);
    EXPECT_EQ(body["Result"]["TransactionID"], "TC17PLM4QX");
    EXPECT_FALSE(body["Result"].contains("ResultParameters"));
}

TEST(B2cBodies, QueueTimeoutHasNoTransactionId) {
    const auto body =
        nlohmann::json::parse(b2c_queue_timeout_body(payout(TransactionStatus::completed)));
    EXPECT_NE(body["Result"]["ResultCode"], 0);
    EXPECT_EQ(body["Result"]["OriginatorConversationID"], "gw-po-42");
    EXPECT_FALSE(body["Result"].contains("TransactionID"));
}

TEST(StatusQuery, FieldChecks) {
    nlohmann::json body{{"Initiator", "testapi"},
                        {"SecurityCredential", "x"},
                        {"CommandID", "TransactionStatusQuery"},
                        {"TransactionID", "TC17PLM4QX"},
                        {"PartyA", "600980"},
                        {"IdentifierType", "4"},
                        {"ResultURL", "https://e.com/r"},
                        {"QueueTimeOutURL", "https://e.com/q"},
                        {"Remarks", "check"},
                        {"Occasion", ""}};
    EXPECT_TRUE(parse_status_query(body).has_value());
    body["IdentifierType"] = 4;
    EXPECT_TRUE(parse_status_query(body).has_value());
    body.erase("TransactionID");
    EXPECT_EQ(parse_status_query(body).error().error_message,
              "Bad Request - Invalid TransactionID");
    body["OriginalConversationID"] = "gw-po-42";
    EXPECT_TRUE(parse_status_query(body).has_value());
    body["CommandID"] = "TransactionStatus";
    EXPECT_EQ(parse_status_query(body).error().error_message, "Bad Request - Invalid CommandID");
}

TEST(StatusQuery, FoundResultKeys) {
    const auto body = nlohmann::json::parse(status_result_body(
        QueryIds{"o-1", "AG_x", "TQ00000001"}, payout(TransactionStatus::completed), ""));
    std::map<std::string, nlohmann::json> values;
    for (const auto& item : body["Result"]["ResultParameters"]["ResultParameter"]) {
        values[item["Key"]] = item.contains("Value") ? item["Value"] : nlohmann::json("<none>");
    }
    EXPECT_EQ(values["ReceiptNo"], "TC17PLM4QX");
    EXPECT_EQ(values["TransactionStatus"], "Completed");
    EXPECT_EQ(values["Amount"], 1500);
    EXPECT_EQ(values["InitiatedTime"], 20250301144100);
    EXPECT_EQ(values["FinalisedTime"], 20250301144107);
    EXPECT_EQ(values["DebitPartyName"], "600980 - GOLD WALLET SIM");
    EXPECT_EQ(values["CreditPartyName"], "254708374149 - JANE DOE");
    EXPECT_EQ(values["ConversationID"], "AG_20250301_2010a1b2c3d4e5f6a7b8");
    EXPECT_EQ(values["OriginatorConversationID"], "gw-po-42");
    EXPECT_EQ(values["TransactionReason"], "<none>");
    EXPECT_EQ(body["Result"]["ResultCode"], 0);
}

TEST(StatusQuery, UnknownReceipt) {
    const auto body =
        nlohmann::json::parse(query_failure_body(QueryIds{"o-1", "AG_x", "TQ00000001"},
                                                 2032,
                                                 "The transaction receipt number does not exist."));
    EXPECT_EQ(body["Result"]["ResultCode"], 2032);
    EXPECT_FALSE(body["Result"].contains("ResultParameters"));
}

TEST(BalanceQuery, AccountBalanceText) {
    const auto body = nlohmann::json::parse(
        balance_result_body(QueryIds{"o-1", "AG_x", "TQ1"},
                            228'037,
                            payout(TransactionStatus::completed).initiated_at));
    const auto& items = body["Result"]["ResultParameters"]["ResultParameter"];
    EXPECT_EQ(items[0]["Key"], "AccountBalance");
    EXPECT_NE(items[0]["Value"].get<std::string>().find(
                  "&Utility Account|KES|228037.00|228037.00|0.00|0.00&"),
              std::string::npos);
    EXPECT_EQ(items[1]["Key"], "BOCompletedTime");
    EXPECT_EQ(items[1]["Value"], 20250301144100);
}

}  // namespace
}  // namespace gw::sim
