// Proves the loopback-only rule and the helpers around it: URLs parse into scheme, host, port
// and target (IPv6 in brackets); only 127.0.0.0/8, ::1 and localhost count as loopback, so
// callbacks to any other host are refused without contact; paths shown by /sim drop the query;
// base64 round-trips and rejects malformed text; phone numbers are masked in statements and
// logs.

#include "daraja-sim/url.hpp"

#include <gtest/gtest.h>

#include "daraja-sim/base64.hpp"
#include "daraja-sim/callbacks.hpp"
#include "daraja-sim/customers.hpp"

namespace gw::sim {
namespace {

TEST(Url, Parses) {
    const auto url = parse_url("http://127.0.0.1:8080/hooks/lnm/abc?x=1#frag");
    ASSERT_TRUE(url.has_value());
    EXPECT_EQ(url->scheme, "http");
    EXPECT_EQ(url->host, "127.0.0.1");
    EXPECT_EQ(url->port, 8080);
    EXPECT_EQ(url->target, "/hooks/lnm/abc?x=1");
    const auto v6 = parse_url("https://[::1]/cb");
    ASSERT_TRUE(v6.has_value());
    EXPECT_EQ(v6->host, "::1");
    EXPECT_EQ(v6->port, 443);
    EXPECT_EQ(parse_url("http://localhost")->target, "/");
    EXPECT_FALSE(parse_url("http://:80/x").has_value());
    EXPECT_FALSE(parse_url("http://host:0/x").has_value());
    EXPECT_FALSE(parse_url("http://a@host/x").has_value());
    EXPECT_FALSE(parse_url("mailto:x@y").has_value());
}

TEST(Url, Loopback) {
    EXPECT_TRUE(is_loopback_host("127.0.0.1"));
    EXPECT_TRUE(is_loopback_host("127.255.1.2"));
    EXPECT_TRUE(is_loopback_host("localhost"));
    EXPECT_TRUE(is_loopback_host("LocalHost"));
    EXPECT_TRUE(is_loopback_host("::1"));
    EXPECT_FALSE(is_loopback_host("127.0.0.1.example.com"));
    EXPECT_FALSE(is_loopback_host("127.0.0"));
    EXPECT_FALSE(is_loopback_host("127.0.0.256"));
    EXPECT_FALSE(is_loopback_host("128.0.0.1"));
    EXPECT_FALSE(is_loopback_host("196.201.212.69"));
    EXPECT_FALSE(is_loopback_host("example.com"));
    EXPECT_FALSE(is_loopback_host("::2"));
}

TEST(Url, DeliveryRefusal) {
    EXPECT_EQ(delivery_refusal("http://127.0.0.1:9/cb"), "");
    EXPECT_EQ(delivery_refusal("https://localhost/cb"), "");
    EXPECT_EQ(delivery_refusal("https://example.com/cb"), "refused: not a loopback host");
    EXPECT_EQ(delivery_refusal("https://10.0.0.1/cb"), "refused: not a loopback host");
    EXPECT_EQ(delivery_refusal("gopher://127.0.0.1/cb"), "refused: not an http(s) URL");
}

TEST(Url, PathOnly) {
    EXPECT_EQ(url_path("https://example.com/hooks/lnm/t0k3n?secret=1"), "/hooks/lnm/t0k3n");
    EXPECT_EQ(url_path("nonsense"), "");
}

TEST(Base64, RoundTripAndRejects) {
    for (std::string_view text : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
        EXPECT_EQ(base64_decode(base64_encode(text)), std::string(text));
    }
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_FALSE(base64_decode("Zm9").has_value());
    EXPECT_FALSE(base64_decode("Zm=v").has_value());
    EXPECT_FALSE(base64_decode("Z===").has_value());
    EXPECT_FALSE(base64_decode("Zm8*").has_value());
}

TEST(Customers, MaskingAndNames) {
    EXPECT_EQ(mask_phone("254708374149"), "2547******149");
    EXPECT_EQ(mask_phone("1234567"), "*******");
    EXPECT_EQ(mask_digit_runs("/sim/scenarios/254708374149"), "/sim/scenarios/2547******149");
    EXPECT_EQ(mask_digit_runs("/sim/stk/ws_CO_01032025143006512708374149/accept"),
              "/sim/stk/ws_CO_0103******149/accept");
    EXPECT_EQ(mask_digit_runs("/mpesa/b2c/v3/paymentrequest"), "/mpesa/b2c/v3/paymentrequest");
    EXPECT_EQ(customer_name("254708374149"), "JANE DOE");
    EXPECT_EQ(customer_name("254711111111"), customer_name("254711111111"));
}

}  // namespace
}  // namespace gw::sim
