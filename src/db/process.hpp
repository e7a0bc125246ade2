#pragma once

// Running the PostgreSQL tools (initdb, pg_ctl) without a shell, optionally as another OS user;
// the directory permissions that running as another user needs; and the few /proc look-ups the
// embedded cluster needs to tell a live postmaster from a stale pid file. Linux only, like the
// rest of the service.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace gw::db {

// An OS account, resolved once (getpwnam_r + getgrouplist) so that the child of fork() only
// has to make async-signal-safe calls (setgroups, setgid, setuid).
struct OsUser {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;  // supplementary groups, including gid
    std::filesystem::path home;
};

// Returns the account called `name`, or std::nullopt when there is none.
// Throws std::system_error when the user database cannot be read.
std::optional<OsUser> find_os_user(const std::string& name);

// Returns the first ancestor of `dir` (from / down, `dir` itself excluded) that `user` may not
// search, judged by owner/group/other execute bits; std::nullopt when every one can be entered
// (or cannot be stat'ed yet, e.g. because it does not exist).
std::optional<std::filesystem::path> first_closed_ancestor(const std::filesystem::path& dir,
                                                           const OsUser& user);

struct PrivateDir {
    std::filesystem::path dir{};
    uid_t owner_uid = 0;
    gid_t owner_gid = 0;
    bool follow_symlink = false;  // true: `dir` may be a symlink to the directory
};

// Makes `wanted.dir` a directory of mode 0700 owned by owner_uid: created when missing (missing
// parents get mode 0755 whatever the umask, so the owner can pass through them), checked when
// present (then its mode is tightened to 0700). Only a directory made here is chown'ed (when
// running as root): an existing one must already belong to owner_uid, so a mistyped path can
// never hand e.g. /etc to postgres. Throws std::runtime_error naming the directory when it is
// not a directory or has another owner, std::system_error when a system call fails.
void ensure_private_dir(const PrivateDir& wanted);

struct ProcessOptions {
    std::filesystem::path program;         // absolute path; no PATH search, no shell
    std::vector<std::string> args;         // argv[1..]
    std::vector<std::string> environment;  // the child's whole environment ("NAME=value")
    std::optional<OsUser> run_as;          // switch to this account in the child; REQUIRES root
    std::filesystem::path working_dir = "/";
    int timeout_seconds_max = 60;                           // the child is SIGKILLed after this
    std::size_t output_bytes_max = std::size_t{64} * 1024;  // only the tail beyond this is kept
};

struct ProcessResult {
    int exit_code = -1;      // exit status, or 128 + signal number when killed by a signal
    bool timed_out = false;  // true when the child was killed for exceeding the timeout
    std::string output;      // stdout and stderr interleaved (tail, see output_bytes_max)

    bool succeeded() const { return exit_code == 0 && !timed_out; }
};

// Runs `options.program` to completion with stdin from /dev/null and stdout+stderr captured.
// The child gets a clean signal mask and default dispositions, and inherits no file descriptor
// but 0-2 (so a postmaster started through pg_ctl never holds our sockets or lock files).
// Returns the result also when the program fails or times out; a failure to switch user,
// change directory or exec shows as exit code 126/127 with the reason in `output`.
// Throws std::system_error when pipe/fork/wait fail.
// REQUIRES: SIGCHLD is not ignored (waitpid must see the child).
ProcessResult run_process(const ProcessOptions& options);

// Returns true when `pid` names a process that exists and is not a zombie.
bool process_alive(pid_t pid);

// Returns true when `pid` is a live `postgres` executable (by /proc/<pid>/exe) whose working
// directory is `cluster_dir` (a postmaster and all its children chdir to their data directory).
// Returns false when any of it cannot be read. REQUIRES: cluster_dir exists.
bool is_postgres_of_cluster(pid_t pid, const std::filesystem::path& cluster_dir);

// Returns true when `pid` is a live `postgres` executable of any cluster.
bool is_postgres_process(pid_t pid);

// Returns the live postgres processes (postmaster and children) whose working directory is
// `cluster_dir`, found by scanning /proc, including children caught exiting (their exe no longer
// reads). Processes of other users are only visible to root.
std::vector<pid_t> postgres_processes_of_cluster(const std::filesystem::path& cluster_dir);

}  // namespace gw::db
