#include "identity/file_type.hpp"

#include <magic.h>
#include <stdexcept>

namespace gw::identity {

FileTypeSniffer::FileTypeSniffer() : cookie_(magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR)) {
    if (cookie_ == nullptr) {
        throw std::runtime_error("libmagic could not be initialised");
    }
    if (magic_load(static_cast<magic_t>(cookie_), nullptr) != 0) {
        magic_close(static_cast<magic_t>(cookie_));
        throw std::runtime_error("libmagic could not load its database");
    }
}

FileTypeSniffer::~FileTypeSniffer() { magic_close(static_cast<magic_t>(cookie_)); }

std::string FileTypeSniffer::mime_type(std::string_view content) const {
    std::lock_guard lock(mutex_);
    const char* type = magic_buffer(static_cast<magic_t>(cookie_), content.data(), content.size());
    return type == nullptr ? std::string("application/octet-stream") : std::string(type);
}

}  // namespace gw::identity
