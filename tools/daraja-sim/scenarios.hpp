#pragma once

// What the simulated customer and the simulated B2C back end do, scripted per phone number
// with a global default (DARAJA.md §11). Also the ResultCodes they produce (§4.1, §6).
// Parsing and naming functions are pure; ScenarioBook is not thread-safe (the simulator calls
// it under its state mutex).

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace gw::sim {

// The customer's answer to an STK prompt.
enum class StkScenario {
    success,             // accepts after the callback delay (limits may still refuse: 3, 4, 17)
    cancelled,           // 1032
    wrong_pin,           // 2001
    insufficient_funds,  // 1
    timeout,             // 1037, with a callback
    no_callback,         // 1037 for STK Query, no callback ever
    duplicate_callback,  // accepts; the callback is delivered twice
    late_callback,       // accepts at once (STK Query is final) but the callback comes late
    manual,              // the prompt stays open until /sim/stk/{id}/accept or /cancel
};

// The B2C back end's answer to a payout.
enum class B2cScenario {
    b2c_success,
    b2c_insufficient_funds,    // 1
    b2c_initiator_invalid,     // 2001
    b2c_not_registered,        // 2040
    b2c_locked,                // 8006
    b2c_queue_timeout,         // QueueTimeOutURL gets a POST; the payout is in fact made
    b2c_queue_timeout_unpaid,  // QueueTimeOutURL gets a POST; the payout is never made
    b2c_no_callback,           // the payout is made; no Result is ever sent
};

// Returns the wire name ("cancelled", "b2c_locked").
std::string_view to_string(StkScenario scenario);
std::string_view to_string(B2cScenario scenario);

// Returns the scenario named `name`, or nullopt for an unknown name.
std::optional<StkScenario> parse_stk_scenario(std::string_view name);
std::optional<B2cScenario> parse_b2c_scenario(std::string_view name);

// A ResultCode and its ResultDesc as Daraja words them.
struct ResultOutcome {
    int code = 0;
    std::string_view description;
};

inline constexpr ResultOutcome kResultSuccess{0, "The service request is processed successfully."};
inline constexpr ResultOutcome kResultInsufficientBalance{
    1, "The balance is insufficient for the transaction."};
inline constexpr ResultOutcome kResultAboveMaximum{
    3, "The amount is greater than the maximum amount allowed for a transaction."};
inline constexpr ResultOutcome kResultDailyLimit{
    4, "The amount is greater than the customer's daily transaction limit."};
inline constexpr ResultOutcome kResultRuleLimited{17, "Rule limited."};
inline constexpr ResultOutcome kResultCancelled{1032, "Request cancelled by user"};
inline constexpr ResultOutcome kResultDsTimeout{1037, "DS timeout user cannot be reached"};
inline constexpr ResultOutcome kResultInitiatorInvalid{2001,
                                                       "The initiator information is invalid."};
inline constexpr ResultOutcome kResultProductMismatch{
    2028, "The request is not permitted according to product assignment."};
inline constexpr ResultOutcome kResultReceiptUnknown{
    2032, "The transaction receipt number does not exist."};
inline constexpr ResultOutcome kResultNotRegistered{
    2040,
    "Credit Party customer type (Unregistered or Registered Customer) can't be supported "
    "by the service."};
inline constexpr ResultOutcome kResultCredentialLocked{8006, "The security credential is locked."};
// The QueueTimeOutURL body is undocumented (DARAJA.md §6); handlers read a Result envelope
// with a non-zero code, so the simulator sends one with a code no ResultURL ever carries.
inline constexpr ResultOutcome kResultQueueTimeout{1037, "The request timed out in the queue."};

// The outcome of a customer who does not accept (cancelled, wrong_pin, insufficient_funds,
// timeout, no_callback). Returns nullopt for scenarios where the customer accepts.
std::optional<ResultOutcome> stk_refusal(StkScenario scenario);

// The outcome a B2C scenario forces, or nullopt when the payout goes ahead (b2c_success,
// b2c_queue_timeout, b2c_no_callback).
std::optional<ResultOutcome> b2c_refusal(B2cScenario scenario);

// One --scenario flag: "254700000001=cancelled", "254700000001=b2c_locked" or
// "default=timeout". The family follows from the name (b2c_* names are B2C scenarios).
struct ScenarioAssignment {
    std::string msisdn;  // canonical 2547…/2541…, or "default"
    std::optional<StkScenario> stk;
    std::optional<B2cScenario> b2c;
};

// Parses a --scenario flag. The MSISDN may be in any form gw::normalize_msisdn takes.
// Returns nullopt when there is no '=', the number is invalid or the name unknown.
std::optional<ScenarioAssignment> parse_scenario_flag(std::string_view text);

// Scenarios per MSISDN plus the defaults for numbers without one.
class ScenarioBook {
public:
    // Applies `assignment`; "default" sets the defaults. Unset families are left alone.
    void apply(const ScenarioAssignment& assignment);

    // Forgets the scenarios of `msisdn`, which falls back to the defaults.
    void clear(const std::string& msisdn);

    StkScenario stk_for(const std::string& msisdn) const;
    B2cScenario b2c_for(const std::string& msisdn) const;

    // {"default":{"stk":"success","b2c":"b2c_success"},"254…":{"stk":"cancelled"}}
    nlohmann::json to_json() const;

private:
    StkScenario default_stk_ = StkScenario::success;
    B2cScenario default_b2c_ = B2cScenario::b2c_success;
    std::map<std::string, StkScenario> stk_;
    std::map<std::string, B2cScenario> b2c_;
};

}  // namespace gw::sim
