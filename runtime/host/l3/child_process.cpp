#include "runtime/host/l3/child_process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <system_error>
#include <thread>

namespace tandem::runtime::l3 {
namespace {

constexpr int kExitUncaughtException = 70;  // the body threw (EX_SOFTWARE)

}  // namespace

void ChildProcess::start(const std::function<int()>& body) {
    if (started()) throw std::logic_error("ChildProcess::start: already started");
    // Not under the lock: the child would inherit it locked.
    const pid_t pid = ::fork();
    if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid == 0) {
        int code = kExitUncaughtException;
        try {
            code = body();
        } catch (...) {
        }
        _exit(code);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    pid_ = pid;
}

pid_t ChildProcess::pid() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return pid_;
}

bool ChildProcess::started() const { return pid() >= 0; }

bool ChildProcess::poll_locked() {
    if (pid_ < 0 || ended_) return ended_;
    int status = 0;
    const pid_t got = waitpid(pid_, &status, WNOHANG);
    if (got == pid_) {
        ended_ = status_known_ = true;
        status_ = status;
    } else if (got < 0 && errno == ECHILD) {
        ended_ = true;  // reaped elsewhere (SIGCHLD ignored, or a waitpid(-1) in this process)
    }
    return ended_;
}

bool ChildProcess::poll_ended() {
    std::lock_guard<std::mutex> lock(mutex_);
    return poll_locked();
}

bool ChildProcess::wait_ended(int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!poll_ended()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

void ChildProcess::kill_and_reap() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pid_ < 0 || poll_locked()) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    pid_t got;
    do {
        got = waitpid(pid_, &status, 0);
    } while (got < 0 && errno == EINTR);
    ended_ = true;
    status_known_ = got == pid_;
    status_ = status;
}

int ChildProcess::end_signal() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return ended_ && status_known_ && WIFSIGNALED(status_) ? WTERMSIG(status_) : 0;
}

int ChildProcess::exit_code() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return ended_ && status_known_ && WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
}

std::string ChildProcess::how_it_ended() const {
    const int signal = end_signal(), code = exit_code();
    if (signal) {
        const char* abbreviation = sigabbrev_np(signal);
        const char* description = strsignal(signal);
        return "was killed by signal " + std::to_string(signal) + " (SIG" + (abbreviation ? abbreviation : "?") + ", " +
               (description ? description : "?") + ")";
    }
    if (code >= 0) return "exited with code " + std::to_string(code);
    return "ended; its exit status was collected elsewhere (is SIGCHLD ignored?)";
}

}  // namespace tandem::runtime::l3
