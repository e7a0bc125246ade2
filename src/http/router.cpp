#include "http/router.hpp"

#include <algorithm>

#include "core/assert.hpp"

namespace gw::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> segments;
    std::size_t start = 1;  // paths start with '/'
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) {
            end = path.size();
        }
        segments.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return segments;
}

bool is_parameter(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Matches one pattern against one path, filling `params` on success.
bool match_pattern(std::string_view pattern, std::string_view path,
                   std::map<std::string, std::string>& params) {
    if (path.empty() || path.front() != '/') {
        return false;
    }
    const auto pattern_segments = split_path(pattern);
    const auto path_segments = split_path(path);
    if (pattern_segments.size() != path_segments.size()) {
        return false;
    }
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < pattern_segments.size(); ++i) {
        const std::string_view expected = pattern_segments[i];
        const std::string_view actual = path_segments[i];
        if (is_parameter(expected)) {
            if (actual.empty()) {
                return false;
            }
            found[std::string(expected.substr(1, expected.size() - 2))] = std::string(actual);
        } else if (expected != actual) {
            return false;
        }
    }
    params = std::move(found);
    return true;
}

}  // namespace

void Router::add(std::string method, std::string pattern, BodyKind body, Handler handler,
                 Access access) {
    for (const Route& route : routes_) {
        GW_ASSERT(route.method != method || route.pattern != pattern,
                  "each method and pattern is registered once");
    }
    routes_.push_back(
        Route{std::move(method), std::move(pattern), body, std::move(handler), std::move(access)});
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
    const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
    Match result;
    for (const Route& route : routes_) {
        std::map<std::string, std::string> params;
        if (!match_pattern(route.pattern, path, params)) {
            continue;
        }
        if (route.method == wanted) {
            result.outcome = Outcome::found;
            result.route = &route;
            result.params = std::move(params);
            result.allowed_methods.clear();
            return result;
        }
        result.outcome = Outcome::method_not_allowed;
        if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(),
                      route.method) == result.allowed_methods.end()) {
            result.allowed_methods.push_back(route.method);
        }
    }
    return result;
}

}  // namespace gw::http
