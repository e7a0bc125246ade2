#include "proc_stat.hpp"

#include <fstream>
#include <sstream>

namespace gw::bench {

std::uint64_t proc_stat_number(pid_t pid, int number) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(in, line);
    // The command name (field 2) is in parentheses and may hold spaces and ')': the fields
    // after it start after the last ')'.
    const auto close_paren = line.rfind(')');
    if (close_paren == std::string::npos || number < 3) {
        return 0;
    }
    std::istringstream fields(line.substr(close_paren + 1));
    std::string field;
    for (int at = 3; at <= number; ++at) {
        if (!(fields >> field)) {
            return 0;
        }
    }
    try {
        return std::stoull(field);
    } catch (const std::exception&) {
        return 0;  // a field that is not a number (the state letter, field 3)
    }
}

}  // namespace gw::bench
