#include <iostream>

#include "app/cli/commands.hpp"
#include "app/version.hpp"

namespace gw::app {

int run_version() {
    std::cout << "goldwallet " << kVersion << "\n";
    return kExitOk;
}

}  // namespace gw::app
