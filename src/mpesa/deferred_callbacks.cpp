#include "mpesa/deferred_callbacks.hpp"

#include <algorithm>
#include <utility>

namespace gw::mpesa {

DeferredCallbacks::DeferredCallbacks(std::size_t bytes_max, std::chrono::seconds kept_for)
    : bytes_max_(bytes_max), kept_for_(kept_for) {}

void DeferredCallbacks::remember(const std::string& request_id,
                                 const StoredEvent& event,
                                 TimePoint now) {
    std::lock_guard lock(mutex_);
    drop_older_than(now - kept_for_);
    if (holds(request_id, event.id) || bytes_ + event.body.size() > bytes_max_) {
        return;
    }
    bytes_ += event.body.size();
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
    for (const StoredEvent& event : ready_) {
        bytes_ -= event.body.size();
    }
    return std::exchange(ready_, {});
}

std::size_t DeferredCallbacks::waiting() const {
    std::lock_guard lock(mutex_);
    return waiting_.size();
}

void DeferredCallbacks::drop_older_than(TimePoint cutoff) {
    std::erase_if(waiting_, [this, cutoff](const auto& entry) {
        const bool old = entry.second.deferred_at < cutoff;
        bytes_ -= old ? entry.second.event.body.size() : 0;
        return old;
    });
}

bool DeferredCallbacks::holds(const std::string& request_id, const std::string& event_id) const {
    auto [first, last] = waiting_.equal_range(request_id);
    return std::any_of(
        first, last, [&event_id](const auto& entry) { return entry.second.event.id == event_id; });
}

}  // namespace gw::mpesa
