#include "trading/admin_ledger_service.hpp"

#include <cctype>

#include "core/assert.hpp"
#include "core/time_text.hpp"
#include "core/uuid_text.hpp"
#include "db/transaction.hpp"

namespace gw::trading {
namespace {

// Transfer kinds are 1–64 characters (ledger::TransferResult::kind_required).
constexpr std::size_t kKindCharsMax = 64;

bool given(const std::optional<std::string>& text) {
    return text && !text->empty();
}

Result<std::optional<TimePoint>> time_filter(const std::optional<std::string>& text,
                                             const char* name) {
    if (!given(text)) {
        return std::optional<TimePoint>();
    }
    const auto at = parse_rfc3339(*text);
    if (!at) {
        return make_error(ErrorCode::validation_failed,
                          std::string(name) + ": an RFC 3339 UTC time, e.g. 2026-01-31T00:00:00Z");
    }
    return std::optional<TimePoint>(*at);
}

std::string lower(std::string text) {
    for (char& c : text) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return text;
}

}  // namespace

Result<ledger::AdminLedgerFilter> admin_ledger_filter(const AdminLedgerQuery& query) {
    ledger::AdminLedgerFilter filter;
    if (given(query.user_id)) {
        if (!is_uuid(*query.user_id)) {
            return make_error(ErrorCode::validation_failed, "user_id: must be a UUID");
        }
        filter.user_id = lower(*query.user_id);
    }
    if (given(query.kind)) {
        if (query.kind->size() > kKindCharsMax) {
            return make_error(ErrorCode::validation_failed, "kind: at most 64 characters");
        }
        filter.kind = *query.kind;
    }
    if (given(query.status)) {
        filter.status = ledger::parse_transfer_status(*query.status);
        if (!filter.status) {
            return make_error(ErrorCode::validation_failed,
                              "status: one of posted, pending, voided, resolution");
        }
    }
    auto from = time_filter(query.from, "from");
    if (!from) {
        return from.error();
    }
    auto to = time_filter(query.to, "to");
    if (!to) {
        return to.error();
    }
    if (*from && *to && **from > **to) {
        return make_error(ErrorCode::validation_failed, "from: must not be after to");
    }
    filter.from = *from;
    filter.to = *to;
    return filter;
}

AdminLedgerService::AdminLedgerService(db::ConnectionPool& pool) : pool_(pool) {}

Result<AdminLedgerPage> AdminLedgerService::page(const AdminLedgerQuery& query) {
    GW_ASSERT(query.limit >= 1, "routes validate the page size");
    auto filter = admin_ledger_filter(query);
    if (!filter) {
        return filter.error();
    }
    AdminLedgerPage page;
    page.entries = db::with_transaction(pool_, "admin.ledger", [&](pqxx::work& tx) {
        return ledger::read_admin_ledger(tx, *filter, query.before, query.limit);
    });
    if (page.entries.size() == query.limit) {
        const ledger::AdminLedgerEntry& last = page.entries.back();
        page.next_before = ledger::LedgerCursor{last.created_at, last.transfer_id};
    }
    return page;
}

}  // namespace gw::trading
