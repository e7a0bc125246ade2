#pragma once

// The simulated customers: a stable registered name per MSISDN (for B2C ReceiverPartyPublicName,
// Transaction Status party names and the statement), and the masking the simulator applies to
// phone numbers wherever it shows them (statement, logs). Pure functions, safe from any thread.

#include <string>
#include <string_view>

namespace gw::sim {

// Returns an upper-case "FIRST LAST" chosen by the digits of `msisdn`, the same for the same
// number in every run ("JANE DOE" for the sandbox test number 254708374149).
std::string customer_name(std::string_view msisdn);

// Returns "2547******149": the first 4 and last 3 characters around six '*', the way the org
// portal masks payers. Text of 7 characters or fewer becomes all '*'.
std::string mask_phone(std::string_view msisdn);

// Returns `text` with every run of 9 or more ASCII digits masked by mask_phone, so request
// paths such as /sim/scenarios/254708374149 or a CheckoutRequestID can be logged (STYLE 15).
std::string mask_digit_runs(std::string_view text);

}  // namespace gw::sim
