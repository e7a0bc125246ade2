#pragma once

// The database a command talks to: the server named by DATABASE_URL, or else the embedded
// cluster of GOLDWALLET_DATA_DIR — reused when it already runs (say, under `serve`), started
// otherwise.

#include <memory>
#include <string>

#include "app/config.hpp"
#include "db/embedded_postgres.hpp"

namespace gw::app {

enum class EmbeddedStopPolicy {
    if_started_here,  // CLI commands: leave a cluster that `serve` runs alone
    always,           // `serve`: the cluster lives and dies with the server
};

class Database {
public:
    // Throws std::runtime_error when the embedded cluster cannot be started.
    Database(const Config& config, EmbeddedStopPolicy policy);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // libpq connection string; never log it.
    const std::string& connection_string() const { return connection_string_; }
    bool embedded() const { return embedded_ != nullptr; }

    // Stops the embedded cluster now when the policy says so. Idempotent.
    void shut_down();

private:
    std::unique_ptr<db::EmbeddedPostgres> embedded_;
    EmbeddedStopPolicy policy_;
    bool started_here_ = false;
    std::string connection_string_;
};

}  // namespace gw::app
