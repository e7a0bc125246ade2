#pragma once

// SQL of reconciliation runs and their items (migrations/0009). A run is written once
// (running -> completed | failed); its items are never changed except for one resolution by an
// admin. Every function REQUIRES being called inside a database transaction.

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "jobs/reconciliation_finding.hpp"

namespace gw::jobs {

enum class RunTrigger { schedule, command, api };
enum class RunStatus { running, completed, failed };

std::string_view to_string(RunTrigger trigger);
std::string_view to_string(RunStatus status);

struct RunView {
    std::string id;
    std::chrono::sys_days day;  // the Nairobi day reconciled
    RunTrigger trigger = RunTrigger::command;
    std::string requested_by;  // '' for the schedule and the command line
    RunStatus status = RunStatus::running;
    nlohmann::json summary;    // counts by class, matched, statements used, sweeps
    std::int64_t critical_count = 0;
    std::string failure;
    TimePoint started_at;
    std::optional<TimePoint> finished_at;
};

struct ItemView {
    std::int64_t id = 0;
    std::string run_id;
    Finding finding;
    Severity severity = Severity::critical;
    std::optional<TimePoint> resolved_at;
    std::string resolved_by;
    std::string resolution_note;
};

// Stores a new run (status running). Returns nullopt for a scheduled run when that day's
// scheduled run exists already (another node ran it).
std::optional<RunView> insert_run(pqxx::work& tx,
                                  std::chrono::sys_days day,
                                  RunTrigger trigger,
                                  const std::string& requested_by,
                                  TimePoint now);

// Stores the findings of run `run_id`.
void insert_findings(pqxx::work& tx, const std::string& run_id, const std::vector<Finding>& findings);

// Ends run `run_id`: completed with its summary, or failed with `failure`.
void complete_run(pqxx::work& tx,
                  const std::string& run_id,
                  const nlohmann::json& summary,
                  std::int64_t critical_count,
                  TimePoint now);
void fail_run(pqxx::work& tx, const std::string& run_id, const std::string& failure, TimePoint now);

std::optional<RunView> find_run(pqxx::work& tx, const std::string& run_id);

// Returns up to `limit` runs started before the run `before_id` (newest first); from the newest
// when before_id is empty.
std::vector<RunView> list_runs(pqxx::work& tx, const std::string& before_id, std::size_t limit);

// The completed run of the latest day (of its runs, the last to finish), or nullopt: a re-run
// of an old day does not stand in for a missing run of yesterday.
std::optional<RunView> latest_completed_run(pqxx::work& tx);

std::vector<ItemView> list_items(pqxx::work& tx, const std::string& run_id);

// `lock` takes the row FOR UPDATE.
std::optional<ItemView> find_item(pqxx::work& tx, std::int64_t item_id, bool lock);

void resolve_item(pqxx::work& tx,
                  std::int64_t item_id,
                  const std::string& admin_id,
                  const std::string& note,
                  TimePoint now);

// Whether the scheduled run of `day` should start at `now`: none completed, none running, fewer
// than `attempts_max` failed, and the last failure at least `retry_after` ago (a run abandoned
// by a stopped node counts as an attempt but does not delay the next).
bool scheduled_run_due(pqxx::work& tx,
                       std::chrono::sys_days day,
                       TimePoint now,
                       int attempts_max,
                       std::chrono::seconds retry_after);

// Fails every scheduled run still marked running (its node stopped mid-run). REQUIRES: the
// caller holds the daily advisory lock, so no scheduled run is really running. Returns how many.
std::size_t fail_abandoned_scheduled_runs(pqxx::work& tx, TimePoint now);

}  // namespace gw::jobs
