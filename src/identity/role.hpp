#pragma once

#include <optional>
#include <string_view>

namespace gw::identity {

// What a user may do. `user` owns a wallet; the others work in the admin console:
// `admin` everything, `kyc_reviewer` KYC review only, `treasury` payouts and reconciliation.
enum class Role { user, admin, kyc_reviewer, treasury };

// Returns the wire name ("kyc_reviewer").
std::string_view to_string(Role role);

// Returns the role named `name`, or nullopt when there is none.
std::optional<Role> parse_role(std::string_view name);

// True for the roles that use the admin console (everything but `user`).
bool is_staff(Role role);

}  // namespace gw::identity
