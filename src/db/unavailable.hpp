#pragma once

// Telling "the database is not there right now" from a defect. A request that fails because
// PostgreSQL is restarting, unreachable or out of connections is answered 503 (retry later);
// anything else that escapes a handler is a 500.

#include <exception>

namespace gw::db {

// Whether `error` means the database cannot be reached or used for now: a connection refused
// or broken, a commit whose outcome is unknown (the client retries with its Idempotency-Key),
// no pooled connection free in time, or PostgreSQL shutting down, starting up or out of
// connections (SQLSTATE class 08, 57P01–57P03, 53300).
bool is_database_unavailable(const std::exception& error);

}  // namespace gw::db
