#pragma once

// The optional source-address allowlist for callbacks (DESIGN §7): Safaricom publishes the
// addresses its callbacks come from. IPv4 CIDR blocks ("196.201.212.0/24") and exact addresses
// (IPv4 or IPv6) are understood. Pure functions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gw::mpesa {

// Returns whether `entry` is a valid allowlist entry: an IPv4 address, an IPv4 CIDR block with
// a prefix of 0–32, or an IPv6 address.
bool is_valid_allowlist_entry(std::string_view entry);

// Returns whether `address` is allowed by `allowlist`. An empty allowlist allows every address.
// An unparsable address is never allowed by a non-empty list.
bool source_allowed(std::string_view address, const std::vector<std::string>& allowlist);

}  // namespace gw::mpesa
