#pragma once

// /proc/<pid>/stat, read the way proc(5) numbers it.

#include <cstdint>
#include <string>
#include <vector>

#include <sys/types.h>

namespace gw::bench {

// Field `number` (1-based, as proc(5) counts: 14 utime, 15 stime, 22 starttime, in clock
// ticks) of /proc/<pid>/stat as a number; 0 when the process is gone, the field is missing or
// not a number, or number < 3 (fields 1 and 2 are the pid and the command name).
std::uint64_t proc_stat_number(pid_t pid, int number);

}  // namespace gw::bench
