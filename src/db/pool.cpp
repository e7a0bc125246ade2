#include "db/pool.hpp"

#include "core/assert.hpp"
#include "observability/log.hpp"

namespace gw::db {

PooledConnection::PooledConnection(ConnectionPool& pool,
                                   std::unique_ptr<pqxx::connection> connection)
    : pool_(&pool), connection_(std::move(connection)) {}

PooledConnection::PooledConnection(PooledConnection&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)) {}

PooledConnection::~PooledConnection() {
    if (connection_) {
        pool_->give_back(std::move(connection_));
    }
}

ConnectionPool::ConnectionPool(Settings settings) : settings_(std::move(settings)) {
    GW_ASSERT(settings_.pool_size > 0, "config validation guarantees a positive pool size");
}

PooledConnection ConnectionPool::acquire() {
    std::unique_lock lock(mutex_);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(settings_.acquire_timeout_ms);
    ++waiting_;
    const bool ready = available_.wait_until(lock, deadline, [this] {
        return !idle_.empty() || open_ < settings_.pool_size;
    });
    --waiting_;
    if (!ready) {
        throw PoolTimeout("no database connection became free in time");
    }
    if (!idle_.empty()) {
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        return PooledConnection(*this, std::move(connection));
    }
    ++open_;  // reserve the slot, then connect without holding the lock
    lock.unlock();
    try {
        auto connection = std::make_unique<pqxx::connection>(settings_.connection_string);
        // Timestamps leave the database in UTC whatever the server's default zone is.
        connection->set_variable("TimeZone", "UTC");
        // Every statement on this connection is bounded; set once per connection rather than
        // per transaction, which would cost a round trip while hot rows are locked.
        connection->set_variable("statement_timeout", std::to_string(settings_.statement_timeout_ms));
        return PooledConnection(*this, std::move(connection));
    } catch (...) {
        std::lock_guard relock(mutex_);
        --open_;
        available_.notify_one();
        throw;
    }
}

void ConnectionPool::give_back(std::unique_ptr<pqxx::connection> connection) {
    const bool healthy = connection->is_open();
    std::lock_guard lock(mutex_);
    if (healthy) {
        idle_.push_back(std::move(connection));
    } else {
        --open_;
    }
    available_.notify_one();
}

void ConnectionPool::close_idle() {
    std::lock_guard lock(mutex_);
    open_ -= idle_.size();
    idle_.clear();
    available_.notify_all();
}

PoolStats ConnectionPool::stats() const {
    std::lock_guard lock(mutex_);
    return PoolStats{
        .size_max = settings_.pool_size,
        .open = open_,
        .in_use = open_ - idle_.size(),
        .waiting = waiting_,
    };
}

void ConnectionPool::listen(const std::string& channel, std::function<void(const std::string& key)> listener) {
    std::lock_guard lock(mutex_);
    if (listener) {
        listeners_[channel] = std::make_shared<const Listener>(std::move(listener));
    } else {
        listeners_.erase(channel);
    }
}

void ConnectionPool::announce(const std::string& channel, const std::string& key) const {
    std::shared_ptr<const Listener> listener;
    {
        std::lock_guard lock(mutex_);
        if (const auto found = listeners_.find(channel); found != listeners_.end()) {
            listener = found->second;
        }
    }
    if (!listener) {
        return;
    }
    try {
        (*listener)(key);  // outside the lock: it may take its own
    } catch (const std::exception& error) {
        // The transaction has committed: a listener's failure must not make it look failed
        // (and be run again). Listeners only speed things up; pollers catch what is missed.
        obs::log_error("db.listener_failed", {{"channel", channel}, {"what", error.what()}});
    }
}

}  // namespace gw::db
