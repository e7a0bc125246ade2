#pragma once

// A short-lived, bounded, in-process memo of "is this session live, and with which role".
// Every authenticated request needs the answer; asking PostgreSQL each time would put a query
// on every request. A revoked session is therefore honoured within `ttl` on other nodes (and at
// once on the node that revoked it, which calls forget()). Thread-safe.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"
#include "identity/session_store.hpp"

namespace gw::identity {

class SessionCache {
public:
    SessionCache(std::chrono::milliseconds ttl, std::size_t entries_max);

    struct Lookup {
        bool hit = false;
        std::optional<SessionState> state;  // meaningful when hit
    };

    // Returns the remembered answer when it is younger than ttl at `now`.
    Lookup find(const std::string& session_id, TimePoint now) const;

    void remember(const std::string& session_id, std::optional<SessionState> state, TimePoint now);

    // Drops the memo of one session (after logout or revocation on this node).
    void forget(const std::string& session_id);

    // Drops everything (after a change that may revoke many sessions).
    void clear();

private:
    struct Entry {
        std::optional<SessionState> state;
        TimePoint checked_at;
    };

    const std::chrono::milliseconds ttl_;
    const std::size_t entries_max_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;  // guarded by mutex_
};

}  // namespace gw::identity
