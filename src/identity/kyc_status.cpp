#include "identity/kyc_status.hpp"

namespace gw::identity {

std::string_view to_string(KycStatus status) {
    switch (status) {
        case KycStatus::pending: return "pending";
        case KycStatus::verified: return "verified";
        case KycStatus::rejected: return "rejected";
    }
    return "pending";
}

std::optional<KycStatus> parse_kyc_status(std::string_view name) {
    for (KycStatus status : {KycStatus::pending, KycStatus::verified, KycStatus::rejected}) {
        if (to_string(status) == name) {
            return status;
        }
    }
    return std::nullopt;
}

}  // namespace gw::identity
