// A child process in its own process group with its output in a log file, polled
// without blocking and killed with its whole group (timeouts, leftovers).
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tandem::harness {

class ChildProcess {
public:
    // fork + exec of `program` with `args`, extra environment variables, stdout and
    // stderr to `log_path`. Throws std::runtime_error if the fork fails.
    static ChildProcess spawn(const std::string& program, const std::vector<std::string>& args,
                              const std::map<std::string, std::string>& environment, const std::string& log_path);

    // The wait status once the child exited (then its process group is killed, so
    // nothing it started outlives it); nullopt while it runs.
    std::optional<int> poll();
    // SIGKILL to the whole process group, then reaps the child.
    int kill_group();
    pid_t pid() const { return pid_; }

private:
    explicit ChildProcess(pid_t pid) : pid_(pid) {}
    pid_t pid_;
};

// "exited with code 3" / "killed by signal 11 (Segmentation fault)".
std::string describe_wait_status(int status);

// The path of the running executable (/proc/self/exe).
std::string current_executable();

}  // namespace tandem::harness
