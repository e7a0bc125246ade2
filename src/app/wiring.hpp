#pragma once

// Application: every long-lived object of a serving node, built from a Config and connected
// here and nowhere else. Tests build the same object against their own database.

#include <memory>

#include "app/config.hpp"
#include "db/pool.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "observability/metrics.hpp"

namespace gw::app {

class Application {
public:
    // REQUIRES: config.db.connection_string names a reachable, migrated database (the pool
    // connects lazily, so construction itself does not touch it).
    explicit Application(const Config& config);
    ~Application();
    Application(const Application&) = delete;
    Application& operator=(const Application&) = delete;

    // Binds the listening socket; returns the port.
    int bind();
    // Serves until stop(); returns once in-flight requests have finished.
    void serve();
    // Thread-safe; makes serve() return.
    void stop();

    obs::MetricsRegistry& metrics() { return metrics_; }
    db::ConnectionPool& pool() { return pool_; }

private:
    Result<void> check_ready();
    void register_pool_gauges();

    obs::MetricsRegistry metrics_;
    db::ConnectionPool pool_;
    http::Router router_;
    std::unique_ptr<http::Server> server_;
};

}  // namespace gw::app
