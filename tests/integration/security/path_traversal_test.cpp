// Path traversal in every file name and path the API takes. Proves: a KYC upload's file name
// (../, ..\, absolute, drive letters, encoded dots, NUL, quotes, 4 KiB) never becomes a path:
// each file lands directly in the node's KYC directory under "<document id>.bin" and nowhere
// else; doc_type is an allow-list, not a path; document and user ids that are not UUIDs
// ("..%2F..", "%2e%2e", "<id>%00", "<id>/../<id>" …) are 404 with no document view audited;
// an M-Pesa statement's file_name (dot segments, slashes, NUL, invalid UTF-8) is only text,
// stored as given or refused, never a path and never a 500; and static
// file paths with dot segments, encoded slashes and backslashes, overlong UTF-8 and NUL are
// 404 whatever the spelling.

#include <filesystem>
#include <memory>
#include <regex>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/time_text.hpp"
#include "security_support.hpp"
#include "support/identity_helpers.hpp"

namespace gw::test::security {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A marker unique to this process, so a file escaping the KYC directory can be looked for.
std::string marker(const std::string& tag) {
    return "gw-traversal-" + std::to_string(::getpid()) + "-" + tag;
}

// What the suite's tests share, built by SetUpTestSuite and torn down after the last one.
struct SuiteState {
    std::unique_ptr<RunningApp> app;
    std::string admin;
    std::string customer_token;
    std::string customer_id;
};

SuiteState& suite() {
    static SuiteState state;
    return state;
}

class PathTraversal : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        suite().app = std::make_unique<RunningApp>();
        suite().admin =
            staff_login(*suite().app, "admin", identity::Role::admin).at("access_token");
        const json customer = register_and_login(*suite().app, "customer");
        suite().customer_token = customer.at("access_token");
        suite().customer_id = customer.at("user_id");
    }
    static void TearDownTestSuite() { suite().app.reset(); }

    static RunningApp& app() { return *suite().app; }
    static std::string token() { return suite().customer_token; }
    static std::string user_id() { return suite().customer_id; }

    // Every place a name containing `tag` could have escaped to.
    static std::vector<fs::path> escapes(const std::string& tag) {
        const fs::path kyc = app().kyc_dir();
        return {kyc.parent_path() / marker(tag),
                kyc.parent_path().parent_path() / marker(tag),
                fs::temp_directory_path() / marker(tag),
                fs::current_path() / marker(tag),
                fs::current_path().parent_path() / marker(tag),
                fs::path("/") / marker(tag)};
    }
};

TEST_F(PathTraversal, KycFileNamesNeverBecomePaths) {
    const std::vector<std::string> names = {"../../" + marker("a"),
                                            "..\\..\\" + marker("b"),
                                            "/tmp/" + marker("c"),
                                            "C:\\Windows\\" + marker("d"),
                                            "....//....//" + marker("e"),
                                            "%2e%2e%2f%2e%2e%2f" + marker("f"),
                                            marker("g") + std::string(1, '\0') + ".png",
                                            marker("h") + "/../../../x",
                                            ".htaccess",
                                            "",
                                            "a\"; name=\"doc_type",
                                            std::string(4096, 'n'),
                                            "..\xE2\x88\x95" + marker("i"),
                                            "../" + marker("j") + "/",
                                            "~/" + marker("k")};
    const std::vector<std::string> types = {"id_front", "id_back", "selfie"};
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto stored =
            send(app(), kyc_upload_call(types[i % 3], png_bytes(), names[i]), token());
        EXPECT_TRUE(stored.status == 201 || stored.status == 400)
            << names[i].substr(0, 60) << ": " << stored.raw;
        EXPECT_EQ(stored.raw.find("gw-traversal"), std::string::npos) << "the name is never echoed";
    }
    const std::regex stored_name(
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.bin");
    const auto files = files_under(app().kyc_dir());
    ASSERT_GE(files.size(), names.size() - 2) << "the uploads were stored";
    EXPECT_EQ(std::to_string(files.size()), app().query("SELECT count(*) FROM kyc_documents"));
    for (const auto& [path, bytes] : files) {
        const fs::path file(path);
        EXPECT_EQ(file.parent_path(), app().kyc_dir()) << path;
        EXPECT_TRUE(std::regex_match(file.filename().string(), stored_name)) << path;
        EXPECT_EQ(app().query("SELECT count(*) FROM kyc_documents WHERE storage_key || '.bin' = '" +
                              file.filename().string() +
                              "' AND storage_key = id::text AND user_id = '" + user_id() + "'"),
                  "1")
            << path;
    }
    for (const char* tag : {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}) {
        for (const fs::path& escape : escapes(tag)) {
            EXPECT_FALSE(fs::exists(escape)) << escape;
        }
    }
    EXPECT_FALSE(fs::exists(app().kyc_dir().parent_path() / "x"));
}

TEST_F(PathTraversal, DocTypeIsAnAllowListNotAPath) {
    const auto before = app().query("SELECT count(*) FROM kyc_documents");
    const auto files_before = files_under(app().kyc_dir()).size();
    for (const std::string& doc_type : {std::string("../id_front"),
                                        std::string("id_front/../../x"),
                                        std::string("id_front\0", 9),
                                        std::string("selfie.bin"),
                                        std::string("/etc/passwd"),
                                        std::string("..\\selfie"),
                                        std::string("ID_FRONT"),
                                        std::string(" selfie")}) {
        expect_problem(send(app(), kyc_upload_call(doc_type, png_bytes(), "a.png"), token()),
                       400,
                       "validation_failed",
                       "doc_type " + doc_type);
    }
    EXPECT_EQ(app().query("SELECT count(*) FROM kyc_documents"), before);
    EXPECT_EQ(files_under(app().kyc_dir()).size(), files_before);
}

TEST_F(PathTraversal, DocumentAndUserIdsThatAreNotUuidsAre404) {
    const auto uploaded = upload_kyc(app(), token(), "selfie", png_bytes());
    ASSERT_EQ(uploaded.status, 201) << uploaded.raw;
    const std::string doc = uploaded.body.at("id");
    const std::string user = user_id();
    const std::string prefix = "/admin/kyc/" + user + "/documents/";
    const auto genuine = send_raw(app(), raw_get(prefix + doc, suite().admin));
    ASSERT_EQ(genuine.status, 200) << "control";
    EXPECT_EQ(genuine.raw, png_bytes());
    const auto views =
        app().query("SELECT count(*) FROM audit_log WHERE action = 'kyc.document.view'");
    const std::vector<std::string> targets = {
        prefix + "..%2F..",
        prefix + "..%2f..%2f..%2fetc%2fpasswd",
        prefix + "%2e%2e",
        prefix + "..",
        prefix + ".",
        prefix + doc + "%2F..",
        prefix + doc + "/../" + doc,
        prefix + doc + "%00",
        prefix + doc + ".bin",
        prefix + doc + "%20",
        prefix + "%2e%2e%2f" + doc,
        prefix + "....%2F%2F",
        prefix + "..%5c..%5cx",
        prefix + doc + "%2F",
        prefix + "..%252F..",
        "/admin/kyc/../documents/" + doc,
        "/admin/kyc/%2e%2e/documents/" + doc,
        "/admin/kyc/" + user + "%2F../documents/" + doc,
        "/admin/kyc/" + user + "%00/documents/" + doc,
        "/admin/kyc/" + user + "/documents/" + doc + "/..",
        "/admin/kyc/" + user + "/documents/../documents/" + doc};
    for (const std::string& target : targets) {
        const auto answer = send_raw(app(), raw_get(target, suite().admin));
        EXPECT_TRUE(answer.status == 404 || answer.status == 400)
            << target << ": " << answer.status << " " << answer.raw;
        EXPECT_EQ(header_of(answer, "Content-Type"), "application/problem+json") << target;
        EXPECT_EQ(answer.raw.find("PNG"), std::string::npos) << target;
    }
    EXPECT_EQ(app().query("SELECT count(*) FROM audit_log WHERE action = 'kyc.document.view'"),
              views);
}

// On the shared world, whose simulator writes the statements.
TEST(PathTraversalStatements, AStatementsFileNameIsOnlyText) {
    SecurityWorld& world = shared_world();
    const std::vector<std::pair<std::string, std::string>> names = {
        {"..%2F..%2F" + marker("s1") + ".csv", "../../" + marker("s1") + ".csv"},
        {"%2Fetc%2F" + marker("s2"), "/etc/" + marker("s2")},
        {"..%5C..%5C" + marker("s3"), "..\\..\\" + marker("s3")},
        {"%2e%2e%2f" + marker("s4"), "../" + marker("s4")},
        {marker("s5") + "%00.csv", marker("s5") + std::string(1, '\0') + ".csv"},
        {marker("s6") + "%FF%FE.csv", marker("s6") + "\xFF\xFE.csv"}};
    auto day = parse_iso_day("2026-10-01");
    ASSERT_TRUE(day.has_value());
    for (const auto& [encoded, name] : names) {
        *day +=
            std::chrono::days(1);  // a new file each time: the same file again is not stored again
        const auto file = world.trade.simulator().statement_csv("174379", *day, *day);
        ASSERT_TRUE(file.has_value());
        const Call call{"POST",
                        "/admin/reconciliation/statements?shortcode=174379&file_name=" + encoded,
                        file->csv,
                        "text/csv",
                        {}};
        const auto imported = send_raw(world.app(),
                                       raw_request(call.method,
                                                   call.path,
                                                   call.body,
                                                   call.content_type,
                                                   {{"Authorization", "Bearer " + world.admin}}));
        EXPECT_TRUE(imported.status == 201 || imported.status == 400)
            << encoded << ": " << imported.raw;
        if (imported.status == 201) {
            EXPECT_EQ(
                world.app().query(
                    "SELECT encode(convert_to(file_name, 'UTF8'), 'hex') FROM mpesa_statements "
                    "WHERE id = '" +
                    imported.body.value("statement_id", "") + "'"),
                hex_of(name))
                << "stored as given: " << encoded;
        }
    }
    // Names are kept to 255 bytes; a cut through a two-byte character must not make bad text.
    *day += std::chrono::days(1);
    const auto file = world.trade.simulator().statement_csv("174379", *day, *day);
    ASSERT_TRUE(file.has_value());
    const auto long_name =
        send_raw(world.app(),
                 raw_request("POST",
                             "/admin/reconciliation/statements?shortcode=174379&file_name=" +
                                 std::string(254, 'n') + "%C3%A9.csv",
                             file->csv,
                             "text/csv",
                             {{"Authorization", "Bearer " + world.admin}}));
    EXPECT_TRUE(long_name.status == 201 || long_name.status == 400) << long_name.raw;
    for (const char* tag : {"s1", "s2", "s3", "s4", "s5", "s6"}) {
        for (const fs::path& place : {fs::current_path() / marker(tag),
                                      fs::current_path().parent_path() / marker(tag),
                                      fs::path("/etc") / marker(tag),
                                      world.app().kyc_dir() / marker(tag)}) {
            EXPECT_FALSE(fs::exists(place)) << place;
        }
    }
}

TEST_F(PathTraversal, StaticPathsOutsideTheAllowListAre404WhateverTheSpelling) {
    ASSERT_EQ(send_raw(app(), raw_get("/")).status, 200) << "control: the wallet is served";
    for (const char* target : {"/%2e%2e/%2e%2e/etc/passwd",
                               "/..%2f..%2fREADME.md",
                               "/admin/%2e%2e/%2e%2e/Makefile",
                               "/..%5c..%5cREADME.md",
                               "/%c0%ae%c0%ae/README.md",
                               "/%c0%af..%c0%afREADME.md",
                               "/index.html%00.js",
                               "//etc/passwd",
                               "/admin//../../README.md",
                               "/common/%2e%2e%2f%2e%2e%2fCMakeLists.txt",
                               "/./index.html",
                               "/admin/./index.html",
                               "/index.html/.",
                               "/%2fetc%2fpasswd",
                               "/../../../../../../etc/passwd",
                               "/.git/config",
                               "/admin/..;/README.md",
                               "/web/admin/index.html",
                               "/INDEX.HTML",
                               "/index.html~",
                               "/admin/index.html.bak",
                               "/%252e%252e/README.md",
                               "/..\\..\\README.md"}) {
        const auto answer = send_raw(app(), raw_get(target));
        EXPECT_TRUE(answer.status == 404 || answer.status == 400)
            << target << ": " << answer.status;
        EXPECT_EQ(header_of(answer, "Content-Type"), "application/problem+json") << target;
        for (const char* leaked : {"root:", "cmake_minimum_required", "[core]", "<html"}) {
            EXPECT_EQ(answer.raw.find(leaked), std::string::npos) << target;
        }
    }
}

}  // namespace
}  // namespace gw::test::security
