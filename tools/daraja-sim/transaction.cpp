#include "daraja-sim/transaction.hpp"

#include <chrono>
#include <stdexcept>

#include "daraja-sim/nairobi_time.hpp"
#include "daraja-sim/url.hpp"

namespace gw::sim {
namespace {

std::int64_t micros(TimePoint at) {
    return at.time_since_epoch().count();
}

TimePoint from_micros(std::int64_t value) {
    return TimePoint(std::chrono::microseconds(value));
}

TransactionStatus parse_status(std::string_view text) {
    if (text == "pending") {
        return TransactionStatus::pending;
    }
    if (text == "completed") {
        return TransactionStatus::completed;
    }
    if (text == "failed") {
        return TransactionStatus::failed;
    }
    throw std::invalid_argument("unknown transaction status in the state file");
}

nlohmann::json common_json(const Transaction& t) {
    return nlohmann::json{
        {"kind", to_string(t.kind)},
        {"id", t.id},
        {"request_id", t.request_id},
        {"shortcode", t.shortcode},
        {"msisdn", t.msisdn},
        {"amount_kes", t.amount_kes},
        {"transaction_type", t.transaction_type},
        {"party_b", t.party_b},
        {"account_reference", t.account_reference},
        {"description", t.description},
        {"scenario", t.scenario},
        {"status", to_string(t.status)},
        {"result_code", t.result_code},
        {"result_desc", t.result_desc},
        {"receipt", t.receipt},
        {"balance_after_kes", t.balance_after_kes},
    };
}

}  // namespace

std::string_view to_string(TransactionKind kind) {
    switch (kind) {
        case TransactionKind::stk:
            return "stk";
        case TransactionKind::b2c:
            return "b2c";
    }
    return "stk";
}

std::string_view to_string(TransactionStatus status) {
    switch (status) {
        case TransactionStatus::pending:
            return "pending";
        case TransactionStatus::completed:
            return "completed";
        case TransactionStatus::failed:
            return "failed";
    }
    return "pending";
}

nlohmann::json to_state_json(const Transaction& t) {
    nlohmann::json json = common_json(t);
    json["callback_url"] = t.callback_url;
    json["queue_timeout_url"] = t.queue_timeout_url;
    json["initiator_valid"] = t.initiator_valid;
    json["amount_with_decimals"] = t.amount_with_decimals;
    json["initiated_at_us"] = micros(t.initiated_at);
    json["finalised_at_us"] = t.finalised_at ? nlohmann::json(micros(*t.finalised_at)) : nullptr;
    return json;
}

Transaction from_state_json(const nlohmann::json& json) {
    Transaction t;
    t.kind =
        json.at("kind").get<std::string>() == "b2c" ? TransactionKind::b2c : TransactionKind::stk;
    t.id = json.at("id").get<std::string>();
    t.request_id = json.at("request_id").get<std::string>();
    t.shortcode = json.at("shortcode").get<std::string>();
    t.msisdn = json.at("msisdn").get<std::string>();
    t.amount_kes = json.at("amount_kes").get<std::int64_t>();
    t.transaction_type = json.at("transaction_type").get<std::string>();
    t.party_b = json.at("party_b").get<std::string>();
    t.account_reference = json.at("account_reference").get<std::string>();
    t.description = json.at("description").get<std::string>();
    t.callback_url = json.at("callback_url").get<std::string>();
    t.queue_timeout_url = json.at("queue_timeout_url").get<std::string>();
    t.scenario = json.at("scenario").get<std::string>();
    t.initiator_valid = json.at("initiator_valid").get<bool>();
    t.amount_with_decimals = json.at("amount_with_decimals").get<bool>();
    t.status = parse_status(json.at("status").get<std::string>());
    t.result_code = json.at("result_code").get<int>();
    t.result_desc = json.at("result_desc").get<std::string>();
    t.receipt = json.at("receipt").get<std::string>();
    t.balance_after_kes = json.at("balance_after_kes").get<std::int64_t>();
    t.initiated_at = from_micros(json.at("initiated_at_us").get<std::int64_t>());
    if (!json.at("finalised_at_us").is_null()) {
        t.finalised_at = from_micros(json.at("finalised_at_us").get<std::int64_t>());
    }
    return t;
}

nlohmann::json to_view_json(const Transaction& t) {
    nlohmann::json json = common_json(t);
    json["callback_path"] = url_path(t.callback_url);
    json["queue_timeout_path"] = url_path(t.queue_timeout_url);
    json["initiated_at"] = nairobi_compact(t.initiated_at);
    json["finalised_at"] =
        t.finalised_at ? nlohmann::json(nairobi_compact(*t.finalised_at)) : nullptr;
    return json;
}

}  // namespace gw::sim
