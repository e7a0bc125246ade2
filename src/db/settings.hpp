#pragma once

#include <cstddef>
#include <string>

namespace gw::db {

// Settings of the connection pool and of every transaction run through it.
struct Settings {
    std::string connection_string;      // libpq URI or keyword/value string; never logged
    std::size_t pool_size = 8;          // connections held at most
    int acquire_timeout_ms = 5'000;     // wait for a free connection before failing
    int statement_timeout_ms = 5'000;   // SET LOCAL statement_timeout in every transaction
    int retry_attempts_max = 5;         // attempts for 40001/40P01 before giving up
    int retry_backoff_ms_max = 100;     // ceiling of the jittered backoff between attempts
};

}  // namespace gw::db
