#pragma once

// Kenyan mobile numbers (MSISDNs) as M-Pesa wants them: twelve digits, "2547XXXXXXXX" or
// "2541XXXXXXXX" (DARAJA.md §10). Every phone number that enters the system goes through
// normalize_msisdn once, at the edge, so stores, the blind index and Daraja requests all see
// the same canonical form. Pure functions: no I/O, no state, safe from any thread.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace gw {

// The longest text normalize_msisdn looks at. "+254 712 345 678" is 16 bytes; 32 leaves room
// for odd spacing while bounding the work done on hostile input.
inline constexpr std::size_t kMsisdnTextBytesMax = 32;

// Returns the canonical 12-digit form ("254712345678") of a Kenyan mobile number written as
//   "0712345678" / "0112345678"       (10 digits, national form),
//   "712345678" / "112345678"         (9 digits, no trunk prefix),
//   "254712345678", "+254712345678"   (international form).
// ASCII spaces anywhere are ignored ("0712 345 678", "+254 712 345 678"), because that is how
// people copy numbers from their phones. A '+' is accepted only as the first non-space
// character and only in front of 254: a '+' announces a country code, so "+0712345678" is not
// a Kenyan number we can trust and is rejected rather than guessed at.
// Errors: ErrorCode::invalid_phone for anything else: empty or all spaces, longer than
//   kMsisdnTextBytesMax bytes, tabs/newlines or any other whitespace, dashes, dots, brackets,
//   letters, a misplaced '+', a wrong number of digits, or a result that does not match
//   ^254[71]\d{8}$ (e.g. "0812345678", "254812345678", Tanzania's "255712345678").
//   The detail never echoes the input (phone numbers are personal data, STYLE 15).
[[nodiscard]] Result<std::string> normalize_msisdn(std::string_view text);

// Returns `normalized` with everything but the first 4 and last 2 characters replaced by '*':
// "254712345678" -> "2547******78". Safe to log and to show to support staff.
// REQUIRES: `normalized` came from normalize_msisdn. Other input is still masked (never
// echoed): text of 6 bytes or fewer comes back as all '*' of the same length.
std::string mask_msisdn(std::string_view normalized);

}  // namespace gw
