// One forked child process as its parent sees it: starting it, reaping it without
// blocking, killing it, and how it ended. Thread-safe, and a child still running when
// its handle goes away is killed and reaped, so no child outlives its handle.
#pragma once

#include <sys/types.h>

#include <functional>
#include <mutex>
#include <string>

namespace tandem::runtime::l3 {

class ChildProcess {
public:
    ChildProcess() = default;
    ~ChildProcess() { kill_and_reap(); }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Forks. The child runs `body` and _exits with its result: it never returns into the
    // caller's stack or runs the parent's exit handlers.
    void start(const std::function<int()>& body);
    pid_t pid() const;
    bool started() const;

    // Reaps the child if it has ended; never blocks.
    bool poll_ended();
    // Polls until the child ended or `timeout_ms` passed.
    bool wait_ended(int timeout_ms);
    // SIGKILL, then reap. Does nothing for a child that already ended.
    void kill_and_reap();

    // After it ended: the signal that ended it (else 0) and its exit code (else -1).
    int end_signal() const;
    int exit_code() const;
    // "was killed by signal 6 (SIGABRT, Aborted)" / "exited with code 3".
    std::string how_it_ended() const;

private:
    bool poll_locked();

    mutable std::mutex mutex_;
    pid_t pid_ = -1;
    bool ended_ = false;
    bool status_known_ = false;
    int status_ = 0;
};

}  // namespace tandem::runtime::l3
