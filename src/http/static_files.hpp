#pragma once

// The web UIs' files (web/ in the repository), served by the server itself. An allow-list read
// once at start-up: every regular file with a known type under
//   <root>/wallet  served at /          (index.html at "/")
//   <root>/admin   served at /admin/    (index.html at "/admin/")
//   <root>/common  served at /common/
// and nothing else. Dotfiles, symbolic links and files of other types are never listed, so
// there is no path to resolve at request time: "..", encoded slashes or a hidden file simply
// are not keys of the table (userver's static_service rule: a hidden file is 404).

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace gw::http {

struct StaticFile {
    std::string content_type;
    std::string body;
    std::string etag;  // quoted strong validator: a hash of the body
};

class StaticFiles {
public:
    StaticFiles() = default;

    // Reads the allow-list under `root`. Throws std::runtime_error when `root` is not a
    // directory, either UI lacks its index.html, or two files would be served at one path.
    static StaticFiles load(const std::filesystem::path& root);

    // The file served at `path`, or nullptr.
    const StaticFile* find(std::string_view path) const;

    bool empty() const { return files_.empty(); }
    std::size_t size() const { return files_.size(); }

private:
    void add_tree(const std::filesystem::path& directory, const std::string& url_prefix);

    std::map<std::string, StaticFile, std::less<>> files_;
};

// The MIME type served for a file name's extension, or "" for a type that is never served.
std::string_view static_content_type(const std::filesystem::path& file_name);

}  // namespace gw::http
