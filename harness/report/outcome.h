// Turns a finished (or stopped) scene process into its SceneResult: the result the
// process wrote, or why there is none (crash, timeout, interrupt), plus its log tail.
#pragma once

#include "harness/process/child_process.h"
#include "harness/report/results.h"

#include <string>

namespace tandem::harness {

struct SceneProcessEnd {
    ProcessEnd process;
    enum class StoppedBy { Nothing, Timeout, Interrupt } stopped_by = StoppedBy::Nothing;
    double timeout_seconds = 0;
    std::string interrupt;  // StoppedBy::Interrupt: the signal's name, e.g. "SIGTERM"
    double seconds = 0;
    std::string result_path, log_path;
};

SceneResult scene_outcome(const std::string& scene, const std::string& arch, const std::string& provider,
                          const SceneProcessEnd& end);

// "interrupted (SIGINT)": how results name a run the harness was told to stop.
std::string interrupted_by(const std::string& signal);

// The last `lines` lines of a file, at most its last 8 KiB (saying so when earlier
// bytes are cut), as valid UTF-8; "" if unreadable.
std::string file_tail(const std::string& path, size_t lines);

// file_tail without its trailing newlines: a helper child's reason for failing, for one message.
std::string log_reason(const std::string& path, size_t lines);

}  // namespace tandem::harness
