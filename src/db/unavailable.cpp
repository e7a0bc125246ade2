#include "db/unavailable.hpp"

#include <pqxx/pqxx>
#include <string>

#include "db/pool.hpp"

namespace gw::db {

bool is_database_unavailable(const std::exception& error) {
    if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr ||
        dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr ||
        dynamic_cast<const PoolTimeout*>(&error) != nullptr) {
        return true;
    }
    const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error);
    if (sql == nullptr) {
        return false;
    }
    const std::string state = sql->sqlstate();
    return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03" ||
           state == "53300";
}

}  // namespace gw::db
