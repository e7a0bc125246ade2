#include "trading/wallet.hpp"

#include <charconv>
#include <chrono>

#include "core/assert.hpp"
#include "core/rounding.hpp"
#include "core/uuid_text.hpp"

namespace gw::trading {
namespace {

constexpr char kCursorSeparator = '_';
constexpr std::size_t kCursorTimeDigitsMax = 19;  // INT64_MAX has 19 digits

std::string lower_case(std::string_view text) {
    std::string lowered(text);
    for (char& c : lowered) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return lowered;
}

}  // namespace

Result<std::optional<Cents>> holding_value(Micrograms grams,
                                           std::optional<PricePerGram> sell_price) {
    GW_ASSERT(grams.value() >= 0, "user accounts carry the no-overdraft flag");
    if (!sell_price) {
        return std::optional<Cents>();
    }
    auto payout = payout_for_grams(grams, *sell_price);
    if (!payout) {
        return payout.error();
    }
    return std::optional<Cents>(*payout);
}

std::string format_ledger_cursor(const ledger::LedgerCursor& cursor) {
    const std::int64_t micros = cursor.created_at.time_since_epoch().count();
    GW_ASSERT(micros >= 0, "entries are written by the clock of a running node, after 1970");
    GW_ASSERT(is_uuid(cursor.transfer_id), "transfer ids are UUIDs (the column type)");
    return std::to_string(micros) + kCursorSeparator + cursor.transfer_id;
}

std::optional<ledger::LedgerCursor> parse_ledger_cursor(std::string_view text) {
    const std::size_t separator = text.find(kCursorSeparator);
    if (separator == std::string_view::npos || separator == 0 || separator > kCursorTimeDigitsMax) {
        return std::nullopt;
    }
    const std::string_view digits = text.substr(0, separator);
    std::int64_t micros = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), micros);
    // from_chars accepts a leading '-'; a cursor never has one.
    if (ec != std::errc{} || end != digits.data() + digits.size() || digits.front() == '-') {
        return std::nullopt;
    }
    const std::string_view id = text.substr(separator + 1);
    if (!is_uuid(id)) {
        return std::nullopt;
    }
    return ledger::LedgerCursor{TimePoint(std::chrono::microseconds(micros)), lower_case(id)};
}

}  // namespace gw::trading
