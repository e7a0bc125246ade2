// Proves the strict JSON body rules: syntax errors are malformed_json, nesting is bounded
// (at the limit ok, one deeper refused), numbers with exponents or that a double cannot hold
// exactly are refused, a string or key holding U+0000 is refused, exact decimals and integers
// pass, and Content-Type is checked first.

#include "http/json_body.hpp"

#include <gtest/gtest.h>

namespace gw::http {
namespace {

constexpr std::size_t kDepthMax = 4;

ErrorCode code_of(std::string_view text) {
    auto parsed = parse_strict_json(text, kDepthMax);
    EXPECT_FALSE(parsed.has_value()) << text;
    return parsed ? ErrorCode::internal_error : parsed.error().code;
}

TEST(StrictJson, AcceptsObjectsWithExactNumbers) {
    auto parsed = parse_strict_json(R"({"grams": 1.25, "kes": 1500, "n": -0.5, "s": "x"})", kDepthMax);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ((*parsed)["kes"].get<int>(), 1500);
}

TEST(StrictJson, RejectsSyntaxErrors) {
    EXPECT_EQ(code_of("{"), ErrorCode::malformed_json);
    EXPECT_EQ(code_of(R"({"a":1,})"), ErrorCode::malformed_json);
    EXPECT_EQ(code_of(R"({"a":1} trailing)"), ErrorCode::malformed_json);
    EXPECT_EQ(code_of(""), ErrorCode::malformed_json);
    EXPECT_EQ(code_of(R"({"a": NaN})"), ErrorCode::malformed_json);
    EXPECT_EQ(code_of(R"({"a": +1})"), ErrorCode::malformed_json);
}

TEST(StrictJson, RejectsNulInStringsAndKeys) {
    EXPECT_EQ(code_of(R"({"s": "nul\u0000byte"})"), ErrorCode::malformed_json);
    EXPECT_EQ(code_of(R"({"k\u0000": 1})"), ErrorCode::malformed_json);
    EXPECT_EQ(code_of(R"({"a": ["\u0000"]})"), ErrorCode::malformed_json);
    EXPECT_TRUE(parse_strict_json(R"({"s": "\u0001 and \u00e9"})", kDepthMax).has_value());
}

TEST(StrictJson, RejectsExponents) {
    EXPECT_EQ(code_of(R"({"a": 1e3})"), ErrorCode::invalid_number_format);
    EXPECT_EQ(code_of(R"({"a": 1.5E-2})"), ErrorCode::invalid_number_format);
}

TEST(StrictJson, RejectsNumbersThatLoseDigits) {
    EXPECT_EQ(code_of(R"({"a": 0.10000000000000000001})"), ErrorCode::inexact_number);
    EXPECT_EQ(code_of(R"({"a": 123456789012345678901234567890})"), ErrorCode::inexact_number);
    EXPECT_EQ(code_of(R"({"a": 9007199254740993.0})"), ErrorCode::inexact_number);
}

TEST(StrictJson, AcceptsTrailingZerosAndLargeIntegers) {
    EXPECT_TRUE(parse_strict_json(R"({"a": 1.500000})", kDepthMax).has_value());
    EXPECT_TRUE(parse_strict_json(R"({"a": 9223372036854775807})", kDepthMax).has_value());
    EXPECT_TRUE(parse_strict_json(R"({"a": 0.000001})", kDepthMax).has_value());
}

TEST(StrictJson, DepthAtLimitPassesOneDeeperFails) {
    EXPECT_TRUE(parse_strict_json(R"({"a":{"b":{"c":[1]}}})", kDepthMax).has_value());
    EXPECT_EQ(code_of(R"({"a":{"b":{"c":[[1]]}}})"), ErrorCode::json_too_deep);
}

TEST(JsonRequest, RequiresJsonContentType) {
    httplib::Request request;
    request.body = R"({"a":1})";
    request.set_header("Content-Type", "text/plain");
    auto parsed = parse_json_request(request, kDepthMax);
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().code, ErrorCode::unsupported_media_type);
}

TEST(JsonRequest, AcceptsCharsetParameterAndCase) {
    httplib::Request request;
    request.body = R"({"a":1})";
    request.set_header("Content-Type", "Application/JSON; charset=utf-8");
    EXPECT_TRUE(parse_json_request(request, kDepthMax).has_value());
}

TEST(JsonRequest, RequiresAnObject) {
    httplib::Request request;
    request.body = "[1,2]";
    request.set_header("Content-Type", "application/json");
    auto parsed = parse_json_request(request, kDepthMax);
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().code, ErrorCode::malformed_json);
}

TEST(MediaType, ComparesWithoutParameters) {
    EXPECT_TRUE(has_media_type("application/json", "application/json"));
    EXPECT_TRUE(has_media_type(" application/json ; charset=UTF-8", "application/json"));
    EXPECT_FALSE(has_media_type("application/jsonx", "application/json"));
    EXPECT_FALSE(has_media_type("", "application/json"));
}

}  // namespace
}  // namespace gw::http
