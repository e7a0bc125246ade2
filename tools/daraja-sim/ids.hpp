#pragma once

// Every identifier the simulator hands out: MerchantRequestID, CheckoutRequestID, M-Pesa
// receipts, ConversationIDs, generated OriginatorConversationIDs, error requestIds and OAuth
// tokens. All come from one counter-based generator seeded by --seed, so a run is reproducible
// and a restart with a saved counter (the state file) never reissues a receipt.
// Not thread-safe: the simulator calls it under its state mutex.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace gw::sim {

class IdGenerator {
public:
    explicit IdGenerator(std::uint64_t seed, std::uint64_t counter = 0)
        : seed_(seed), counter_(counter) {}

    // How many random words were drawn so far; with the seed it is the whole state.
    std::uint64_t counter() const { return counter_; }

    // "6a1f-4c2d-8e3b-90f7d2a1c5e81234": four hex, four hex, four hex, twelve hex, four
    // digits, as in DARAJA.md §3. Also the shape of error envelopes' requestId.
    std::string merchant_request_id();

    // "ws_CO_" + ddMMyyyyHHmmss (Nairobi) + 3 digits + the last 9 digits of `msisdn`.
    // REQUIRES: msisdn has at least 9 characters (callers pass a validated MSISDN).
    std::string checkout_request_id(TimePoint now, std::string_view msisdn);

    // Ten upper-case alphanumerics. Like production receipts, the first letter tracks the
    // Nairobi year (L = 2017 … T = 2025, clamped to A..Z) and the second the month (A = Jan …
    // L = Dec), so receipts sort roughly by date (DARAJA.md §10).
    std::string receipt(TimePoint now);

    // "AG_" + yyyyMMdd (Nairobi) + "_" + 20 lower-case hex digits.
    std::string conversation_id(TimePoint now);

    // "12345-12345678-1": the shape Daraja generates for callers that send none (B2C v1).
    std::string originator_conversation_id();

    // 28 characters from [A-Za-z0-9], like Daraja's access tokens.
    std::string access_token();

private:
    std::uint64_t next();
    std::string hex(std::size_t count);
    std::string digits(std::size_t count);

    std::uint64_t seed_;
    std::uint64_t counter_;
};

}  // namespace gw::sim
