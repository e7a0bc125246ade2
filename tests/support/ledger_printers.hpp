#pragma once

// Lets GoogleTest print ledger results and balances by name (it looks printers up by the name
// PrintTo). Header-only, so that the unit tests may use it without the integration support
// library.

#include <ostream>

#include "ledger/transfer.hpp"

namespace gw::ledger {

// NOLINTBEGIN(readability-identifier-naming)
inline void PrintTo(TransferResult result, std::ostream* out) {
    *out << to_string(result);
}

inline void PrintTo(const AccountBalance& b, std::ostream* out) {
    *out << "{debits pending " << b.debits_pending << ", posted " << b.debits_posted
         << "; credits pending " << b.credits_pending << ", posted " << b.credits_posted << "}";
}
// NOLINTEND(readability-identifier-naming)

}  // namespace gw::ledger
