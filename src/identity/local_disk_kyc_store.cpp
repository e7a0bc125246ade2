#include "identity/local_disk_kyc_store.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

#include "core/assert.hpp"

namespace gw::identity {
namespace {

bool valid_key(const std::string& key) {
    return !key.empty() && key.size() <= 64 && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

void write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written <= 0) {
            ::close(fd);
            throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(errno));
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
}

}  // namespace

LocalDiskKycStore::LocalDiskKycStore(std::filesystem::path root) : root_(std::move(root)) {
    std::filesystem::create_directories(root_);
    if (::chmod(root_.c_str(), 0700) != 0) {
        throw std::runtime_error("cannot restrict " + root_.string() + " to mode 0700");
    }
}

std::filesystem::path LocalDiskKycStore::path_for(const std::string& key) const {
    GW_ASSERT(valid_key(key), "KYC storage keys are document ids");
    return root_ / (key + ".bin");
}

void LocalDiskKycStore::put(const std::string& key, std::string_view bytes) {
    const std::filesystem::path path = path_for(key);
    const std::filesystem::path temporary = path.string() + ".partial";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw std::runtime_error("cannot create " + temporary.string());
    }
    write_all(fd, bytes, temporary);
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        throw std::runtime_error("cannot flush " + temporary.string());
    }
    std::filesystem::rename(temporary, path);
}

std::optional<std::string> LocalDiskKycStore::get(const std::string& key) const {
    std::ifstream in(path_for(key), std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void LocalDiskKycStore::remove(const std::string& key) {
    std::error_code error;
    std::filesystem::remove(path_for(key), error);
    if (error) {
        throw std::runtime_error("cannot delete a KYC file: " + error.message());
    }
}

}  // namespace gw::identity
