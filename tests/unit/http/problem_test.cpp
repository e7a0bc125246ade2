// Proves every ErrorCode has a status and title, that the problem body has the RFC 9457
// members plus our stable code and the request id, and how bare transport statuses map.

#include "http/problem.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace gw::http {
namespace {

TEST(Problem, BodyCarriesCodeStatusAndRequestId) {
    httplib::Response response;
    write_problem(response, Error{ErrorCode::payload_too_large, "body over 1 MiB"}, "req-1");
    EXPECT_EQ(response.status, 413);
    EXPECT_EQ(response.get_header_value("Content-Type"), "application/problem+json");
    const auto body = nlohmann::json::parse(response.body);
    EXPECT_EQ(body["code"], "payload_too_large");
    EXPECT_EQ(body["status"], 413);
    EXPECT_EQ(body["title"], "Request body too large");
    EXPECT_EQ(body["detail"], "body over 1 MiB");
    EXPECT_EQ(body["request_id"], "req-1");
    EXPECT_EQ(body["type"], "/problems/payload_too_large");
}

TEST(Problem, EveryCodeHasStatusTitleAndName) {
    for (int raw = 0; raw <= static_cast<int>(kLastErrorCode); ++raw) {
        const auto code = static_cast<ErrorCode>(raw);
        const int status = http_status(code);
        EXPECT_GE(status, 400) << raw;
        EXPECT_LE(status, 599) << raw;
        EXPECT_FALSE(title(code).empty()) << raw;
        EXPECT_FALSE(to_string(code).empty()) << raw;
    }
}

TEST(Problem, InternalErrorHasNoDetailMember) {
    httplib::Response response;
    write_problem(response, Error{ErrorCode::internal_error, {}}, "r");
    EXPECT_FALSE(nlohmann::json::parse(response.body).contains("detail"));
    EXPECT_EQ(response.status, 500);
}

TEST(Problem, TransportStatusesMapToCodes) {
    EXPECT_EQ(error_code_for_status(404), ErrorCode::not_found);
    EXPECT_EQ(error_code_for_status(413), ErrorCode::payload_too_large);
    EXPECT_EQ(error_code_for_status(414), ErrorCode::request_too_large);
    EXPECT_EQ(error_code_for_status(400), ErrorCode::validation_failed);
    EXPECT_EQ(error_code_for_status(500), ErrorCode::internal_error);
}

}  // namespace
}  // namespace gw::http

namespace gw::http {
namespace {

// docs/errors.md is the public list of codes; a code missing there is a documentation bug.
TEST(Problem, EveryCodeIsDocumented) {
    std::ifstream file(GW_SOURCE_DIR "/docs/errors.md");
    ASSERT_TRUE(file.good());
    const std::string text{std::istreambuf_iterator<char>(file), {}};
    for (int raw = 0; raw <= static_cast<int>(kLastErrorCode); ++raw) {
        const std::string name(to_string(static_cast<ErrorCode>(raw)));
        EXPECT_NE(text.find("`" + name + "`"), std::string::npos) << name;
    }
}

}  // namespace
}  // namespace gw::http
