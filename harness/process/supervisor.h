// The supervisor of one child process of the harness: a forked copy of the harness
// that is a child subreaper (PR_SET_CHILD_SUBREAPER), so every descendant of the child
// that is orphaned -- also one that left the child's process group with setsid --
// becomes its child. When the child ends, or the harness asks (SIGTERM) or dies
// (parent-death signal), it kills the child's process group and every remaining
// descendant, reaps them, reports the child's wait status on a pipe and exits.
// Should the supervisor itself be killed, the child dies with it (parent-death
// signal) and the harness, which has its pid from the pipe, kills the child's group.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace tandem::harness {

// What the supervised child runs (prepared by the harness before the fork).
struct ExecSpec {
    std::string program;
    std::vector<char*> argv;                                       // NULL-terminated
    std::vector<std::pair<std::string, std::string>> environment;  // added to the inherited environment
    std::string log_path;
};

// The report on the supervisor's pipe: the child's pid as soon as it is forked, then
// its wait status once the child and everything it left are gone.
struct SupervisorReport {
    pid_t child;
    int wait_status;
};

// Runs in the forked supervisor; never returns. `report_fd`: the write end of the pipe
// the wait status goes to; `harness` the pid of the harness.
[[noreturn]] void supervise(const ExecSpec& spec, int report_fd, pid_t harness);

}  // namespace tandem::harness
