// How a child process ended, in one vocabulary for every parent in tandem (the harness's
// scene and helper processes, the L3 Worker's chip children): its wait status, or
// nothing when that was lost. Never a silent success.
#pragma once

#include <sys/wait.h>

#include <cstring>
#include <optional>
#include <string>

namespace tandem {

struct ProcessEnd {
    std::optional<int> wait_status;  // as waitpid reported it; nullopt: lost
    // Why the status was lost (completes "its exit status is unknown (...)").
    std::string why_unknown = "it was collected elsewhere";

    bool exited_with(int code) const { return exit_code() == code; }
    // The exit code if it exited, else -1.
    int exit_code() const { return wait_status && WIFEXITED(*wait_status) ? WEXITSTATUS(*wait_status) : -1; }
    // The signal that killed it, else 0.
    int signal() const { return wait_status && WIFSIGNALED(*wait_status) ? WTERMSIG(*wait_status) : 0; }
    bool core_dumped() const { return signal() != 0 && WCOREDUMP(*wait_status); }

    // "exited with code 3" / "was killed by signal 6 (SIGABRT, Aborted), core dumped" /
    // "ended with its exit status unknown (it was collected elsewhere)".
    std::string describe() const {
        if (const int number = signal()) {
            const char* abbreviation = sigabbrev_np(number);
            const char* description = strsignal(number);
            return "was killed by signal " + std::to_string(number) + " (SIG" + (abbreviation ? abbreviation : "?") +
                   ", " + (description ? description : "?") + ")" + (core_dumped() ? ", core dumped" : "");
        }
        if (wait_status) return "exited with code " + std::to_string(exit_code());
        return "ended with its exit status unknown (" + why_unknown + ")";
    }
};

}  // namespace tandem
