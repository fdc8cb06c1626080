// The supervisor of one child process of the harness: a forked copy of the harness
// that is a child subreaper (PR_SET_CHILD_SUBREAPER), so every descendant of the child
// that is orphaned -- also one that left the child's process group with setsid --
// becomes its child. When the child ends, or the harness asks (SIGTERM) or dies
// (parent-death signal), it kills the child's process group and every remaining
// descendant, reaps them, reports the child's wait status on a pipe and exits.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace tandem::harness {

// What the supervised child runs (prepared by the harness before the fork).
struct ExecSpec {
    std::string program;
    std::vector<char*> argv;  // NULL-terminated
    std::vector<std::pair<std::string, std::string>> environment;  // added to the inherited environment
    std::string log_path;
};

// Runs in the forked supervisor; never returns. `report_fd`: the write end of the pipe
// the wait status goes to; `harness` the pid of the harness.
[[noreturn]] void supervise(const ExecSpec& spec, int report_fd, pid_t harness);

}  // namespace tandem::harness
