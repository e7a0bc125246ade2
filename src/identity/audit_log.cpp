#include "identity/audit_log.hpp"

#include "db/transaction.hpp"

namespace gw::identity {

std::vector<AuditRecord> AuditLog::page(std::optional<std::int64_t> before, std::size_t limit) {
    return db::with_transaction(pool_, "audit.list", [&](pqxx::work& tx) {
        return list_audit(tx, before, limit);
    });
}

}  // namespace gw::identity
