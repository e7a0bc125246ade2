#pragma once

// The route table. Patterns are literal segments and `{name}` parameters
// ("/pools/{id}/topup"). The router knows which methods exist for a path, so an unknown method
// on a known path is 405 with an Allow header rather than 404. Immutable after start-up and
// safe to read from every worker thread.

#include <functional>
#include <httplib.h>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "identity/actor.hpp"

namespace gw::http {

// What a route expects as its body. JSON routes get Content-Type and syntax checked (415/400)
// before the handler runs, and receive the parsed object. CSV routes (statement files) get
// Content-Type text/csv checked (415) and the upload size limit; the handler reads the text.
enum class BodyKind { none, json, multipart, csv };

// Who may call a route. Checked before the body is read: 401 without a live session, 403 when
// the caller's role is not among `roles`.
struct Access {
    enum class Kind { anyone, signed_in, roles };
    Kind kind = Kind::anyone;
    std::vector<identity::Role> roles;

    static Access anyone() { return {}; }
    static Access signed_in() { return {Kind::signed_in, {}}; }
    static Access only(std::vector<identity::Role> allowed) { return {Kind::roles, std::move(allowed)}; }
};

struct RouteRequest {
    const httplib::Request& http;
    const std::map<std::string, std::string>& path_params;
    const nlohmann::json& json;  // the parsed body of a BodyKind::json route, else null
    std::string_view request_id;
    const identity::Principal* principal;  // set on routes that require a session

    // Returns the caller. REQUIRES: the route's access is not Access::anyone().
    const identity::Principal& caller() const { return *principal; }

    // Returns the path parameter `name`. REQUIRES: the route pattern declares it.
    const std::string& param(const std::string& name) const { return path_params.at(name); }
};

using Handler = std::function<void(const RouteRequest&, httplib::Response&)>;

struct Route {
    std::string method;   // "GET", "POST", …
    std::string pattern;  // "/pools/{id}"
    BodyKind body = BodyKind::none;
    Handler handler;
    Access access;
};

class Router {
public:
    // Registers a route. REQUIRES: no route with the same method and pattern exists.
    void add(std::string method,
             std::string pattern,
             BodyKind body,
             Handler handler,
             Access access = Access::anyone());

    enum class Outcome { found, not_found, method_not_allowed };
    struct Match {
        Outcome outcome = Outcome::not_found;
        const Route* route = nullptr;                // set when found
        std::map<std::string, std::string> params;   // set when found
        std::vector<std::string> allowed_methods;    // set when method_not_allowed
    };

    // Finds the route for `method` and `path` (HEAD matches GET routes).
    Match match(std::string_view method, std::string_view path) const;

    const std::vector<Route>& routes() const { return routes_; }

private:
    std::vector<Route> routes_;
};

}  // namespace gw::http
