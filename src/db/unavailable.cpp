#include "db/unavailable.hpp"

#include <pqxx/pqxx>
#include <string>

#include "db/pool.hpp"

namespace gw::db {
namespace {

std::string sqlstate_of(const std::exception& error) {
    const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error);
    return sql == nullptr ? std::string() : sql->sqlstate();
}

}  // namespace

bool is_database_unavailable(const std::exception& error) {
    if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr ||
        dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr ||
        dynamic_cast<const PoolTimeout*>(&error) != nullptr) {
        return true;
    }
    const std::string state = sqlstate_of(error);
    return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03" ||
           state == "53300";
}

bool is_database_busy(const std::exception& error) {
    const std::string state = sqlstate_of(error);
    return state == "57014" || state == "55P03" || state == "40001" || state == "40P01";
}

}  // namespace gw::db
