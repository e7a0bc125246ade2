#pragma once

// A deliberately raw Daraja client for the simulator's integration tests: plain
// httplib::Client calls with hand-written JSON bodies, exactly what a Daraja client sends, so
// the tests exercise the wire format and not a shared library.

#include <chrono>
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "daraja-sim/base64.hpp"
#include "support/sim_fixture.hpp"

namespace gw::test {

inline constexpr std::string_view kTimestamp = "20250301143005";
inline constexpr std::string_view kPassword =
    "MTc0Mzc5YmZiMjc5ZjlhYTliZGJjZjE1OGU5N2RkNzFhNDY3Y2QyZTBjODkzMDU5YjEwZjc4ZTZiNzJhZGExZWQyYzkxOT"
    "IwMjUwMzAxMTQzMDA1";

// A test helper: an exception while copying one fails the test, which is all we need.
struct Reply {       // NOLINT(bugprone-exception-escape)
    int status = 0;  // 0 when the connection failed
    std::string body;
    nlohmann::json json;  // discarded when the body is not JSON
    httplib::Headers headers;
};

// The first value of header `name` (case-insensitive, as HTTP says), or "".
inline std::string header_value(const httplib::Headers& headers, const std::string& name) {
    const auto found = headers.find(name);
    return found == headers.end() ? "" : found->second;
}

inline Reply to_reply(const httplib::Result& result) {
    Reply reply;
    if (!result) {
        return reply;
    }
    reply.status = result->status;
    reply.body = result->body;
    reply.json = nlohmann::json::parse(result->body, nullptr, false);
    reply.headers = result->headers;
    return reply;
}

class RawDaraja {
public:
    explicit RawDaraja(const std::string& base_url) : client_(base_url) {
        client_.set_connection_timeout(std::chrono::seconds(2));
        client_.set_read_timeout(std::chrono::seconds(10));
    }

    Reply get(const std::string& path, const httplib::Headers& headers = {}) {
        return to_reply(client_.Get(path, headers));
    }

    Reply post(const std::string& path,
               const std::string& body,
               const std::string& token,
               const std::string& content_type = "application/json") {
        httplib::Headers headers;
        if (!token.empty()) {
            headers.emplace("Authorization", "Bearer " + token);
        }
        return to_reply(client_.Post(path, headers, body, content_type));
    }

    Reply put(const std::string& path, const std::string& body) {
        return to_reply(client_.Put(path, body, "application/json"));
    }

    Reply post_json(const std::string& path, const nlohmann::json& body, const std::string& token) {
        return post(path, body.dump(), token);
    }

    // GET /oauth/v1/generate with Basic dev-key:dev-secret.
    Reply oauth(const std::string& user = "dev-key", const std::string& pass = "dev-secret") {
        httplib::Headers headers{
            {"Authorization", "Basic " + sim::base64_encode(user + ":" + pass)}};
        return get("/oauth/v1/generate?grant_type=client_credentials", headers);
    }

    // A live token (fails the test when OAuth does not answer 200).
    std::string token() {
        const Reply reply = oauth();
        EXPECT_EQ(reply.status, 200) << reply.body;
        return reply.json.is_object() ? reply.json.value("access_token", "") : "";
    }

    Reply stk_push(const nlohmann::json& body, const std::string& token) {
        return post_json("/mpesa/stkpush/v1/processrequest", body, token);
    }

    Reply stk_query(const std::string& checkout_request_id, const std::string& token) {
        return post_json("/mpesa/stkpushquery/v1/query",
                         nlohmann::json{{"BusinessShortCode", "174379"},
                                        {"Password", std::string(kPassword)},
                                        {"Timestamp", std::string(kTimestamp)},
                                        {"CheckoutRequestID", checkout_request_id}},
                         token);
    }

private:
    httplib::Client client_;
};

// A valid STK Push body for `msisdn` and `amount` with `callback_url`.
inline nlohmann::json stk_body(std::string_view msisdn,
                               std::int64_t amount,
                               const std::string& callback_url) {
    return nlohmann::json{
        {"BusinessShortCode", 174379},
        {"Password", std::string(kPassword)},
        {"Timestamp", std::string(kTimestamp)},
        {"TransactionType", "CustomerPayBillOnline"},
        {"Amount", amount},
        {"PartyA", std::string(msisdn)},
        {"PartyB", 174379},
        {"PhoneNumber", std::string(msisdn)},
        {"CallBackURL", callback_url},
        {"AccountReference", "INV001"},
        {"TransactionDesc", "Gold buy"},
    };
}

// A valid B2C v3 body.
inline nlohmann::json b2c_body(const std::string& originator,
                               std::string_view msisdn,
                               std::int64_t amount,
                               const std::string& credential,
                               const CallbackReceiver& receiver) {
    return nlohmann::json{
        {"OriginatorConversationID", originator},
        {"InitiatorName", "testapi"},
        {"SecurityCredential", credential},
        {"CommandID", "BusinessPayment"},
        {"Amount", amount},
        {"PartyA", "600980"},
        {"PartyB", std::string(msisdn)},
        {"Remarks", "Gold sale payout"},
        {"QueueTimeOutURL", receiver.url("/b2c/timeout")},
        {"ResultURL", receiver.url("/b2c/result")},
        {"Occassion", "sell"},
    };
}

// The stkCallback object of a received STK callback body.
inline nlohmann::json stk_callback_of(const ReceivedPost& post) {
    return nlohmann::json::parse(post.body)["Body"]["stkCallback"];
}

// The Value of the metadata item `name`, or null.
inline nlohmann::json metadata_value(const nlohmann::json& callback, std::string_view name) {
    for (const auto& item : callback["CallbackMetadata"]["Item"]) {
        if (item["Name"] == name) {
            return item.contains("Value") ? item["Value"] : nlohmann::json();
        }
    }
    return nlohmann::json();
}

}  // namespace gw::test
