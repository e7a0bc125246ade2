#include "child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

namespace gw::bench {
namespace {

constexpr std::chrono::seconds kStopGrace{20};
constexpr std::chrono::milliseconds kPollInterval{20};

// Everything the child needs, prepared before fork() so that the child only makes
// async-signal-safe calls.
struct ExecArgs {
    std::vector<std::string> storage;
    std::vector<char*> argv;
    std::vector<char*> envp;
};

ExecArgs exec_args(const ChildOptions& options) {
    ExecArgs out;
    out.storage.push_back(options.program.string());
    out.storage.insert(out.storage.end(), options.args.begin(), options.args.end());
    const std::size_t argc = out.storage.size();
    out.storage.insert(out.storage.end(), options.environment.begin(), options.environment.end());
    for (std::size_t i = 0; i < out.storage.size(); ++i) {
        (i < argc ? out.argv : out.envp).push_back(out.storage[i].data());
    }
    out.argv.push_back(nullptr);
    out.envp.push_back(nullptr);
    return out;
}

[[noreturn]] void exec_child(const ExecArgs& args, int input_fd, int log_fd) {
    ::dup2(input_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    for (int fd = 3; fd < 1024; ++fd) {
        ::close(fd);  // the child inherits none of our sockets
    }
    sigset_t none;
    ::sigemptyset(&none);
    ::pthread_sigmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGPIPE, SIG_DFL);
    ::execve(args.argv[0], args.argv.data(), args.envp.data());
    const char message[] = "exec failed\n";
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
    ::_exit(127);
}

}  // namespace

ChildProcess::ChildProcess(const ChildOptions& options) : log_(options.log) {
    const ExecArgs args = exec_args(options);
    const int log_fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (log_fd < 0) {
        throw std::system_error(errno, std::generic_category(), "open " + log_.string());
    }
    const int input_fd = ::open(options.input.c_str(), O_RDONLY | O_CLOEXEC);
    if (input_fd < 0) {
        ::close(log_fd);
        throw std::system_error(errno, std::generic_category(), "open " + options.input.string());
    }
    pid_ = ::fork();
    if (pid_ == 0) {
        exec_child(args, input_fd, log_fd);
    }
    const int fork_errno = errno;
    ::close(log_fd);
    ::close(input_fd);
    if (pid_ < 0) {
        throw std::system_error(fork_errno, std::generic_category(), "fork");
    }
}

ChildProcess::~ChildProcess() {
    stop();
}

bool ChildProcess::reap(bool block) {
    if (exited_ || pid_ <= 0) {
        return true;
    }
    int status = 0;
    const pid_t got = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
    if (got != pid_) {
        return false;
    }
    exited_ = true;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return true;
}

std::string ChildProcess::log_tail(std::size_t bytes) const {
    std::ifstream in(log_, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

std::smatch ChildProcess::wait_for_log(const std::regex& pattern, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        std::ifstream in(log_, std::ios::binary);
        in.seekg(static_cast<std::streamoff>(log_read_bytes_));
        const std::string more((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        log_read_bytes_ += more.size();
        log_text_ += more;
        std::smatch match;
        if (std::regex_search(log_text_, match, pattern)) {
            return match;
        }
        if (reap(false) || std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error(
                log_.filename().string() + ": " +
                (exited_ ? "exited " + std::to_string(exit_code_) : std::string("timed out")) +
                " before it was ready; its log ends:\n" + log_tail());
        }
        std::this_thread::sleep_for(kPollInterval);
    }
}

int ChildProcess::wait_exit(std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!reap(false)) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            reap(true);
            throw std::runtime_error(log_.filename().string() + ": did not exit in time");
        }
        std::this_thread::sleep_for(kPollInterval);
    }
    return exit_code_;
}

int ChildProcess::stop() {
    if (pid_ <= 0 || reap(false)) {
        return exit_code_;
    }
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
    while (!reap(false)) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            reap(true);
            break;
        }
        std::this_thread::sleep_for(kPollInterval);
    }
    return exit_code_;
}

}  // namespace gw::bench
