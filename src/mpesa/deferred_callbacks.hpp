#pragma once

// The STK callbacks this node deferred because they beat the record of Daraja's answer to the
// push (a fast customer, a busy database), kept in memory so that the commit that records the
// answer can have them processed at once instead of at the webhook job's next look (2 s).
//
// Only an optimisation: every deferred event is in webhook_events with a `deferred` outcome, so
// the webhook job still finishes whatever this forgets — one deferred on another node, one
// older than `kept_for`, one that would take the bodies kept above `bytes_max`, everything after
// a restart. Thread-safe.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "mpesa/webhook_store.hpp"

namespace gw::mpesa {

class DeferredCallbacks {
public:
    DeferredCallbacks(std::size_t bytes_max, std::chrono::seconds kept_for);

    // Keeps `event`, deferred at `now` for want of request `request_id`'s answer, unless it is
    // kept already (the webhook job deferred it again). Events older than kept_for are dropped
    // first; an event whose body would take the bodies kept above bytes_max is not kept.
    void remember(const std::string& request_id, const StoredEvent& event, TimePoint now);

    // The answer of `request_id` is recorded: its events become ready. Returns whether any
    // were waiting (so the caller wakes whoever calls take_ready()).
    bool answered(const std::string& request_id);

    // The ready events, oldest first, forgotten here.
    std::vector<StoredEvent> take_ready();

    std::size_t waiting() const;

private:
    struct Waiting {
        StoredEvent event;
        TimePoint deferred_at;
    };

    void drop_older_than(TimePoint cutoff);  // REQUIRES: mutex_ held
    bool holds(const std::string& request_id, const std::string& event_id) const;  // ditto

    const std::size_t bytes_max_;
    const std::chrono::seconds kept_for_;
    mutable std::mutex mutex_;
    std::unordered_multimap<std::string, Waiting> waiting_;  // by request id; guarded by mutex_
    std::vector<StoredEvent> ready_;                         // guarded by mutex_
    std::size_t bytes_ = 0;  // body bytes in waiting_ and ready_; guarded by mutex_
};

}  // namespace gw::mpesa
