#pragma once

// Telling "the database cannot serve this right now" from a defect. A request that fails because
// PostgreSQL is restarting, unreachable, out of connections or too busy to finish in time is
// answered 503 (retry later); anything else that escapes a handler is a 500.

#include <exception>

namespace gw::db {

// Whether `error` means the database cannot be reached or used for now: a connection refused
// or broken, a commit whose outcome is unknown (the client retries with its Idempotency-Key),
// no pooled connection free in time, or PostgreSQL shutting down, starting up or out of
// connections (SQLSTATE class 08, 57P01–57P03, 53300).
bool is_database_unavailable(const std::exception& error);

// Whether `error` means the database is there but too busy to finish in time: a statement
// cancelled by statement_timeout (57014), a lock not granted within a lock_timeout (55P03), or a
// serialization failure or deadlock that outlived with_transaction's retries (40001, 40P01).
// The transaction rolled back, so the same request may be tried again.
bool is_database_busy(const std::exception& error);

}  // namespace gw::db
