#include "db/process.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace gw::db {
namespace {

constexpr int kGroupLookupAttemptsMax = 8;
constexpr int kPollIntervalMs = 50;
constexpr std::size_t kReadChunkBytes = 4096;
constexpr int kOwnerChecksMax = 20;

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

// Everything the child needs, computed before fork() so the child allocates nothing.
struct ChildSpec {
    std::vector<std::string> strings;  // owns argv and envp text
    std::vector<char*> argv;
    std::vector<char*> envp;
    std::string program;
    std::string working_dir;
    bool switch_user = false;
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;
};

ChildSpec make_child_spec(const ProcessOptions& options) {
    ChildSpec spec;
    spec.program = options.program.string();
    spec.working_dir = options.working_dir.string();
    spec.strings.reserve(1 + options.args.size() + options.environment.size());
    spec.strings.push_back(spec.program);
    spec.strings.insert(spec.strings.end(), options.args.begin(), options.args.end());
    const std::size_t argc = spec.strings.size();
    spec.strings.insert(spec.strings.end(), options.environment.begin(), options.environment.end());
    for (std::size_t i = 0; i < spec.strings.size(); ++i) {
        (i < argc ? spec.argv : spec.envp).push_back(spec.strings[i].data());
    }
    spec.argv.push_back(nullptr);
    spec.envp.push_back(nullptr);
    if (options.run_as) {
        spec.switch_user = true;
        spec.uid = options.run_as->uid;
        spec.gid = options.run_as->gid;
        spec.groups = options.run_as->groups;
    }
    return spec;
}

// Async-signal-safe: reports a failure of the child through the captured output, then exits.
[[noreturn]] void child_fail(const char* what, int exit_code) {
    const char* reason = strerrordesc_np(errno);
    const ssize_t ignored_1 = write(STDERR_FILENO, what, std::strlen(what));
    const ssize_t ignored_2 = write(STDERR_FILENO, ": ", 2);
    const ssize_t ignored_3 = write(STDERR_FILENO, reason, std::strlen(reason));
    const ssize_t ignored_4 = write(STDERR_FILENO, "\n", 1);
    static_cast<void>(ignored_1 + ignored_2 + ignored_3 + ignored_4);
    _exit(exit_code);
}

// Runs in the child between fork() and execve(): only async-signal-safe calls from here on.
// close_range is a plain system call (Linux 5.9+) and as safe as close().
[[noreturn]] void exec_child(const ChildSpec& spec, int output_fd, int stdin_fd) {
    sigset_t empty;
    sigemptyset(&empty);
    pthread_sigmask(SIG_SETMASK, &empty, nullptr);  // the child has one thread
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP) {
            sigaction(sig, &default_action, nullptr);
        }
    }
    // Copies above 2 first: when the parent runs with stdio closed, a pipe end may itself be
    // fd 0-2, and dup2 onto itself would keep its close-on-exec flag.
    const int in = fcntl(stdin_fd, F_DUPFD, 3);
    const int out = fcntl(output_fd, F_DUPFD, 3);
    if (in < 0 || out < 0 || dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
        dup2(out, STDERR_FILENO) < 0) {
        _exit(126);
    }
    close_range(3, ~0U, 0);  // ENOSYS on old kernels only; the O_CLOEXEC fds still close
    if (spec.switch_user) {
        if (setgroups(spec.groups.size(), spec.groups.data()) != 0) {
            child_fail("setgroups", 126);
        }
        if (setgid(spec.gid) != 0) {
            child_fail("setgid", 126);
        }
        if (setuid(spec.uid) != 0) {
            child_fail("setuid", 126);
        }
    }
    if (chdir(spec.working_dir.c_str()) != 0) {
        child_fail("chdir", 126);
    }
    execve(spec.program.c_str(), spec.argv.data(), spec.envp.data());
    child_fail("execve", 127);
}

void append_tail(std::string& output, const char* data, std::size_t size, std::size_t max) {
    output.append(data, size);
    if (output.size() > max) {
        output.erase(0, output.size() - max);
    }
}

// Reads what is available now. Returns false on end of file.
bool drain(int fd, std::string& output, std::size_t output_bytes_max) {
    char buffer[kReadChunkBytes];
    for (;;) {
        const ssize_t n = read(fd, buffer, sizeof buffer);
        if (n > 0) {
            append_tail(output, buffer, static_cast<std::size_t>(n), output_bytes_max);
            continue;
        }
        if (n == 0) {
            return false;
        }
        if (errno == EINTR) {
            continue;
        }
        return errno == EAGAIN || errno == EWOULDBLOCK;  // any other error ends the output
    }
}

// Returns true once the child has been reaped; `status` then holds its wait status.
bool try_reap(pid_t pid, int& status) {
    for (;;) {
        const pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            return true;
        }
        if (r == 0) {
            return false;
        }
        if (errno != EINTR) {
            throw_errno("waitpid");
        }
    }
}

int exit_code_of(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

ProcessResult collect(pid_t pid, int read_fd, const ProcessOptions& options) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::seconds(options.timeout_seconds_max);
    ProcessResult result;
    bool pipe_open = true;
    int status = 0;
    while (!try_reap(pid, status)) {
        if (Clock::now() >= deadline) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            result.timed_out = true;
            break;
        }
        if (pipe_open) {
            pollfd pfd{read_fd, POLLIN, 0};
            if (poll(&pfd, 1, kPollIntervalMs) > 0) {
                pipe_open = drain(read_fd, result.output, options.output_bytes_max);
            }
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(kPollIntervalMs / 5));
        }
    }
    if (pipe_open) {
        drain(read_fd, result.output, options.output_bytes_max);
    }
    result.exit_code = exit_code_of(status);
    return result;
}

std::filesystem::path read_proc_link(pid_t pid, const char* name) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink(
        std::filesystem::path("/proc") / std::to_string(pid) / name, ec);
    return ec ? std::filesystem::path() : target;
}

// Creates the missing directories of `dir` with mode 0755 whatever the umask, so that the
// server's OS user can pass through the ones we make (e.g. /var/lib/goldwallet/clusters).
void create_traversable_dirs(const std::filesystem::path& dir) {
    std::filesystem::path current;
    for (const auto& part : dir) {
        current /= part;
        if (::mkdir(current.c_str(), 0755) == 0) {
            ::chmod(current.c_str(), 0755);
        } else if (errno != EEXIST) {
            throw std::system_error(errno, std::generic_category(), "mkdir " + current.string());
        }
    }
}

}  // namespace

std::optional<OsUser> find_os_user(const std::string& name) {
    const auto size_hint = sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buffer(size_hint > 0 ? static_cast<std::size_t>(size_hint) : 16384);
    passwd entry{};
    passwd* found = nullptr;
    int rc = 0;
    while ((rc = getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found)) ==
           ERANGE) {
        buffer.resize(buffer.size() * 2);
    }
    if (rc != 0) {
        throw std::system_error(rc, std::generic_category(), "getpwnam_r");
    }
    if (found == nullptr) {
        return std::nullopt;
    }
    OsUser user{name, entry.pw_uid, entry.pw_gid, {}, entry.pw_dir};
    int count = 16;
    for (int attempt = 0; attempt < kGroupLookupAttemptsMax; ++attempt) {
        user.groups.resize(static_cast<std::size_t>(count));
        const int wanted = count;
        if (getgrouplist(name.c_str(), user.gid, user.groups.data(), &count) >= 0) {
            user.groups.resize(static_cast<std::size_t>(count));
            return user;
        }
        count = count > wanted ? count : wanted * 2;
    }
    user.groups = {user.gid};  // an absurdly long group list: keep the primary group only
    return user;
}

std::optional<std::filesystem::path> first_closed_ancestor(const std::filesystem::path& dir,
                                                           const OsUser& user) {
    std::filesystem::path current;
    for (const auto& part : dir.parent_path()) {
        current /= part;
        struct stat st {};
        if (::stat(current.c_str(), &st) != 0) {
            return std::nullopt;
        }
        const bool in_group =
            std::find(user.groups.begin(), user.groups.end(), st.st_gid) != user.groups.end();
        const mode_t bit = st.st_uid == user.uid ? S_IXUSR : in_group ? S_IXGRP : S_IXOTH;
        if ((st.st_mode & bit) == 0) {
            return current;
        }
    }
    return std::nullopt;
}

void ensure_private_dir(const PrivateDir& wanted) {
    const std::filesystem::path& dir = wanted.dir;
    const uid_t owner = wanted.owner_uid;
    create_traversable_dirs(dir.parent_path());
    if (::mkdir(dir.c_str(), 0700) == 0) {
        if (::geteuid() == 0 && ::chown(dir.c_str(), owner, wanted.owner_gid) != 0) {
            throw std::system_error(errno, std::generic_category(), "chown " + dir.string());
        }
        return;
    }
    if (errno != EEXIST) {
        throw std::system_error(errno, std::generic_category(), "mkdir " + dir.string());
    }
    struct stat st {};
    for (int attempt = 0; attempt < kOwnerChecksMax; ++attempt) {
        // Another process may have made the directory a moment ago and not chown'ed it yet.
        const int rc = wanted.follow_symlink ? ::stat(dir.c_str(), &st) : ::lstat(dir.c_str(), &st);
        if (rc != 0 || !S_ISDIR(st.st_mode)) {
            throw std::runtime_error(dir.string() + " exists but is not a directory");
        }
        if (st.st_uid == owner) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (st.st_uid != owner) {
        throw std::runtime_error(dir.string() + " is owned by uid " + std::to_string(st.st_uid) +
                                 ", expected uid " + std::to_string(owner) +
                                 " (the PostgreSQL server's OS user)");
    }
    if ((st.st_mode & 077) != 0 && ::chmod(dir.c_str(), 0700) != 0) {
        throw std::system_error(errno, std::generic_category(), "chmod " + dir.string());
    }
}

ProcessResult run_process(const ProcessOptions& options) {
    const ChildSpec spec = make_child_spec(options);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        throw_errno("pipe2");
    }
    const int stdin_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (stdin_fd < 0) {
        const int saved = errno;
        close(fds[0]);
        close(fds[1]);
        throw std::system_error(saved, std::generic_category(), "open /dev/null");
    }
    const pid_t pid = fork();
    if (pid == 0) {
        exec_child(spec, fds[1], stdin_fd);
    }
    const int fork_errno = errno;
    close(fds[1]);
    close(stdin_fd);
    if (pid < 0) {
        close(fds[0]);
        throw std::system_error(fork_errno, std::generic_category(), "fork");
    }
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    try {
        ProcessResult result = collect(pid, fds[0], options);
        close(fds[0]);
        return result;
    } catch (...) {
        close(fds[0]);
        throw;
    }
}

bool process_alive(pid_t pid) {
    if (pid <= 0 || (kill(pid, 0) != 0 && errno != EPERM)) {
        return false;
    }
    std::ifstream stat(std::filesystem::path("/proc") / std::to_string(pid) / "stat");
    std::string line;
    if (!std::getline(stat, line)) {
        return false;
    }
    const auto close_paren = line.rfind(')');  // the command name may contain spaces
    return close_paren != std::string::npos && close_paren + 2 < line.size() &&
           line[close_paren + 2] != 'Z' && line[close_paren + 2] != 'X';
}

bool is_postgres_process(pid_t pid) {
    return process_alive(pid) && read_proc_link(pid, "exe").filename() == "postgres";
}

bool is_postgres_of_cluster(pid_t pid, const std::filesystem::path& cluster_dir) {
    if (!is_postgres_process(pid)) {
        return false;
    }
    std::error_code ec;
    const auto wanted = std::filesystem::canonical(cluster_dir, ec);
    return !ec && read_proc_link(pid, "cwd") == wanted;
}

std::vector<pid_t> postgres_processes_of_cluster(const std::filesystem::path& cluster_dir) {
    std::vector<pid_t> pids;
    std::error_code ec;
    const auto wanted = std::filesystem::canonical(cluster_dir, ec);
    if (ec) {
        return pids;
    }
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        const auto pid = static_cast<pid_t>(std::stol(name));
        // A child in the middle of exiting has already dropped its executable (exe no longer
        // reads) but still holds its working directory: it counts until it is gone.
        const bool exiting_here = process_alive(pid) && read_proc_link(pid, "exe").empty() &&
                                  read_proc_link(pid, "cwd") == wanted;
        if (exiting_here || is_postgres_of_cluster(pid, cluster_dir)) {
            pids.push_back(pid);
        }
    }
    return pids;
}

}  // namespace gw::db
