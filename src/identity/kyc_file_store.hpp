#pragma once

// Where encrypted KYC files live. Local disk now; the interface exists so S3 (or another object
// store) can replace it without touching the KYC service. Implementations are thread-safe.
// Keys are opaque, made of [a-z0-9-] (document ids).

#include <optional>
#include <string>
#include <string_view>

namespace gw::identity {

class KycFileStore {
public:
    virtual ~KycFileStore() = default;

    // Stores `bytes` under `key` durably (replacing nothing: keys are fresh ids).
    // Throws std::runtime_error on I/O failure.
    virtual void put(const std::string& key, std::string_view bytes) = 0;

    // Returns the bytes under `key`, or nullopt when there are none.
    virtual std::optional<std::string> get(const std::string& key) const = 0;

    // Deletes `key`; no-op when absent. Throws std::runtime_error on I/O failure.
    virtual void remove(const std::string& key) = 0;
};

}  // namespace gw::identity
