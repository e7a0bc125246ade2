#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli/commands.hpp"
#include "app/database.hpp"
#include "app/wiring.hpp"
#include "core/time_text.hpp"

namespace gw::app {
namespace {

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

bool import_statements(Application& application,
                       const std::vector<std::string>& paths,
                       const std::string& shortcode) {
    for (const std::string& path : paths) {
        const auto csv = read_file(path);
        if (!csv) {
            std::cerr << "goldwallet reconcile: cannot read " << path << "\n";
            return false;
        }
        const std::string file_name = path.substr(path.find_last_of('/') + 1);
        const auto imported = application.reconciliation_reports().import_statement(
            identity::Actor::system("cli-reconcile"), shortcode, file_name, *csv);
        if (!imported) {
            std::cerr << "goldwallet reconcile: " << path << ": " << imported.error().detail << "\n";
            return false;
        }
        std::cout << "statement " << file_name << ": shortcode " << imported->shortcode << ", "
                  << imported->lines << " lines, " << imported->new_lines << " new"
                  << (imported->already_imported ? " (imported before)" : "") << "\n";
    }
    return true;
}

void print_report(const jobs::RunReport& report) {
    const jobs::RunView& run = report.run;
    std::cout << "run " << run.id << " for " << format_iso_day(run.day) << ": "
              << jobs::to_string(run.status) << ", " << run.critical_count << " critical\n";
    if (run.summary.contains("counts")) {
        std::cout << "matched " << run.summary.value("matched", 0) << "; lines in "
                  << run.summary.value("lines_in", 0) << ", out " << run.summary.value("lines_out", 0)
                  << "\n";
        for (const auto& [name, count] : run.summary.at("counts").items()) {
            std::cout << "  " << name << ": " << count.get<std::int64_t>() << "\n";
        }
    }
    for (const jobs::ItemView& item : report.items) {
        std::cout << jobs::to_string(item.severity) << " " << jobs::to_string(item.finding.finding_class)
                  << (item.finding.receipt.empty() ? "" : " receipt " + item.finding.receipt)
                  << (item.finding.trade_id.empty() ? "" : " trade " + item.finding.trade_id)
                  << (item.finding.payout_id.empty() ? "" : " payout " + item.finding.payout_id) << ": "
                  << item.finding.detail << "\n";
    }
}

}  // namespace

int run_reconcile(const Config& config, Secrets secrets, const ReconcileOptions& options) {
    std::optional<std::chrono::sys_days> day;
    if (!options.date.empty()) {
        day = parse_iso_day(options.date);
        if (!day) {
            std::cerr << "goldwallet reconcile: --date must be YYYY-MM-DD\n";
            return kExitBadConfig;
        }
    }
    Database database(config, EmbeddedStopPolicy::if_started_here);
    Config connected = config;
    connected.db.connection_string = database.connection_string();
    const SystemClock clock;
    Application application(connected, std::move(secrets), clock);
    if (!import_statements(application, options.statements, options.shortcode)) {
        return kExitFailure;
    }
    if (day && !application.reconciler().day_has_begun(*day)) {
        std::cerr << "goldwallet reconcile: --date is in the future\n";
        return kExitBadConfig;
    }
    const auto run = application.reconciler().run({day, jobs::RunTrigger::command, {}});
    if (!run) {
        std::cerr << "goldwallet reconcile: " << run.error().detail << "\n";
        return kExitFailure;
    }
    const auto report = application.reconciliation_reports().report(run->id);
    print_report(*report);
    if (run->status != jobs::RunStatus::completed) {
        return kExitFailure;
    }
    return run->critical_count > 0 ? kExitCriticalFindings : kExitOk;
}

}  // namespace gw::app
