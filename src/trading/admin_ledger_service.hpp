#pragma once

// The whole gold ledger for staff (admin, treasury), page by page, newest first, with optional
// filters that combine (issue 7 item 6). It validates the filters as given by a client and
// reads through ledger/admin_ledger_store. Read-only and thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/pool.hpp"
#include "ledger/admin_ledger_store.hpp"
#include "ledger/ledger_read_store.hpp"

namespace gw::trading {

// The filters as text, as a client sends them; nullopt (or empty text) means "no filter".
struct AdminLedgerQuery {
    std::optional<std::string> user_id;  // a UUID
    std::optional<std::string> kind;     // 1–64 characters, matched exactly
    std::optional<std::string> status;   // posted | pending | voided | resolution
    std::optional<std::string> from;     // RFC 3339 UTC, inclusive
    std::optional<std::string> to;       // RFC 3339 UTC, exclusive
    std::optional<ledger::LedgerCursor> before;
    std::size_t limit = 50;
};

struct AdminLedgerPage {
    std::vector<ledger::AdminLedgerEntry> entries;  // newest first
    // Where the next page starts; nullopt when this page is not full (so it is the last).
    std::optional<ledger::LedgerCursor> next_before;
};

class AdminLedgerService {
public:
    // REQUIRES: `pool` outlives the service.
    explicit AdminLedgerService(db::ConnectionPool& pool);

    // One page of transfers matching `query`. A user with no accounts (or no such user) gives
    // an empty page, not an error.
    // Error: validation_failed naming the first bad field, in the order user_id, kind,
    // status, from, to, then "from: must not be after to".
    // REQUIRES: 1 <= query.limit (routes cap it).
    Result<AdminLedgerPage> page(const AdminLedgerQuery& query);

private:
    db::ConnectionPool& pool_;
};

// The filter `query` describes, or validation_failed as for AdminLedgerService::page. Pure.
[[nodiscard]] Result<ledger::AdminLedgerFilter> admin_ledger_filter(const AdminLedgerQuery& query);

}  // namespace gw::trading
