#include "core/assert.hpp"

#include <cstdio>
#include <cstdlib>

namespace gw {

void assertion_failed(const char* condition, const char* why, const char* file, int line) {
    std::string message = std::string(file) + ":" + std::to_string(line) +
                          ": invariant violated: " + condition + " (" + why + ")";
#ifdef GW_ASSERT_ABORTS
    std::fputs(message.c_str(), stderr);
    std::fputc('\n', stderr);
    std::abort();
#else
    throw InvariantViolation(message);
#endif
}

}  // namespace gw
