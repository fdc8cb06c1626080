// Turns a finished (or timed-out) scene process into its SceneResult: the result
// the process wrote, or why there is none (crash, timeout), plus its log tail.
#pragma once

#include "harness/results.h"

#include <optional>
#include <string>

namespace tandem::harness {

struct SceneProcessEnd {
    std::optional<int> wait_status;  // nullopt: killed at the timeout
    double timeout_seconds;
    double seconds;
    std::string result_path, log_path;
};

SceneResult scene_outcome(const std::string& scene, const std::string& arch, const std::string& provider,
                          const SceneProcessEnd& end);

// The last `lines` lines of a file ("" if unreadable).
std::string file_tail(const std::string& path, size_t lines);

}  // namespace tandem::harness
