#pragma once

// SQL of the quotes table (migrations/0005_quotes.sql).
// REQUIRES for every function: called inside a db transaction (db::with_transaction).

#include <optional>
#include <string>

#include <pqxx/pqxx>

#include "trading/quote_service.hpp"

namespace gw::trading {

// Inserts `quote` (its id is ignored: the database assigns one) for `user_id` and returns the
// new quote's id.
std::string insert_quote(pqxx::work& tx, const std::string& user_id, const QuoteView& quote);

// The quote `quote_id` when it belongs to `user_id`; nullopt when there is no such quote or it
// is another user's. REQUIRES: `quote_id` and `user_id` are UUIDs (the caller checks).
std::optional<QuoteView> select_user_quote(pqxx::work& tx,
                                           const std::string& user_id,
                                           const std::string& quote_id);

}  // namespace gw::trading
