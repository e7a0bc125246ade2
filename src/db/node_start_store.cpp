#include "db/node_start_store.hpp"

#include "db/prepared.hpp"
#include "db/transaction.hpp"

namespace gw::db {

void record_node_start(ConnectionPool& pool, const std::string& version, const std::string& host) {
    with_transaction(pool, "node.record_start", [&](pqxx::work& tx) {
        db::exec_prepared(tx, "INSERT INTO node_starts (version, host) VALUES ($1, $2)", version, host);
    });
}

}  // namespace gw::db
