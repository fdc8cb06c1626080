// `harness run`: every selected scene x arch in its own scene process (the harness
// itself, `harness run-one ...`), at most --jobs at a time, each killed with its
// process group at --timeout; with --both each on two providers, then diffed
// (compare/provider_diff.h); then the summary, --json and --junit.
#pragma once

#include <string>
#include <vector>

namespace tandem::harness {

struct RunOptions {
    std::vector<std::string> scenes;  // empty: all; "scene[case]": one case of a scene
    std::string scenes_dir = TANDEM_SCENES_DIR;
    std::string provider = "sim";  // "sim" / "hw"; ignored with --both
    bool both = false;             // the simulator and a second provider, diffed
    std::string second_config;     // --both: the second side is the simulator with this arch config
    std::string second_inject;     // --both: the second side is the simulator with this fault armed
    std::string arch = "all";
    double timeout_seconds = 120;
    unsigned jobs = 1;
    std::string json_path, junit_path, filter;
    std::string trace_dir;             // simulator: DIR/<scene>.<arch>.trace per run
    std::vector<std::string> sim_set;  // --set section.key=value: simulator config overrides (TANDEM_SIM_SET)
    std::string shard;                 // "I/N", empty: everything
    std::string devices;               // --device LIST, empty: device 0, unchecked
    std::string lock_dir;              // device locks (devices/device_locks.h); "" for the default
    bool shared_ok = false;            // --hw: a device another process has HBM on is usable (npu-smi)
    double device_wait_seconds = 600;  // how long a run waits for a device another process holds
    bool list = false;
    bool verbose = false;  // print each run's log as it finishes
};

// Exit codes of `harness run`.
enum ExitCode { kAllPassed = 0, kSomeFailed = 1, kInfrastructure = 2 };

// Returns the exit code; throws UsageError for bad input.
int run_scenes(const RunOptions& options);

}  // namespace tandem::harness
