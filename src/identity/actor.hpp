#pragma once

// Who is acting. Services take these instead of anything HTTP-shaped.

#include <string>

#include "identity/role.hpp"

namespace gw::identity {

// An authenticated caller, as established from a live session.
struct Principal {
    std::string user_id;
    Role role = Role::user;
    std::string session_id;
};

// The author of a change, for the audit log: a principal plus the request id that ties the
// change to its log lines. An empty user_id means the system (a job or the CLI).
struct Actor {
    std::string user_id;
    Role role = Role::user;
    std::string request_id;

    static Actor system(std::string request_id) { return Actor{{}, Role::admin, std::move(request_id)}; }
    static Actor of(const Principal& principal, std::string request_id) {
        return Actor{principal.user_id, principal.role, std::move(request_id)};
    }
};

}  // namespace gw::identity
