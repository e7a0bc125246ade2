#include "daraja-sim/scenarios.hpp"

#include <array>
#include <utility>

#include "core/msisdn.hpp"

namespace gw::sim {
namespace {

constexpr std::array<std::pair<StkScenario, std::string_view>, 9> kStkNames{{
    {StkScenario::success, "success"},
    {StkScenario::cancelled, "cancelled"},
    {StkScenario::wrong_pin, "wrong_pin"},
    {StkScenario::insufficient_funds, "insufficient_funds"},
    {StkScenario::timeout, "timeout"},
    {StkScenario::no_callback, "no_callback"},
    {StkScenario::duplicate_callback, "duplicate_callback"},
    {StkScenario::late_callback, "late_callback"},
    {StkScenario::manual, "manual"},
}};

constexpr std::array<std::pair<B2cScenario, std::string_view>, 8> kB2cNames{{
    {B2cScenario::b2c_success, "b2c_success"},
    {B2cScenario::b2c_insufficient_funds, "b2c_insufficient_funds"},
    {B2cScenario::b2c_initiator_invalid, "b2c_initiator_invalid"},
    {B2cScenario::b2c_not_registered, "b2c_not_registered"},
    {B2cScenario::b2c_locked, "b2c_locked"},
    {B2cScenario::b2c_queue_timeout, "b2c_queue_timeout"},
    {B2cScenario::b2c_queue_timeout_unpaid, "b2c_queue_timeout_unpaid"},
    {B2cScenario::b2c_no_callback, "b2c_no_callback"},
}};

constexpr std::string_view kDefaultKey = "default";

}  // namespace

std::string_view to_string(StkScenario scenario) {
    for (const auto& [value, name] : kStkNames) {
        if (value == scenario) {
            return name;
        }
    }
    return "success";
}

std::string_view to_string(B2cScenario scenario) {
    for (const auto& [value, name] : kB2cNames) {
        if (value == scenario) {
            return name;
        }
    }
    return "b2c_success";
}

std::optional<StkScenario> parse_stk_scenario(std::string_view name) {
    for (const auto& [value, known] : kStkNames) {
        if (known == name) {
            return value;
        }
    }
    return std::nullopt;
}

std::optional<B2cScenario> parse_b2c_scenario(std::string_view name) {
    for (const auto& [value, known] : kB2cNames) {
        if (known == name) {
            return value;
        }
    }
    return std::nullopt;
}

std::optional<ResultOutcome> stk_refusal(StkScenario scenario) {
    switch (scenario) {
        case StkScenario::cancelled:
            return kResultCancelled;
        case StkScenario::wrong_pin:
            return kResultInitiatorInvalid;
        case StkScenario::insufficient_funds:
            return kResultInsufficientBalance;
        case StkScenario::timeout:
        case StkScenario::no_callback:
            return kResultDsTimeout;
        case StkScenario::success:
        case StkScenario::duplicate_callback:
        case StkScenario::late_callback:
        case StkScenario::manual:
            return std::nullopt;
    }
    return std::nullopt;
}

std::optional<ResultOutcome> b2c_refusal(B2cScenario scenario) {
    switch (scenario) {
        case B2cScenario::b2c_insufficient_funds:
            return kResultInsufficientBalance;
        case B2cScenario::b2c_initiator_invalid:
            return kResultInitiatorInvalid;
        case B2cScenario::b2c_not_registered:
            return kResultNotRegistered;
        case B2cScenario::b2c_locked:
            return kResultCredentialLocked;
        case B2cScenario::b2c_success:
        case B2cScenario::b2c_queue_timeout:
        case B2cScenario::b2c_queue_timeout_unpaid:
        case B2cScenario::b2c_no_callback:
            return std::nullopt;
    }
    return std::nullopt;
}

std::optional<ScenarioAssignment> parse_scenario_flag(std::string_view text) {
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos) {
        return std::nullopt;
    }
    ScenarioAssignment assignment;
    const std::string_view number = text.substr(0, equals);
    if (number == kDefaultKey) {
        assignment.msisdn = std::string(kDefaultKey);
    } else {
        Result<std::string> canonical = normalize_msisdn(number);
        if (!canonical.has_value()) {
            return std::nullopt;
        }
        assignment.msisdn = canonical.value();
    }
    const std::string_view name = text.substr(equals + 1);
    assignment.stk = parse_stk_scenario(name);
    assignment.b2c = parse_b2c_scenario(name);
    if (!assignment.stk && !assignment.b2c) {
        return std::nullopt;
    }
    return assignment;
}

void ScenarioBook::apply(const ScenarioAssignment& assignment) {
    const bool is_default = assignment.msisdn == kDefaultKey;
    if (assignment.stk) {
        if (is_default) {
            default_stk_ = *assignment.stk;
        } else {
            stk_[assignment.msisdn] = *assignment.stk;
        }
    }
    if (assignment.b2c) {
        if (is_default) {
            default_b2c_ = *assignment.b2c;
        } else {
            b2c_[assignment.msisdn] = *assignment.b2c;
        }
    }
}

void ScenarioBook::clear(const std::string& msisdn) {
    stk_.erase(msisdn);
    b2c_.erase(msisdn);
}

StkScenario ScenarioBook::stk_for(const std::string& msisdn) const {
    const auto found = stk_.find(msisdn);
    return found == stk_.end() ? default_stk_ : found->second;
}

B2cScenario ScenarioBook::b2c_for(const std::string& msisdn) const {
    const auto found = b2c_.find(msisdn);
    return found == b2c_.end() ? default_b2c_ : found->second;
}

nlohmann::json ScenarioBook::to_json() const {
    nlohmann::json out = nlohmann::json::object();
    out[std::string(kDefaultKey)] = {{"stk", to_string(default_stk_)},
                                     {"b2c", to_string(default_b2c_)}};
    for (const auto& [msisdn, scenario] : stk_) {
        out[msisdn]["stk"] = to_string(scenario);
    }
    for (const auto& [msisdn, scenario] : b2c_) {
        out[msisdn]["b2c"] = to_string(scenario);
    }
    return out;
}

}  // namespace gw::sim
