// Proves the router's matching rules: literal and {param} segments, HEAD served by GET routes,
// 404 versus 405 (with the allowed methods), and that no pattern matches a neighbour's path.

#include "http/router.hpp"

#include <gtest/gtest.h>

namespace gw::http {
namespace {

Router sample_router() {
    Router router;
    const Handler noop = [](const RouteRequest&, httplib::Response&) {};
    router.add("GET", "/pools", BodyKind::none, noop);
    router.add("POST", "/pools", BodyKind::json, noop);
    router.add("GET", "/pools/{id}", BodyKind::none, noop);
    router.add("POST", "/pools/{id}/topup", BodyKind::json, noop);
    return router;
}

TEST(Router, MatchesLiteralRoute) {
    const Router router = sample_router();
    const auto match = router.match("GET", "/pools");
    ASSERT_EQ(match.outcome, Router::Outcome::found);
    EXPECT_EQ(match.route->pattern, "/pools");
    EXPECT_TRUE(match.params.empty());
}

TEST(Router, ExtractsPathParameters) {
    const Router router = sample_router();
    const auto match = router.match("POST", "/pools/7f3a/topup");
    ASSERT_EQ(match.outcome, Router::Outcome::found);
    EXPECT_EQ(match.route->pattern, "/pools/{id}/topup");
    EXPECT_EQ(match.params.at("id"), "7f3a");
}

TEST(Router, HeadIsServedByGetRoutes) {
    const Router router = sample_router();
    EXPECT_EQ(router.match("HEAD", "/pools/1").outcome, Router::Outcome::found);
}

TEST(Router, UnknownPathIsNotFound) {
    const Router router = sample_router();
    EXPECT_EQ(router.match("GET", "/nope").outcome, Router::Outcome::not_found);
    EXPECT_EQ(router.match("GET", "/pools/1/topup/extra").outcome, Router::Outcome::not_found);
    EXPECT_EQ(router.match("GET", "").outcome, Router::Outcome::not_found);
    EXPECT_EQ(router.match("GET", "pools").outcome, Router::Outcome::not_found);
}

TEST(Router, EmptyParameterSegmentDoesNotMatch) {
    const Router router = sample_router();
    EXPECT_EQ(router.match("GET", "/pools/").outcome, Router::Outcome::not_found);
    EXPECT_EQ(router.match("POST", "/pools//topup").outcome, Router::Outcome::not_found);
}

TEST(Router, KnownPathWithOtherMethodIsMethodNotAllowed) {
    const Router router = sample_router();
    const auto match = router.match("DELETE", "/pools");
    ASSERT_EQ(match.outcome, Router::Outcome::method_not_allowed);
    EXPECT_EQ(match.allowed_methods, (std::vector<std::string>{"GET", "POST"}));
    EXPECT_EQ(match.route, nullptr);
}

}  // namespace
}  // namespace gw::http
