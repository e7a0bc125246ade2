#pragma once

#include <optional>
#include <string_view>

namespace gw::ledger {

// What an account counts: gold in micrograms or Kenyan shillings in cents. A transfer moves one
// asset between two accounts of that asset.
enum class Asset { xau_ug, kes_cent };

// "XAU_UG" / "KES_CENT", as stored.
std::string_view to_string(Asset asset);
std::optional<Asset> parse_asset(std::string_view name);

}  // namespace gw::ledger
