// One forked child process as its parent sees it: starting it, reaping it without
// blocking, killing it, and how it ended. Thread-safe, and a child still running when
// its handle goes away is killed and reaped, so no child outlives its handle.
#pragma once

#include "common/process_end.h"

#include <sys/types.h>

#include <functional>
#include <mutex>

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

    // How it ended; meaningful once poll_ended() or wait_ended() said it has.
    ProcessEnd end() const;

private:
    bool poll_locked();

    mutable std::mutex mutex_;
    pid_t pid_ = -1;
    bool ended_ = false;
    ProcessEnd end_{std::nullopt, "it was collected elsewhere: is SIGCHLD ignored?"};
};

}  // namespace tandem::runtime::l3
