#pragma once

// Shared by the security suite (the OWASP API Security Top 10 applied to this API):
// - the route table the suite expects, with who may call each route, and the live table of a
//   node when app::Application exposes it;
// - a shared "world": a node wired to the Daraja simulator holding two customers (alice, bob)
//   with KYC documents, completed buys, a sell waiting for its manual payout, notifications,
//   quotes, plus staff of every role and a reconciliation run;
// - HTTP exchanges with any method, raw bodies and headers (also over a raw socket from a
//   chosen loopback source address, byte for byte as written);
// - a fingerprint of the database, to prove that a refused request changed nothing.

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "http/router.hpp"
#include "support/app_fixture.hpp"
#include "support/trade_app_fixture.hpp"

namespace gw::test::security {

// ---- HTTP ----

// One request as sent: no Content-Type header when `content_type` is empty.
struct Call {
    std::string method;
    std::string path;
    std::string body;
    std::string content_type;
    httplib::Headers headers;
};

// A JSON call (the body dumped, Content-Type application/json; none for a null body).
Call json_call(const std::string& method, const std::string& path, const nlohmann::json& body);

// Sends `call` with an optional bearer token.
JsonResponse send(const RunningApp& app, const Call& call, const std::string& bearer = {});

// Writes `request` (a whole HTTP/1.1 request, sent byte for byte) to the node over a socket
// bound to `source_ip` (any 127.x.y.z address) and reads the answer until the server closes.
// Fails the test and returns status 0 when the exchange does not complete.
JsonResponse send_raw(const RunningApp& app,
                      const std::string& request,
                      const std::string& source_ip = "127.0.0.1");

// A whole request for send_raw: `target` is written as is (no encoding), with Host,
// Connection: close, Content-Type (when not empty), Content-Length and `headers`.
std::string raw_request(const std::string& method,
                        const std::string& target,
                        const std::string& body,
                        const std::string& content_type,
                        const httplib::Headers& headers = {});

// raw_request for a GET with an optional bearer token.
std::string raw_get(const std::string& target, const std::string& bearer = {});

// A multipart/form-data upload to POST /user/kyc/upload written by hand, so the file name
// reaches the server byte for byte: fields doc_type and file (`filename`, image/png).
Call kyc_upload_call(const std::string& doc_type,
                     const std::string& content,
                     const std::string& filename);

// Expects a problem+json answer with `status` and `code`.
void expect_problem(const JsonResponse& response,
                    int status,
                    const std::string& code,
                    const std::string& what);

// ---- routes ----

enum class BodyShape { none, json, multipart, csv };

struct RouteSpec {
    std::string method;
    std::string pattern;
    BodyShape body = BodyShape::none;
    http::Access::Kind access = http::Access::Kind::anyone;
    std::vector<identity::Role> roles;  // for Kind::roles

    friend bool operator==(const RouteSpec&, const RouteSpec&) = default;
};

std::string describe(const RouteSpec& route);

// The API as the suite expects it: every route, its body and who may call it.
const std::vector<RouteSpec>& expected_routes();

// The node's live route table, or nullopt while app::Application offers no router().
std::optional<std::vector<RouteSpec>> live_routes(app::Application& application);

// `pattern` with each {name} replaced by `values`.at(name).
std::string fill(const std::string& pattern, const std::map<std::string, std::string>& values);

// Whether `roles` lets `role` in.
bool admits(const RouteSpec& route, identity::Role role);

// ---- the shared world ----

struct Customer {
    std::string token;
    std::string id;
    std::string username;
    std::string msisdn;                            // 2547… as registered
    std::map<std::string, std::string> documents;  // doc_type -> document id
    std::string buy_trade;
    std::string buy_key;       // the Idempotency-Key of buy_trade
    std::string buy_body;      // the JSON body of buy_trade
    std::string used_quote;    // the quote buy_trade was placed with
    std::string fresh_quote;   // an unused buy quote
    std::string sell_quote;    // an unused sell quote
    std::string sell_trade;    // empty for bob
    std::string payout;        // the manual payout of sell_trade; empty for bob
    std::string notification;  // of buy_trade
};

struct SecurityWorld {
    SecurityWorld();
    SecurityWorld(const SecurityWorld&) = delete;
    SecurityWorld& operator=(const SecurityWorld&) = delete;

    RunningApp& app() { return trade.app(); }

    TradeApp trade;
    std::string admin;     // access tokens of staff
    std::string reviewer;  // kyc_reviewer
    std::string treasury;
    Customer alice;
    Customer bob;
    std::string pool;
    std::string run;        // today's reconciliation run
    std::string item;       // one of its items
    std::string other_run;  // yesterday's run
    // Bodies the world's own writes were answered with (login, register, quote, buy, sell …),
    // by what they were.
    std::map<std::string, JsonResponse> write_answers;

private:
    Customer customer(const std::string& username, bool with_sell);
};

// The world every suite of this binary shares, built on first use and torn down after the
// last test. Tests that use it must leave it as they found it (they only try what must fail).
SecurityWorld& shared_world();

// `pattern` filled with alice's objects: her buy for /trade/{id}, her notification, the pool,
// her payout, her first KYC document, today's reconciliation run and its item, a made-up
// token.
std::string alice_path(const std::string& pattern, const SecurityWorld& world);

// ---- state ----

// A digest of every table a request could change (sessions and refresh tokens aside, which
// logging in changes), table by table: "users=…;trades=…;…".
std::string fingerprint(const RunningApp& app);

// The concatenation of `parts`.
std::string concat(std::initializer_list<std::string_view> parts);

// Percent-encodes every byte but unreserved ones (RFC 3986).
std::string url_encode(const std::string& text);

}  // namespace gw::test::security
