// A child process started through a supervisor (supervisor.h) that kills everything
// the child leaves behind: its process group, and descendants that left the group
// (setsid) or were orphaned. The child dies with the harness (parent-death signal),
// even on kill -9. Output goes to a log file; the end is polled without blocking.
#pragma once

#include "common/process_end.h"

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tandem::harness {

class ChildProcess {
public:
    // fork + exec of `program` with `args`, extra environment variables, stdout and
    // stderr to `log_path`, under a supervisor. Throws std::runtime_error if it cannot start.
    static ChildProcess spawn(const std::string& program, const std::vector<std::string>& args,
                              const std::map<std::string, std::string>& environment, const std::string& log_path);
    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&& other) noexcept;  // terminates this one's child if it still runs
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess();  // terminates a child still running

    // The end once the child and everything it started are gone; nullopt while it runs.
    std::optional<ProcessEnd> poll();
    // Kills the child and everything it started, and returns once they are gone.
    ProcessEnd terminate();
    // Blocks until the child ends, at most `timeout_seconds`: then it is terminated and
    // nullopt returned (a hang).
    std::optional<ProcessEnd> wait_at_most(double timeout_seconds);

private:
    ChildProcess(pid_t supervisor, int report) : supervisor_(supervisor), report_(report) {}
    ProcessEnd reap();

    pid_t supervisor_;
    int report_;  // read end of the supervisor's report pipe (supervisor.h); -1 once reaped
    char report_bytes_[sizeof(pid_t) + sizeof(int)] = {};
    size_t received_ = 0;
};

// The path of the running executable (/proc/self/exe).
std::string current_executable();

}  // namespace tandem::harness
