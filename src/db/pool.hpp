#pragma once

// A fixed-size pool of libpqxx connections. Thread-safe: acquire() may be called from any
// thread; each PooledConnection is used by one thread at a time.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <vector>

#include "db/settings.hpp"

namespace gw::db {

// Thrown when no connection became free within Settings::acquire_timeout_ms.
class PoolTimeout : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct PoolStats {
    std::size_t size_max = 0;  // configured pool size
    std::size_t open = 0;      // connections currently open
    std::size_t in_use = 0;    // connections lent out
    std::size_t waiting = 0;   // threads blocked in acquire()
};

class ConnectionPool;

// A connection lent by the pool; returned on destruction. A connection that broke while lent
// is closed instead of returned.
class PooledConnection {
public:
    PooledConnection(ConnectionPool& pool, std::unique_ptr<pqxx::connection> connection);
    ~PooledConnection();
    PooledConnection(PooledConnection&& other) noexcept;
    PooledConnection& operator=(PooledConnection&&) = delete;
    PooledConnection(const PooledConnection&) = delete;
    PooledConnection& operator=(const PooledConnection&) = delete;

    pqxx::connection& operator*() { return *connection_; }
    pqxx::connection* operator->() { return connection_.get(); }

private:
    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection> connection_;
};

class ConnectionPool {
public:
    // Opens connections lazily, up to settings.pool_size. Does not connect until first use.
    explicit ConnectionPool(Settings settings);
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    // Returns a connection, opening one when the pool has room. Throws PoolTimeout when none
    // frees up in time, and pqxx::broken_connection when the server cannot be reached.
    PooledConnection acquire();

    // Closes every idle connection; lent ones close when returned. Called on shutdown, and
    // when a connection turned out broken (the others, opened to the same server, are stale).
    void close_idle();

    PoolStats stats() const;
    const Settings& settings() const { return settings_; }

    // In-process NOTIFY: `listener` is called, on the committing thread, with the key of each
    // notice on `channel` that a transaction committed through this pool sent
    // (db::notify_on_commit), e.g. so that an outbox worker sends a message at once instead of
    // at its next poll. It must be quick and must not throw. Replaces the channel's listener
    // before; an empty function removes it. Other nodes' commits are not heard.
    void listen(const std::string& channel, std::function<void(const std::string& key)> listener);

    // Tells the listener of `channel` (if any) of a committed notice. An exception from the
    // listener is logged, never thrown: the commit it announces stands.
    void announce(const std::string& channel, const std::string& key) const;

private:
    friend class PooledConnection;
    void give_back(std::unique_ptr<pqxx::connection> connection);

    const Settings settings_;
    mutable std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<pqxx::connection>> idle_;  // guarded by mutex_
    std::size_t open_ = 0;                                // guarded by mutex_
    std::size_t waiting_ = 0;                             // guarded by mutex_
    using Listener = std::function<void(const std::string& key)>;
    std::map<std::string, std::shared_ptr<const Listener>> listeners_;  // guarded by mutex_
};

}  // namespace gw::db
