#include "ledger/asset.hpp"

namespace gw::ledger {

std::string_view to_string(Asset asset) {
    switch (asset) {
        case Asset::xau_ug: return "XAU_UG";
        case Asset::kes_cent: return "KES_CENT";
    }
    return "XAU_UG";
}

std::optional<Asset> parse_asset(std::string_view name) {
    if (name == "XAU_UG") {
        return Asset::xau_ug;
    }
    if (name == "KES_CENT") {
        return Asset::kes_cent;
    }
    return std::nullopt;
}

}  // namespace gw::ledger
