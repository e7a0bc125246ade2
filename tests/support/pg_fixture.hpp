#pragma once

// The throwaway PostgreSQL cluster of a test binary: created on first use in a fresh
// /tmp/gw-test-pg-XXXXXX directory, tuned for speed (fsync, synchronous_commit and
// full_page_writes off: a crash loses nothing we need), stopped and deleted when the process
// exits. A binary that dies without exiting (abort, SIGKILL) leaves its directory behind; the
// next TestCluster of any test binary stops such an abandoned cluster and deletes it.

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "db/embedded_postgres.hpp"

namespace gw::test {

// The one cluster of this test binary. Its member functions are thread-safe.
class TestCluster {
public:
    // Returns the cluster, initdb'ing and starting it on the first call.
    // Throws std::runtime_error when it cannot start (then the next call tries again).
    static TestCluster& instance();

    ~TestCluster();  // stops the server and deletes the directory
    TestCluster(const TestCluster&) = delete;
    TestCluster& operator=(const TestCluster&) = delete;

    // Creates a new, empty database with a name unique in this cluster (copied from
    // template1) and returns its libpq connection string. Throws pqxx::failure on error.
    std::string create_database();

    // Creates a new database holding the schema of this build's migrations and returns its
    // connection string. The schema is applied once per binary through db::migrate (the
    // production path) into a template database, which each call then copies.
    // Throws std::runtime_error when the migrations fail, pqxx::failure on database errors.
    std::string create_migrated_database();

    // Returns the connection string of the `postgres` maintenance database (superuser).
    std::string admin_connection_string() const;

    // Returns the server, e.g. for its settings or connection_string(name).
    db::EmbeddedPostgres& server() { return *server_; }

    // Returns the directory holding data/, run/, pg.log and the owner file.
    const std::filesystem::path& root_dir() const { return root_dir_; }

private:
    struct PassKey {
        explicit PassKey() = default;
    };

public:
    // Only instance() can call this (it alone can make a PassKey).
    TestCluster(PassKey key, std::filesystem::path root_dir);

private:
    std::filesystem::path root_dir_;
    std::unique_ptr<db::EmbeddedPostgres> server_;
    std::mutex mutex_;
    int databases_created_ = 0;  // guarded by mutex_
    bool migrated_template_ready_ = false;  // guarded by mutex_
};

}  // namespace gw::test
