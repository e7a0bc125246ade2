#pragma once

// Crash points: named places in the money flows where a fault-injection test may kill the
// process as `kill -9` would (no destructors, no flushing, no answer to the caller), to prove
// that every trade still ends completed or voided exactly once after a restart
// (tests/e2e/crash_recovery_test.cpp). A node arms at most one point, from
// GOLDWALLET_CRASH_AT at start-up (refused in production); an unarmed point costs one relaxed
// atomic load. Names are "<flow>.<step>", listed in kCrashPoints.

#include <array>
#include <string_view>

namespace gw {

inline constexpr std::array<std::string_view, 6> kCrashPoints = {
    "buy.reserved",          // the buy, its reservation and its outbox message committed
    "stk.sent",              // Daraja accepted the STK Push; its answer not yet recorded
    "callback.stored",       // an M-Pesa callback (STK or B2C) stored raw; not yet looked at
    "callback.settled",      // a callback's result committed; Daraja not yet answered
    "sell.reserved",         // the sell, its gold lock, payout and outbox message committed
    "b2c.sent",              // Daraja accepted the B2C payment; its answer not yet recorded
};

// Whether `name` is one of kCrashPoints.
bool is_crash_point(std::string_view name);

// Arms `name` for this process. REQUIRES: is_crash_point(name); called once, before any thread
// that could reach a crash point starts.
void arm_crash_point(std::string_view name);

// Kills the process with SIGKILL if `name` is the armed point; otherwise does nothing.
void crash_point(std::string_view name);

}  // namespace gw
