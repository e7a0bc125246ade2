#include "identity/role.hpp"

namespace gw::identity {

std::string_view to_string(Role role) {
    switch (role) {
        case Role::user: return "user";
        case Role::admin: return "admin";
        case Role::kyc_reviewer: return "kyc_reviewer";
        case Role::treasury: return "treasury";
    }
    return "user";
}

std::optional<Role> parse_role(std::string_view name) {
    for (Role role : {Role::user, Role::admin, Role::kyc_reviewer, Role::treasury}) {
        if (to_string(role) == name) {
            return role;
        }
    }
    return std::nullopt;
}

bool is_staff(Role role) { return role != Role::user; }

}  // namespace gw::identity
