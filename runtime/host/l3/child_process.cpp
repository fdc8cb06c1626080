#include "runtime/host/l3/child_process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
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
        ended_ = true;
        end_.wait_status = status;
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
    if (got == pid_) end_.wait_status = status;
}

ProcessEnd ChildProcess::end() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return end_;
}

}  // namespace tandem::runtime::l3
