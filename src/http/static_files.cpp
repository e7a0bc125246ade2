#include "http/static_files.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <openssl/sha.h>

namespace gw::http {
namespace fs = std::filesystem;
namespace {

struct TypeByExtension {
    std::string_view extension;
    std::string_view content_type;
};

constexpr std::array kServedTypes{
    TypeByExtension{".html", "text/html; charset=utf-8"},
    TypeByExtension{".js", "text/javascript; charset=utf-8"},
    TypeByExtension{".css", "text/css; charset=utf-8"},
    TypeByExtension{".svg", "image/svg+xml"},
    TypeByExtension{".png", "image/png"},
    TypeByExtension{".ico", "image/x-icon"},
    TypeByExtension{".webmanifest", "application/manifest+json"},
};

std::string read_whole_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read web file " + path.string());
    }
    std::ostringstream content;
    content << in.rdbuf();
    return std::move(content).str();
}

std::string etag_of(const std::string& body) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest.data());
    constexpr std::string_view kHex = "0123456789abcdef";
    std::string tag = "\"";
    for (std::size_t i = 0; i < 16; ++i) {
        tag += kHex[digest[i] >> 4];
        tag += kHex[digest[i] & 0x0f];
    }
    return tag + "\"";
}

bool hidden(const fs::path& relative) {
    for (const fs::path& part : relative) {
        if (part.string().starts_with('.')) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::string_view static_content_type(const fs::path& file_name) {
    const std::string extension = file_name.extension().string();
    for (const TypeByExtension& type : kServedTypes) {
        if (extension == type.extension) {
            return type.content_type;
        }
    }
    return {};
}

StaticFiles StaticFiles::load(const fs::path& root) {
    if (!fs::is_directory(root)) {
        throw std::runtime_error("GOLDWALLET_WEB_DIR " + root.string() + " is not a directory");
    }
    StaticFiles files;
    files.add_tree(root / "wallet", "/");
    files.add_tree(root / "admin", "/admin/");
    files.add_tree(root / "common", "/common/");
    for (const char* index : {"/index.html", "/admin/index.html"}) {
        if (files.find(index) == nullptr) {
            throw std::runtime_error("GOLDWALLET_WEB_DIR " + root.string() + " has no " + index);
        }
    }
    files.files_.emplace("/", *files.find("/index.html"));
    files.files_.emplace("/admin/", *files.find("/admin/index.html"));
    return files;
}

void StaticFiles::add_tree(const fs::path& directory, const std::string& url_prefix) {
    if (!fs::is_directory(directory)) {
        return;
    }
    for (auto it = fs::recursive_directory_iterator(directory);
         it != fs::recursive_directory_iterator();
         ++it) {
        const fs::path relative = fs::relative(it->path(), directory);
        if (hidden(relative)) {
            if (it->is_directory()) {
                it.disable_recursion_pending();
            }
            continue;
        }
        const std::string_view type = static_content_type(relative);
        if (it->is_symlink() || !it->is_regular_file() || type.empty()) {
            continue;
        }
        StaticFile file{std::string(type), read_whole_file(it->path()), {}};
        file.etag = etag_of(file.body);
        const std::string url = url_prefix + relative.generic_string();
        if (!files_.emplace(url, std::move(file)).second) {
            // web/wallet/admin/… would shadow the console (or the reverse).
            throw std::runtime_error("web directory: two files are served at " + url);
        }
    }
}

const StaticFile* StaticFiles::find(std::string_view path) const {
    const auto found = files_.find(path);
    return found == files_.end() ? nullptr : &found->second;
}

}  // namespace gw::http
