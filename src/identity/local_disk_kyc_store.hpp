#pragma once

#include <filesystem>

#include "identity/kyc_file_store.hpp"

namespace gw::identity {

// Files under `root` (mode 0700), one per key, written to a temporary name, fsynced and renamed,
// so a crash never leaves a half-written document under its real name.
class LocalDiskKycStore final : public KycFileStore {
public:
    // Creates `root` (0700) when missing. Throws std::runtime_error when it cannot.
    explicit LocalDiskKycStore(std::filesystem::path root);

    void put(const std::string& key, std::string_view bytes) override;
    std::optional<std::string> get(const std::string& key) const override;
    void remove(const std::string& key) override;

private:
    std::filesystem::path path_for(const std::string& key) const;

    const std::filesystem::path root_;
};

}  // namespace gw::identity
