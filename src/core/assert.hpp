#pragma once

// GW_ASSERT checks an invariant the code itself guarantees; it is always compiled in.
// Debug and test builds (GW_ASSERT_ABORTS defined) abort with file, line and message. Release
// builds throw InvariantViolation so the database transaction rolls back, the client gets a 500
// and the log gets one error line with the request id.
// Never assert on what a user, Daraja or the environment can cause: return an Error instead.

#include <stdexcept>
#include <string>

namespace gw {

class InvariantViolation : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

[[noreturn]] void assertion_failed(const char* condition,
                                   const char* why,
                                   const char* file,
                                   int line);

}  // namespace gw

#define GW_ASSERT(condition, why)                                        \
    do {                                                                 \
        if (!(condition)) [[unlikely]] {                                 \
            ::gw::assertion_failed(#condition, (why), __FILE__, __LINE__); \
        }                                                                \
    } while (false)

#ifdef GW_DEBUG_ASSERTS
#define GW_DEBUG_ASSERT(condition, why) GW_ASSERT(condition, why)
#else
#define GW_DEBUG_ASSERT(condition, why) \
    do {                                \
    } while (false)
#endif
