#include <iostream>
#include <termios.h>
#include <unistd.h>

#include "app/cli/commands.hpp"
#include "app/database.hpp"
#include "app/schema.hpp"
#include "app/wiring.hpp"

namespace gw::app {
namespace {

// Reads one line from stdin; on a terminal, prompts on stderr and turns echo off meanwhile.
std::string read_password(std::string_view prompt) {
    const bool terminal = ::isatty(STDIN_FILENO) == 1;
    termios saved{};
    if (terminal) {
        std::cerr << prompt << std::flush;
        ::tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (terminal) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::cerr << "\n";
    }
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return line;
}

}  // namespace

int run_admin_create(const Config& config, Secrets secrets, const AdminCreateOptions& options) {
    const std::string password = read_password("Password for " + options.username + ": ");
    if (::isatty(STDIN_FILENO) == 1 && read_password("Repeat the password: ") != password) {
        std::cerr << "goldwallet admin create: the passwords differ\n";
        return kExitFailure;
    }
    Database database(config, EmbeddedStopPolicy::if_started_here);
    if (auto schema = apply_schema(database.connection_string()); !schema) {
        std::cerr << "goldwallet admin create: " << schema.error().detail << "\n";
        return kExitFailure;
    }
    Config connected = config;
    connected.db.connection_string = database.connection_string();
    connected.db.pool_size = 1;
    const SystemClock clock;
    Application application(connected, std::move(secrets), clock);
    const auto role = identity::parse_role(options.role);
    auto account = application.accounts().create_staff(
        {options.username, options.email, password, role.value_or(identity::Role::admin)},
        identity::Actor::system("cli-admin-create"));
    if (!account) {
        std::cerr << "goldwallet admin create: " << to_string(account.error().code) << ": "
                  << account.error().detail << "\n";
        return kExitFailure;
    }
    std::cout << "created " << to_string(account->role) << " " << account->username << " ("
              << account->id << ")\n";
    return kExitOk;
}

}  // namespace gw::app
