#pragma once

#include <optional>
#include <string_view>

namespace gw::identity {

// Where a user stands in KYC review. New accounts are `pending` until a reviewer decides.
enum class KycStatus { pending, verified, rejected };

std::string_view to_string(KycStatus status);
std::optional<KycStatus> parse_kyc_status(std::string_view name);

}  // namespace gw::identity
