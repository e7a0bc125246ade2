#include "mpesa/deferred_callbacks.hpp"

#include <algorithm>
#include <utility>

namespace gw::mpesa {

DeferredCallbacks::DeferredCallbacks(std::size_t capacity, std::chrono::seconds kept_for)
    : capacity_(capacity), kept_for_(kept_for) {}

void DeferredCallbacks::remember(const std::string& request_id,
                                 const StoredEvent& event,
                                 TimePoint now) {
    std::lock_guard lock(mutex_);
    drop_older_than(now - kept_for_);
    if (waiting_.size() + ready_.size() >= capacity_) {
        return;
    }
    waiting_.emplace(request_id, Waiting{event, now});
}

bool DeferredCallbacks::answered(const std::string& request_id) {
    std::lock_guard lock(mutex_);
    auto [first, last] = waiting_.equal_range(request_id);
    if (first == last) {
        return false;
    }
    std::vector<Waiting> found;
    for (auto it = first; it != last; ++it) {
        found.push_back(std::move(it->second));
    }
    waiting_.erase(first, last);
    std::ranges::sort(found, {}, &Waiting::deferred_at);
    for (Waiting& each : found) {
        ready_.push_back(std::move(each.event));
    }
    return true;
}

std::vector<StoredEvent> DeferredCallbacks::take_ready() {
    std::lock_guard lock(mutex_);
    return std::exchange(ready_, {});
}

std::size_t DeferredCallbacks::waiting() const {
    std::lock_guard lock(mutex_);
    return waiting_.size();
}

void DeferredCallbacks::drop_older_than(TimePoint cutoff) {
    std::erase_if(waiting_, [cutoff](const auto& entry) { return entry.second.deferred_at < cutoff; });
}

}  // namespace gw::mpesa
