#pragma once

// The customer-side limits M-Pesa applies to an accepted STK payment (DARAJA.md §8, §11.7):
// at most KES 250,000 per transaction (3), KES 500,000 per Nairobi day (4), and no repeat of
// the same amount by the same customer within two minutes (17, "Rule limited."). Pure
// functions over the completed payments, safe from any thread.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "daraja-sim/scenarios.hpp"
#include "daraja-sim/transaction.hpp"

namespace gw::sim {

inline constexpr std::int64_t kCustomerTransactionMaxKes = 250'000;
inline constexpr std::int64_t kCustomerDailyMaxKes = 500'000;
inline constexpr std::chrono::seconds kSameAmountWindow{120};

// Returns the outcome that refuses a payment of `amount_kes` by `msisdn` accepted at `now`,
// or nullopt when it may go ahead. Checks, first match wins:
//   amount above kCustomerTransactionMaxKes                                  -> 3
//   the customer's completed STK payments on now's Nairobi day + amount
//   above kCustomerDailyMaxKes (exactly 500,000 is allowed)                  -> 4
//   a completed STK payment of the same amount by the same customer finalised
//   less than kSameAmountWindow before now (119 s refused, 120 s allowed)     -> 17
// `history` may hold anything: only completed STK payments of `msisdn` count.
std::optional<ResultOutcome> customer_limit_breach(const std::vector<Transaction>& history,
                                                   std::string_view msisdn,
                                                   std::int64_t amount_kes,
                                                   TimePoint now);

}  // namespace gw::sim
