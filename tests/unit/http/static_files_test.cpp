// Proves the web UIs' allow-list: each UI at its prefix with index.html at the directory, the
// right content types, and nothing else — no dotfiles or dot-directories, no symbolic links
// (even to a file inside the tree), no unknown types, no path that leaves the tree.

#include "http/static_files.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

namespace gw::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() /
                ("gw-static-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root_);
        write("wallet/index.html", "<!doctype html><title>wallet</title>");
        write("wallet/app.js", "export {};");
        write("wallet/style.css", "body{}");
        write("wallet/views/buy.js", "export const buy = 1;");
        write("admin/index.html", "<!doctype html><title>admin</title>");
        write("admin/app.js", "export {};");
        write("common/api.js", "export const api = 1;");
    }
    void TearDown() override { fs::remove_all(root_); }

    void write(const std::string& relative, const std::string& content) {
        const fs::path path = root_ / relative;
        fs::create_directories(path.parent_path());
        std::ofstream(path) << content;
    }

    fs::path root_;
};

TEST_F(StaticFilesTest, ServesEachUiAtItsPrefix) {
    const StaticFiles files = StaticFiles::load(root_);
    ASSERT_NE(files.find("/"), nullptr);
    EXPECT_EQ(files.find("/")->body, "<!doctype html><title>wallet</title>");
    EXPECT_EQ(files.find("/")->content_type, "text/html; charset=utf-8");
    ASSERT_NE(files.find("/admin/"), nullptr);
    EXPECT_EQ(files.find("/admin/")->body, "<!doctype html><title>admin</title>");
    ASSERT_NE(files.find("/app.js"), nullptr);
    EXPECT_EQ(files.find("/app.js")->content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(files.find("/style.css")->content_type, "text/css; charset=utf-8");
    EXPECT_EQ(files.find("/views/buy.js")->body, "export const buy = 1;");
    EXPECT_EQ(files.find("/admin/app.js")->body, "export {};");
    EXPECT_EQ(files.find("/common/api.js")->body, "export const api = 1;");
    EXPECT_EQ(files.size(), 9u);  // seven files and the two directory indexes
}

TEST_F(StaticFilesTest, EtagFollowsTheContent) {
    const StaticFiles files = StaticFiles::load(root_);
    const std::string& wallet = files.find("/app.js")->etag;
    EXPECT_EQ(wallet.front(), '"');
    EXPECT_EQ(wallet.size(), 34u);
    EXPECT_EQ(wallet, files.find("/admin/app.js")->etag);  // same bytes, same tag
    EXPECT_NE(wallet, files.find("/common/api.js")->etag);
}

TEST_F(StaticFilesTest, NeverListsHiddenFilesLinksOrUnknownTypes) {
    write("wallet/.env", "SECRET=1");
    write("wallet/.git/config.js", "secret");
    write("wallet/notes.txt", "not a web type");
    write("wallet/backup.js~", "editor backup");
    write("secrets/key.js", "outside every UI");
    fs::create_symlink(root_ / "wallet" / "app.js", root_ / "wallet" / "linked.js");
    fs::create_directory_symlink(root_ / "secrets", root_ / "wallet" / "linked-dir");
    const StaticFiles files = StaticFiles::load(root_);
    for (const char* path : {"/.env",
                             "/.git/config.js",
                             "/notes.txt",
                             "/backup.js~",
                             "/linked.js",
                             "/linked-dir/key.js",
                             "/secrets/key.js",
                             "/../secrets/key.js",
                             "/admin/../secrets/key.js",
                             "/common/../wallet/app.js",
                             "//app.js",
                             "/admin",
                             "/index.htm",
                             "/APP.JS",
                             "/app.js/",
                             "/app.js%00"}) {
        EXPECT_EQ(files.find(path), nullptr) << path;
    }
    EXPECT_EQ(files.size(), 9u);
}

TEST_F(StaticFilesTest, RefusesTwoFilesAtOnePath) {
    write("wallet/admin/index.html", "<!doctype html><title>not the console</title>");
    EXPECT_THROW(StaticFiles::load(root_), std::runtime_error);
}

TEST_F(StaticFilesTest, RefusesATreeWithoutBothIndexes) {
    fs::remove(root_ / "admin" / "index.html");
    EXPECT_THROW(StaticFiles::load(root_), std::runtime_error);
    EXPECT_THROW(StaticFiles::load(root_ / "missing"), std::runtime_error);
}

TEST(StaticContentType, KnowsOnlyWebTypes) {
    EXPECT_EQ(static_content_type("a.svg"), "image/svg+xml");
    EXPECT_EQ(static_content_type("a.png"), "image/png");
    EXPECT_EQ(static_content_type("a.json"), "");
    EXPECT_EQ(static_content_type("a.map"), "");
    EXPECT_EQ(static_content_type("Makefile"), "");
}

}  // namespace
}  // namespace gw::http
