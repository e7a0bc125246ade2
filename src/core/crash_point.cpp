#include "core/crash_point.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>

#include "core/assert.hpp"

namespace gw {
namespace {

// Index into kCrashPoints of the armed point, or -1. Plain data: set once at start-up.
constinit std::atomic<int> armed_index{-1};

}  // namespace

bool is_crash_point(std::string_view name) {
    return std::find(kCrashPoints.begin(), kCrashPoints.end(), name) != kCrashPoints.end();
}

void arm_crash_point(std::string_view name) {
    const auto found = std::find(kCrashPoints.begin(), kCrashPoints.end(), name);
    GW_ASSERT(found != kCrashPoints.end(), "arm_crash_point takes a name of kCrashPoints");
    armed_index.store(static_cast<int>(found - kCrashPoints.begin()), std::memory_order_relaxed);
}

void crash_point(std::string_view name) {
    const int armed = armed_index.load(std::memory_order_relaxed);
    if (armed >= 0 && kCrashPoints[static_cast<std::size_t>(armed)] == name) {
        std::raise(SIGKILL);
    }
}

}  // namespace gw
