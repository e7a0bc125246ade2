#pragma once

// What finance and the admin console read and do with reconciliation: import a statement, list
// runs, read one run's report (JSON shape built by the HTTP layer, CSV here), and resolve an
// item with a note. A resolution is audited and changes nothing else: a correction of gold goes
// through an adjustment (trading/adjustment_service.hpp), never through reconciliation.
// Thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "db/pool.hpp"
#include "identity/actor.hpp"
#include "jobs/reconciliation_store.hpp"
#include "jobs/statement_store.hpp"

namespace gw::jobs {

struct RunReport {
    RunView run;
    std::vector<ItemView> items;
};

// Longest resolution note, in bytes.
inline constexpr std::size_t kResolutionNoteMax = 1000;

class ReconciliationReports {
public:
    // REQUIRES: `pool` and `clock` outlive this.
    ReconciliationReports(db::ConnectionPool& pool, const Clock& clock, StatementAccounts accounts);

    // Imports a statement file of account `shortcode` (empty: the file says;
    // jobs/statement_store.hpp), audited when an admin did it.
    [[nodiscard]] Result<StatementImport> import_statement(const identity::Actor& actor,
                                                           std::string_view shortcode,
                                                           std::string_view file_name,
                                                           std::string_view csv);

    // Up to `limit` runs, newest first, older than run `before_id` when given.
    std::vector<RunView> list(const std::string& before_id, std::size_t limit);

    // The run and every item it found. Error not_found.
    [[nodiscard]] Result<RunReport> report(const std::string& run_id);

    // Resolves item `item_id` of run `run_id` with `note` (1-1000 bytes), audited.
    // Errors: not_found, validation_failed, item_already_resolved.
    [[nodiscard]] Result<ItemView> resolve(const identity::Actor& actor,
                                           const std::string& run_id,
                                           std::int64_t item_id,
                                           const std::string& note);

    // The newest completed run, or nullopt (the console's banner, the metrics).
    std::optional<RunView> latest_completed();

private:
    db::ConnectionPool& pool_;
    const Clock& clock_;
    StatementAccounts accounts_;
};

// The report as CSV: one header row, then one row per item (no personal data is in an item).
std::string report_csv(const RunReport& report);

}  // namespace gw::jobs
