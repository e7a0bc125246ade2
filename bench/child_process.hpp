#pragma once

// Long-running children of a benchmark (daraja-sim, `goldwallet serve`) and short commands that
// need a stdin (`goldwallet admin create`): started without a shell, stdout and stderr to a log
// file, the environment given whole. A ChildProcess stops its child (SIGTERM, then SIGKILL
// after a grace period) when destroyed. Not shared across threads.

#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <sys/types.h>

namespace gw::bench {

struct ChildOptions {
    std::filesystem::path program;         // absolute path; no PATH search
    std::vector<std::string> args;         // argv[1..]
    std::vector<std::string> environment;  // the child's whole environment ("NAME=value")
    std::filesystem::path log;             // stdout and stderr, truncated first
    std::filesystem::path input = "/dev/null";
};

class ChildProcess {
public:
    // Starts the child. Throws std::system_error when fork fails; a failed exec shows as the
    // child exiting 127 with the reason in its log.
    explicit ChildProcess(const ChildOptions& options);
    ~ChildProcess();  // stop()
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Waits until a line of the log matches `pattern` and returns the match. Throws
    // std::runtime_error (with the log's tail) when the child exits or `timeout` passes first.
    std::smatch wait_for_log(const std::regex& pattern, std::chrono::seconds timeout);

    // Waits for the child to exit; returns its exit code (128 + signal when killed). Throws
    // std::runtime_error after `timeout` (the child is then killed).
    int wait_exit(std::chrono::seconds timeout);

    // SIGTERM, up to 20 s for it to exit, then SIGKILL. Returns the exit code; repeated calls
    // return the first one.
    int stop();

    pid_t pid() const { return pid_; }
    const std::filesystem::path& log() const { return log_; }
    // The last `bytes` bytes of the log.
    std::string log_tail(std::size_t bytes = 4000) const;

private:
    bool reap(bool block);  // true once the child has been waited for

    pid_t pid_ = -1;
    std::filesystem::path log_;
    int exit_code_ = -1;
    bool exited_ = false;
    std::string log_text_;  // cache of what wait_for_log has read
    std::size_t log_read_bytes_ = 0;
};

}  // namespace gw::bench
