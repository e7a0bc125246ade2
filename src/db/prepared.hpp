#pragma once

// Statements run as prepared statements of the connection they run on, so PostgreSQL parses
// and plans each once per connection instead of once per call (on the buy path that planning
// cost as much server CPU as executing). The statement's name is derived from its text, so a
// store names nothing twice and a pooled connection prepares each statement on first use.
//
// Same contract as pqxx's exec_params / exec_params1 / exec_params0, which they replace:
// parameters are always bound, never spliced into `sql`.
// REQUIRES: `sql` is one statement whose text does not depend on data (only on code paths),
// and the schema does not change under an open connection (migrations run before serving).

#include <string>
#include <string_view>
#include <utility>

#include <pqxx/pqxx>

namespace gw::db {

// "gw_" and 16 hex digits of a 64-bit FNV-1a hash of `sql`.
std::string statement_name(std::string_view sql);

// Defines the statement on tx's connection when it is new there (the server prepares it when
// first executed) and returns its name.
std::string prepare_on(pqxx::transaction_base& tx, const std::string& sql);

template <typename... Args>
pqxx::result exec_prepared(pqxx::transaction_base& tx, const std::string& sql, Args&&... args) {
    return tx.exec_prepared(prepare_on(tx, sql), std::forward<Args>(args)...);
}

// Throws pqxx::unexpected_rows unless exactly one row comes back.
template <typename... Args>
pqxx::row exec_prepared1(pqxx::transaction_base& tx, const std::string& sql, Args&&... args) {
    return tx.exec_prepared1(prepare_on(tx, sql), std::forward<Args>(args)...);
}

// Throws pqxx::unexpected_rows when any row comes back.
template <typename... Args>
pqxx::result exec_prepared0(pqxx::transaction_base& tx, const std::string& sql, Args&&... args) {
    return tx.exec_prepared0(prepare_on(tx, sql), std::forward<Args>(args)...);
}

}  // namespace gw::db
