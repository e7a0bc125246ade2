// The Daraja API of the simulator (DARAJA.md §2-§7): OAuth, STK Push and Query, B2C,
// Transaction Status and Account Balance. Each handler checks the bearer token, the content
// type and the fields, records what it accepted under the state mutex, schedules what happens
// next, and answers synchronously as Daraja does.

#include <algorithm>
#include <cctype>

#include "daraja-sim/b2c.hpp"
#include "daraja-sim/b2c_queries.hpp"
#include "daraja-sim/simulator_impl.hpp"
#include "daraja-sim/stk.hpp"

namespace gw::sim {
namespace {

constexpr std::string_view kJson = "application/json";

void respond_error(httplib::Response& response,
                   const DarajaError& error,
                   const std::string& request_id) {
    response.status = error.http_status;
    response.set_content(error_envelope(error, request_id), std::string(kJson));
}

void respond(httplib::Response& response, const std::string& body) {
    response.status = 200;
    response.set_content(body, std::string(kJson));
}

bool is_json_content_type(std::string value) {
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return value.starts_with("application/json");
}

// The record of an accepted push, without the ids and scenario the simulator assigns.
Transaction stk_record(const StkPushRequest& push, TimePoint now) {
    Transaction t;
    t.kind = TransactionKind::stk;
    t.initiated_at = now;
    t.shortcode = push.shortcode;
    t.msisdn = push.phone_number;
    t.amount_kes = push.amount_kes;
    t.transaction_type = push.transaction_type;
    t.party_b = push.party_b;
    t.account_reference = push.account_reference;
    t.description = push.transaction_desc;
    t.callback_url = push.callback_url;
    return t;
}

// The record of an accepted payout, without the ids and scenario the simulator assigns.
Transaction b2c_record(const B2cPaymentRequest& payout,
                       std::string_view b2c_shortcode,
                       TimePoint now) {
    Transaction t;
    t.kind = TransactionKind::b2c;
    t.initiated_at = now;
    t.shortcode = std::string(b2c_shortcode);
    t.msisdn = payout.party_b;
    t.amount_kes = payout.amount_kes;
    t.transaction_type = payout.command_id;
    t.party_b = payout.party_b;
    t.account_reference = payout.occasion;
    t.description = payout.remarks;
    t.callback_url = payout.result_url;
    t.queue_timeout_url = payout.queue_timeout_url;
    return t;
}

DarajaError busy_error() {
    return daraja_error("500.003.02", "System is busy. Please try again in few minutes.");
}

}  // namespace

void Simulator::Impl::add_daraja_routes() {
    const auto add = [this](const char* method, const char* path, auto member) {
        routes_.push_back(
            Route{method,
                  std::regex(path),
                  [this, member](const httplib::Request& request,
                                 httplib::Response& response,
                                 const Captures&) { (this->*member)(request, response); }});
    };
    add("GET", "/oauth/v1/generate", &Impl::handle_oauth);
    add("POST", "/mpesa/stkpush/v1/processrequest", &Impl::handle_stk_push);
    add("POST", "/mpesa/stkpushquery/v1/query", &Impl::handle_stk_query);
    add("POST", "/mpesa/transactionstatus/v1/query", &Impl::handle_status_query);
    add("POST", "/mpesa/accountbalance/v1/query", &Impl::handle_balance_query);
    for (const auto& [version, path] :
         {std::pair{B2cApiVersion::v1, "/mpesa/b2c/v1/paymentrequest"},
          std::pair{B2cApiVersion::v3, "/mpesa/b2c/v3/paymentrequest"}}) {
        routes_.push_back(Route{
            "POST",
            std::regex(path),
            [this, version = version](
                const httplib::Request& request, httplib::Response& response, const Captures&) {
                handle_b2c(request, response, version);
            }});
    }
}

void Simulator::Impl::send_error(httplib::Response& response, const DarajaError& error) {
    std::string request_id;
    {
        std::lock_guard lock(mutex_);
        request_id = state_.ids.merchant_request_id();
    }
    respond_error(response, error, request_id);
}

bool Simulator::Impl::check_bearer(const httplib::Request& request,
                                   httplib::Response& response,
                                   TokenErrorStyle style) {
    const std::string token = bearer_token(request.get_header_value("Authorization"));
    {
        std::lock_guard lock(mutex_);
        if (!token.empty() && state_.tokens.is_live(token, clock_.now())) {
            return true;
        }
    }
    switch (style) {
        case TokenErrorStyle::stk:
            send_error(response, daraja_error("404.001.03", "Invalid Access Token"));
            break;
        case TokenErrorStyle::b2c:
            send_error(
                response,
                daraja_error("401.002.01", "Error Occurred - Invalid Access Token - " + token));
            break;
        case TokenErrorStyle::status:
            send_error(response, daraja_error("400.003.01", "Invalid Access Token"));
            break;
    }
    return false;
}

std::optional<nlohmann::json> Simulator::Impl::read_json(const httplib::Request& request,
                                                         httplib::Response& response) {
    // A wrong content type yields "Invalid BusinessShortCode" on Daraja (DARAJA.md §1): it
    // cannot read the body. A body that is not a JSON object is answered the same way.
    if (is_json_content_type(request.get_header_value("Content-Type"))) {
        nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
        if (body.is_object()) {
            return body;
        }
    }
    send_error(response, invalid_field("BusinessShortCode"));
    return std::nullopt;
}

void Simulator::Impl::handle_oauth(const httplib::Request& request, httplib::Response& response) {
    const BasicAuthCheck check = check_basic_auth(
        request.get_header_value("Authorization"), config_.consumer_key, config_.consumer_secret);
    if (check == BasicAuthCheck::not_basic) {
        send_error(response, daraja_error("400.008.01", "Invalid Authentication passed"));
        return;
    }
    if (request.get_param_value("grant_type") != "client_credentials") {
        send_error(response, daraja_error("400.008.02", "Invalid grant type passed"));
        return;
    }
    if (check == BasicAuthCheck::wrong_credentials) {
        response.status = 400;  // and an empty body, as observed (DARAJA.md §2)
        return;
    }
    WireJson body;
    {
        std::lock_guard lock(mutex_);
        const std::string token = state_.ids.access_token();
        state_.tokens.add(token, clock_.now());
        body["access_token"] = token;
        body["expires_in"] = state_.tokens.expires_in_text();
    }
    respond(response, dump_wire(body));
}

void Simulator::Impl::handle_stk_push(const httplib::Request& request,
                                      httplib::Response& response) {
    if (!check_bearer(request, response, TokenErrorStyle::stk)) {
        return;
    }
    const std::optional<nlohmann::json> body = read_json(request, response);
    if (!body) {
        return;
    }
    const Checked<StkPushRequest> parsed = parse_stk_push(*body);
    if (!parsed.has_value()) {
        return send_error(response, parsed.error());
    }
    const StkPushRequest& push = parsed.value();
    if (auto error = check_stk_merchant(push.shortcode,
                                        push.password,
                                        push.timestamp,
                                        StkMerchant{config_.shortcode, config_.passkey})) {
        return send_error(response, *error);
    }
    std::lock_guard lock(mutex_);
    const bool prompt_open = std::any_of(
        state_.transactions.begin(), state_.transactions.end(), [&](const Transaction& t) {
            return t.kind == TransactionKind::stk && t.status == TransactionStatus::pending &&
                   t.msisdn == push.phone_number;
        });
    if (prompt_open || state_.transactions.size() >= kTransactionsMax) {
        const DarajaError error = prompt_open ? stk_subscriber_locked_error() : busy_error();
        return respond_error(response, error, state_.ids.merchant_request_id());
    }
    Transaction t = stk_record(push, clock_.now());
    do {
        t.id = state_.ids.checkout_request_id(t.initiated_at, push.phone_number);
    } while (find_locked(t.id) != nullptr);
    t.request_id = state_.ids.merchant_request_id();
    t.scenario = std::string(to_string(state_.scenarios.stk_for(t.msisdn)));
    // Amount is written as 250 and 250.00 in turn, so clients must take both (DARAJA.md §4).
    t.amount_with_decimals =
        std::count_if(state_.transactions.begin(),
                      state_.transactions.end(),
                      [](const Transaction& x) { return x.kind == TransactionKind::stk; }) %
            2 ==
        1;
    state_.transactions.push_back(std::move(t));
    Transaction& stored = state_.transactions.back();
    const std::string answer = stk_accepted_body(stored);
    begin_stk_locked(stored);
    save_locked();
    respond(response, answer);
}

void Simulator::Impl::handle_stk_query(const httplib::Request& request,
                                       httplib::Response& response) {
    if (!check_bearer(request, response, TokenErrorStyle::stk)) {
        return;
    }
    const std::optional<nlohmann::json> body = read_json(request, response);
    if (!body) {
        return;
    }
    const Checked<StkQueryRequest> parsed = parse_stk_query(*body);
    if (!parsed.has_value()) {
        return send_error(response, parsed.error());
    }
    const StkQueryRequest& query = parsed.value();
    if (auto error = check_stk_merchant(query.shortcode,
                                        query.password,
                                        query.timestamp,
                                        StkMerchant{config_.shortcode, config_.passkey})) {
        return send_error(response, *error);
    }
    std::lock_guard lock(mutex_);
    const Transaction* t = find_locked(query.checkout_request_id);
    if (t == nullptr || t->kind != TransactionKind::stk) {
        return respond_error(response, stk_query_unknown_error(), state_.ids.merchant_request_id());
    }
    if (t->status != TransactionStatus::pending) {
        return respond(response, stk_query_final_body(*t));
    }
    if (state_.pending_shape == PendingQueryShape::http_200_4999) {
        return respond(response, stk_query_pending_body(*t));
    }
    respond_error(response, stk_query_pending_error(), state_.ids.merchant_request_id());
}

void Simulator::Impl::handle_b2c(const httplib::Request& request,
                                 httplib::Response& response,
                                 B2cApiVersion version) {
    if (!check_bearer(request, response, TokenErrorStyle::b2c)) {
        return;
    }
    const std::optional<nlohmann::json> body = read_json(request, response);
    if (!body) {
        return;
    }
    const Checked<B2cPaymentRequest> parsed =
        parse_b2c_payment(*body, version, config_.b2c_shortcode);
    if (!parsed.has_value()) {
        return send_error(response, parsed.error());
    }
    const B2cPaymentRequest& payout = parsed.value();
    const bool initiator_valid =
        payout.initiator_name == config_.initiator_name &&
        key_.credential_matches(payout.security_credential, config_.initiator_password);
    std::lock_guard lock(mutex_);
    const std::string originator = payout.originator_conversation_id.empty()
                                       ? state_.ids.originator_conversation_id()
                                       : payout.originator_conversation_id;
    const bool duplicate = std::any_of(
        state_.transactions.begin(), state_.transactions.end(), [&](const Transaction& t) {
            return t.kind == TransactionKind::b2c && t.request_id == originator;
        });
    if (duplicate || state_.transactions.size() >= kTransactionsMax) {
        return respond_error(response,
                             duplicate ? duplicate_originator_error() : busy_error(),
                             state_.ids.merchant_request_id());
    }
    Transaction t = b2c_record(payout, config_.b2c_shortcode, clock_.now());
    t.id = state_.ids.conversation_id(t.initiated_at);
    t.request_id = originator;
    t.scenario = std::string(to_string(state_.scenarios.b2c_for(t.msisdn)));
    t.initiator_valid = initiator_valid;
    state_.transactions.push_back(t);
    save_locked();
    dispatcher_.schedule(state_.callback_delay, [this, id = t.id] { settle_b2c(id); });
    respond(response, async_ack_body(t.id, originator));
}

void Simulator::Impl::handle_status_query(const httplib::Request& request,
                                          httplib::Response& response) {
    if (!check_bearer(request, response, TokenErrorStyle::status)) {
        return;
    }
    const std::optional<nlohmann::json> body = read_json(request, response);
    if (!body) {
        return;
    }
    Checked<StatusQueryRequest> parsed = parse_status_query(*body);
    if (!parsed.has_value()) {
        return send_error(response, parsed.error());
    }
    const bool initiator_valid =
        parsed.value().initiator == config_.initiator_name &&
        key_.credential_matches(parsed.value().security_credential, config_.initiator_password);
    std::lock_guard lock(mutex_);
    const TimePoint now = clock_.now();
    QueryIds ids{parsed.value().originator_conversation_id,
                 state_.ids.conversation_id(now),
                 state_.ids.receipt(now)};
    if (ids.originator_conversation_id.empty()) {
        ids.originator_conversation_id = state_.ids.originator_conversation_id();
    }
    dispatcher_.schedule(state_.callback_delay,
                         [this, query = parsed.value(), ids, initiator_valid] {
                             settle_status_query(query, ids, initiator_valid);
                         });
    respond(response, async_ack_body(ids.conversation_id, ids.originator_conversation_id));
}

void Simulator::Impl::handle_balance_query(const httplib::Request& request,
                                           httplib::Response& response) {
    if (!check_bearer(request, response, TokenErrorStyle::b2c)) {
        return;
    }
    const std::optional<nlohmann::json> body = read_json(request, response);
    if (!body) {
        return;
    }
    Checked<BalanceQueryRequest> parsed = parse_balance_query(*body);
    if (!parsed.has_value()) {
        return send_error(response, parsed.error());
    }
    if (parsed.value().party_a != config_.b2c_shortcode &&
        parsed.value().party_a != config_.shortcode) {
        return send_error(response, invalid_field("PartyA"));
    }
    const bool initiator_valid =
        parsed.value().initiator == config_.initiator_name &&
        key_.credential_matches(parsed.value().security_credential, config_.initiator_password);
    std::lock_guard lock(mutex_);
    const TimePoint now = clock_.now();
    QueryIds ids{parsed.value().originator_conversation_id,
                 state_.ids.conversation_id(now),
                 state_.ids.receipt(now)};
    if (ids.originator_conversation_id.empty()) {
        ids.originator_conversation_id = state_.ids.originator_conversation_id();
    }
    dispatcher_.schedule(state_.callback_delay,
                         [this, query = parsed.value(), ids, initiator_valid] {
                             settle_balance_query(query, ids, initiator_valid);
                         });
    respond(response, async_ack_body(ids.conversation_id, ids.originator_conversation_id));
}

}  // namespace gw::sim
