#include <iostream>

#include "app/cli/commands.hpp"
#include "app/database.hpp"
#include "ledger/invariants.hpp"

namespace gw::app {

int run_check(const Config& config) {
    Database database(config, EmbeddedStopPolicy::if_started_here);
    pqxx::connection connection(database.connection_string());
    // One snapshot for every check, so concurrent trading cannot produce a false alarm.
    pqxx::transaction<pqxx::repeatable_read> tx(connection, "check.invariants");
    const auto violations = ledger::check_invariants(tx);
    tx.commit();
    for (const auto& violation : violations) {
        std::cout << "VIOLATION " << violation.invariant << ": " << violation.detail << "\n";
    }
    std::cout << (violations.empty() ? "ledger invariants hold\n" : "ledger invariants VIOLATED\n");
    return violations.empty() ? kExitOk : kExitFailure;
}

}  // namespace gw::app
