#pragma once

// Spawning the real binaries (goldwallet, daraja-sim) as an operator would, for e2e tests:
// output to a file, environment on top of the current one, waits with deadlines.

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace gw::test {

using Env = std::vector<std::pair<std::string, std::string>>;

struct Spawned {
    pid_t pid = -1;
    std::filesystem::path output;  // stdout and stderr
};

// Starts `binary` with `args`, the current environment plus `env`, stdout and stderr to
// `output`, stdin from `input`.
Spawned spawn_process(const std::filesystem::path& binary,
                      const std::vector<std::string>& args,
                      const Env& env,
                      const std::filesystem::path& output,
                      const std::filesystem::path& input = "/dev/null");

// Returns the whole content of `path` ("" when it cannot be read).
std::string read_text_file(const std::filesystem::path& path);

// Waits for the process to exit; returns its exit code (128 + signal when killed), or -1 after
// `timeout` (the process is then killed).
int wait_exit(pid_t pid, std::chrono::seconds timeout);

}  // namespace gw::test
