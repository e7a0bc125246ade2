#pragma once

// Pure rules of the wallet reads: what a holding is worth at the sell price, and the text form
// of a ledger page cursor. No I/O; unit-tested in tests/unit/trading/wallet_test.cpp.

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/money.hpp"
#include "ledger/ledger_read_store.hpp"

namespace gw::trading {

// What `grams` would pay out if sold now at `sell_price`: rule 3 of core/rounding.hpp
// (floor to the cent, then down to whole shillings), exactly what a sale would pay.
// Returns nullopt when no price is set (`sell_price` is nullopt).
// Error: amount_too_large when the payout exceeds INT64_MAX cents.
// REQUIRES: grams.value() >= 0; sell_price, when given, > 0.
[[nodiscard]] Result<std::optional<Cents>> holding_value(Micrograms grams,
                                                         std::optional<PricePerGram> sell_price);

// The opaque text of a cursor: "<microseconds since the Unix epoch>_<transfer uuid>", e.g.
// "1764031069123456_0b7c5a0e-1b9f-4c7e-8d3a-2f6e4b1c9a70". Clients pass it back unchanged.
// REQUIRES: cursor.created_at is not before the epoch; cursor.transfer_id is a UUID.
std::string format_ledger_cursor(const ledger::LedgerCursor& cursor);

// Parses what format_ledger_cursor writes. Returns nullopt for anything else: no '_', a time
// that is not 1–19 decimal digits or beyond int64, or a transfer id that is not a canonical
// UUID. The UUID is lower-cased, so either case names the same position.
std::optional<ledger::LedgerCursor> parse_ledger_cursor(std::string_view text);

}  // namespace gw::trading
