#include "identity/session_cache.hpp"

namespace gw::identity {

SessionCache::SessionCache(std::chrono::milliseconds ttl, std::size_t entries_max)
    : ttl_(ttl), entries_max_(entries_max) {}

SessionCache::Lookup SessionCache::find(const std::string& session_id, TimePoint now) const {
    if (ttl_.count() <= 0) {
        return {};
    }
    std::lock_guard lock(mutex_);
    const auto found = entries_.find(session_id);
    if (found == entries_.end() || now - found->second.checked_at >= ttl_ ||
        now < found->second.checked_at) {
        return {};
    }
    return Lookup{true, found->second.state};
}

void SessionCache::remember(const std::string& session_id, std::optional<SessionState> state,
                            TimePoint now) {
    if (ttl_.count() <= 0) {
        return;
    }
    std::lock_guard lock(mutex_);
    if (entries_.size() >= entries_max_) {
        entries_.clear();  // bounded: a full memo starts over rather than growing
    }
    entries_[session_id] = Entry{std::move(state), now};
}

void SessionCache::forget(const std::string& session_id) {
    std::lock_guard lock(mutex_);
    entries_.erase(session_id);
}

void SessionCache::clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
}

}  // namespace gw::identity
