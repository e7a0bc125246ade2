// Proves the simulator's shared wire helpers: the error envelope takes its HTTP status from
// the errorCode's first group, numeric fields accept numbers and numeric strings but whole
// shillings refuse "100.00", 100.5 and 100.0, MSISDNs follow ^254[71]\d{8}$, callback URLs
// must be absolute http(s) without spaces, and decimal amounts are written as bare numbers
// with two places (never through a double).

#include "daraja-sim/wire.hpp"

#include <gtest/gtest.h>

namespace gw::sim {
namespace {

TEST(DarajaError, StatusIsTheFirstGroupOfTheCode) {
    EXPECT_EQ(daraja_error("400.002.02", "x").http_status, 400);
    EXPECT_EQ(daraja_error("404.001.03", "x").http_status, 404);
    EXPECT_EQ(daraja_error("405.001", "x").http_status, 405);
    EXPECT_EQ(daraja_error("500.001.1001", "x").http_status, 500);
    EXPECT_EQ(daraja_error("401.002.01", "x").http_status, 401);
    EXPECT_EQ(daraja_error("abc", "x").http_status, 500);
    EXPECT_EQ(daraja_error("999.1", "x").http_status, 500);
}

TEST(DarajaError, InvalidFieldWording) {
    const DarajaError error = invalid_field("Amount");
    EXPECT_EQ(error.http_status, 400);
    EXPECT_EQ(error.error_code, "400.002.02");
    EXPECT_EQ(error.error_message, "Bad Request - Invalid Amount");
}

TEST(DarajaError, EnvelopeKeysInDarajaOrder) {
    EXPECT_EQ(
        error_envelope(invalid_field("PhoneNumber"), "ab-12"),
        R"({"requestId":"ab-12","errorCode":"400.002.02","errorMessage":"Bad Request - Invalid PhoneNumber"})");
}

TEST(Fields, TextAcceptsStringsAndNonNegativeIntegers) {
    const auto body = nlohmann::json::parse(
        R"({"a":"x","b":174379,"c":-1,"d":1.5,"e":true,"f":null,"g":{},"h":""})");
    EXPECT_EQ(text_field(body, "a"), "x");
    EXPECT_EQ(text_field(body, "b"), "174379");
    EXPECT_EQ(text_field(body, "h"), "");
    for (const char* key : {"c", "d", "e", "f", "g", "missing"}) {
        EXPECT_FALSE(text_field(body, key).has_value()) << key;
    }
    EXPECT_FALSE(text_field(nlohmann::json::array(), "a").has_value());
}

TEST(Fields, TextRefusesOverlongStrings) {
    nlohmann::json body;
    body["a"] = std::string(kFieldBytesMax, 'x');
    EXPECT_TRUE(text_field(body, "a").has_value());
    body["a"] = std::string(kFieldBytesMax + 1, 'x');
    EXPECT_FALSE(text_field(body, "a").has_value());
}

TEST(Fields, WholeShillings) {
    const auto body = nlohmann::json::parse(
        R"({"n":100,"s":"100","dec":"100.00","f":100.5,"f0":100.0,"zero":0,"neg":-5,"exp":"1e3",
            "sp":" 100","big":"9999999999999","max":"999999999999","plus":"+1"})");
    EXPECT_EQ(whole_shillings_field(body, "n", 1), 100);
    EXPECT_EQ(whole_shillings_field(body, "s", 1), 100);
    EXPECT_EQ(whole_shillings_field(body, "max", 1), 999'999'999'999);
    for (const char* key : {"dec", "f", "f0", "zero", "neg", "exp", "sp", "big", "plus", "none"}) {
        EXPECT_FALSE(whole_shillings_field(body, key, 1).has_value()) << key;
    }
    EXPECT_FALSE(whole_shillings_field(body, "n", 101).has_value());
    EXPECT_EQ(whole_shillings_field(body, "n", 100), 100);
}

TEST(Fields, Msisdn) {
    EXPECT_TRUE(is_mpesa_msisdn("254708374149"));
    EXPECT_TRUE(is_mpesa_msisdn("254112345678"));
    EXPECT_FALSE(is_mpesa_msisdn("254808374149"));
    EXPECT_FALSE(is_mpesa_msisdn("0708374149"));
    EXPECT_FALSE(is_mpesa_msisdn("2547083741490"));
    EXPECT_FALSE(is_mpesa_msisdn("25470837414"));
    EXPECT_FALSE(is_mpesa_msisdn("+25470837414"));
}

TEST(Fields, CallbackUrl) {
    EXPECT_TRUE(is_callback_url("https://example.com/hooks/lnm/abc"));
    EXPECT_TRUE(is_callback_url("http://127.0.0.1:8080/cb?t=1"));
    EXPECT_TRUE(is_callback_url("https://example.com"));
    EXPECT_FALSE(is_callback_url("https://example.com/a b"));
    EXPECT_FALSE(is_callback_url("ftp://example.com/x"));
    EXPECT_FALSE(is_callback_url("example.com/x"));
    EXPECT_FALSE(is_callback_url("https:///x"));
    EXPECT_FALSE(is_callback_url("https://host:99999/x"));
    EXPECT_FALSE(is_callback_url("https://user@host/x"));
    EXPECT_FALSE(is_callback_url(""));
}

TEST(WireJson, DecimalsAreBareNumbersWithTwoPlaces) {
    WireJson document;
    document["Amount"] = decimal_number(250);
    document["Charges"] = decimal_number(-33);
    document["Plain"] = 250;
    document["Text"] = "250.00";
    EXPECT_EQ(dump_wire(document),
              R"({"Amount":250.00,"Charges":-33.00,"Plain":250,"Text":"250.00"})");
}

TEST(WireJson, ClientTextThatLooksLikeAMarkerStaysText) {
    WireJson document;
    document["Remarks"] = std::string("\x01") + "dec:not a number";
    const std::string text = dump_wire(document);
    EXPECT_EQ(nlohmann::json::parse(text)["Remarks"], std::string("\x01") + "dec:not a number");
}

TEST(WireJson, KesText) {
    EXPECT_EQ(kes_text(0), "0.00");
    EXPECT_EQ(kes_text(1500), "1500.00");
    EXPECT_EQ(kes_text(1'000'000), "1000000.00");
    EXPECT_EQ(kes_text(-33), "-33.00");
    EXPECT_EQ(kes_text(INT64_MIN), "-9223372036854775808.00");
}

}  // namespace
}  // namespace gw::sim
