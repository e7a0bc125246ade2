#pragma once

// The throwaway PostgreSQL cluster of a benchmark run: a fresh /tmp/gw-bench-pg-XXXXXX
// directory, started with the production durability settings (fsync and synchronous_commit
// on: the defaults, unlike the test fixture's fsync=off cluster), migrated through db::migrate
// like the service, stopped and deleted when the object is destroyed. A run that died without
// cleaning up (SIGKILL, a crash) leaves its directory behind; the next BenchCluster stops such
// an abandoned cluster and deletes it.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "db/embedded_postgres.hpp"

namespace gw::bench {

struct BenchClusterOptions {
    // Extra "name=value" server settings; max_connections must cover every caller and every
    // pgbench client of the run at once.
    std::vector<std::string> server_options = {"max_connections=200"};
    std::string database = "goldwallet_bench";
};

class BenchCluster {
public:
    // Creates the directory, initdb's and starts the server, creates the database and applies
    // the migrations compiled into this binary. Throws std::runtime_error on any failure (and
    // leaves nothing running).
    explicit BenchCluster(const BenchClusterOptions& options);
    ~BenchCluster();  // stops the server and deletes the directory
    BenchCluster(const BenchCluster&) = delete;
    BenchCluster& operator=(const BenchCluster&) = delete;

    // libpq keyword/value connection string of the benchmark database (superuser, socket).
    std::string connection_string() const;
    // The same for another database of the cluster (e.g. one made with CREATE DATABASE).
    std::string connection_string(const std::string& database) const;
    // VACUUM (ANALYZE) of each of `databases`: run before each measured window, so that a
    // window does not pay for the cleanup the one before left behind (autovacuum of the rows
    // it updated).
    void settle(const std::vector<std::string>& databases) const;
    // What a command-line client (pgbench) needs: -h socket_dir -p port -U superuser database.
    std::filesystem::path socket_dir() const { return server_->settings().socket_dir; }
    int port() const { return db::kEmbeddedPort; }
    std::string superuser() const { return std::string(db::kEmbeddedSuperuser); }
    const std::string& database() const { return database_; }
    const std::filesystem::path& root_dir() const { return root_dir_; }

private:
    std::filesystem::path root_dir_;
    std::string database_;
    std::unique_ptr<db::EmbeddedPostgres> server_;
};

}  // namespace gw::bench
