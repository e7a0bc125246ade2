#include "trading/trade_watch.hpp"

#include <utility>

#include "core/uuid_text.hpp"

namespace gw::trading {

TradeWatch::Waiter::Waiter(Key /*key*/, TradeWatch& watch, std::string trade_id)
    : watch_(watch), trade_id_(std::move(trade_id)) {}

TradeWatch::Waiter::~Waiter() {
    std::lock_guard lock(watch_.mutex_);
    auto [first, last] = watch_.waiting_.equal_range(trade_id_);
    for (auto it = first; it != last; ++it) {
        if (it->second == &entry_) {
            watch_.waiting_.erase(it);
            return;
        }
    }
}

bool TradeWatch::Waiter::wait_until(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(watch_.mutex_);
    entry_.woken.wait_until(lock, deadline, [this] { return entry_.ended || watch_.stopped_; });
    entry_.ended = false;  // heard: the next wait is for a new announcement
    return !watch_.stopped_;
}

TradeWatch::TradeWatch(std::size_t waiters_max) : waiters_max_(waiters_max) {}

std::unique_ptr<TradeWatch::Waiter> TradeWatch::watch(const std::string& trade_id) {
    std::lock_guard lock(mutex_);
    if (stopped_ || waiting_.size() >= waiters_max_) {
        return nullptr;
    }
    auto waiter = std::make_unique<Waiter>(Key{}, *this, lower_case_uuid(trade_id));
    waiting_.emplace(waiter->trade_id_, &waiter->entry_);
    return waiter;
}

void TradeWatch::announce_end(const std::string& trade_id) {
    std::lock_guard lock(mutex_);
    auto [first, last] = waiting_.equal_range(lower_case_uuid(trade_id));
    for (auto it = first; it != last; ++it) {
        it->second->ended = true;
        it->second->woken.notify_one();
    }
}

void TradeWatch::stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    for (auto& [trade_id, entry] : waiting_) {
        entry->woken.notify_one();
    }
}

std::size_t TradeWatch::waiting() const {
    std::lock_guard lock(mutex_);
    return waiting_.size();
}

}  // namespace gw::trading
