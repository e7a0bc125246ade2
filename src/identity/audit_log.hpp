#pragma once

#include <optional>
#include <vector>

#include "db/pool.hpp"
#include "identity/audit_store.hpp"

namespace gw::identity {

// Read access to the audit log for the admin console. Thread-safe.
class AuditLog {
public:
    explicit AuditLog(db::ConnectionPool& pool) : pool_(pool) {}

    // Up to `limit` entries with id < before (newest first); the newest when before is nullopt.
    std::vector<AuditRecord> page(std::optional<std::int64_t> before, std::size_t limit);

private:
    db::ConnectionPool& pool_;
};

}  // namespace gw::identity
