#pragma once

// Voiding pending transfers whose timeout has passed, so reserved gold returns to its pool.
// Pending transfers that belong to a trade are left alone: whether their payment may still land
// is for the trade's own sweeper to ask M-Pesa first.

#include <cstddef>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "ledger/batch_writer.hpp"

namespace gw::ledger {

// Ids of at most `limit` open pending transfers without a trade whose timeout_at <= now,
// oldest timeout first. REQUIRES: called inside a database transaction.
std::vector<std::string> expired_pending_transfers(pqxx::work& tx, TimePoint now, std::size_t limit);

// Voids them through `writer` (each void is keyed by a UUID derived from the pending id, so a
// second sweeper racing on another node gets `exists`, never a second void). Returns how many
// this call voided.
std::size_t void_expired_pending(db::ConnectionPool& pool, LedgerWriter& writer, TimePoint now,
                                 std::size_t limit);

}  // namespace gw::ledger
