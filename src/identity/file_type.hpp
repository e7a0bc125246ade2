#pragma once

// What a file is, judged by its bytes (libmagic), never by its name or the client's
// Content-Type. Thread-safe: one libmagic handle behind a mutex (libmagic handles are not
// thread-safe).

#include <mutex>
#include <string>
#include <string_view>

namespace gw::identity {

class FileTypeSniffer {
public:
    // Throws std::runtime_error when libmagic or its database cannot be loaded.
    FileTypeSniffer();
    ~FileTypeSniffer();
    FileTypeSniffer(const FileTypeSniffer&) = delete;
    FileTypeSniffer& operator=(const FileTypeSniffer&) = delete;

    // Returns the MIME type of `content` ("image/png", "application/x-executable", …).
    std::string mime_type(std::string_view content) const;

private:
    mutable std::mutex mutex_;
    void* cookie_;  // magic_t; guarded by mutex_
};

}  // namespace gw::identity
