// The result of one scene on one arch: what the scene process reports (status,
// checks, per-task timelines, provider) plus what the parent adds (duration, log
// tail). Serialised to JSON between the scene process and the harness.
#pragma once

#include "harness/api_timings.h"
#include "runtime/host/chip_worker.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tandem::harness {

// pass: every check passed. fail: a check failed. error: the scene raised, crashed,
// timed out, faulted the device or is malformed. skipped: not run (arch not
// supported by the scene, or no provider, e.g. --hw without a board).
enum class Status { Pass, Fail, Error, Skipped };
const char* status_name(Status status);
Status status_from_name(const std::string& name);

// One ctx.check(): the largest errors over all elements and the tolerance used.
struct OutputCheck {
    std::string name;
    bool passed = false;
    double max_abs_error = 0, max_rel_error = 0;
    double rtol = 0, atol = 0;
    uint64_t mismatches = 0, elements = 0;
};

struct SceneResult {
    std::string scene, arch, provider;  // provider selection: "sim" / "hw"
    Status status = Status::Error;
    std::string reason;                 // why it is not a pass; empty for a pass
    bool infrastructure_problem = false;  // e.g. no board: the run as a whole cannot pass
    std::vector<OutputCheck> checks;
    std::vector<std::vector<runtime::TaskTiming>> runs;  // per ChipWorker::run, in order
    std::string provider_library, provider_version;
    std::optional<uint64_t> config_hash;  // tandem_sim_config_hash, simulator only
    ApiTimings api_timings;               // host API calls of the scene (ChipWorker)
    std::string trace_path;               // the run's memory trace (--trace), empty if none
    int32_t device = 0;                   // the device the scene was given (ctx.device)
    bool device_fault = false;            // the device reported a fault (CANN 507xxx error)
    double seconds = 0;                   // wall time of the scene process
    std::string log_tail;                 // last lines of the scene's output, for non-passes
};

void to_json(nlohmann::json& json, const SceneResult& result);
void from_json(const nlohmann::json& json, SceneResult& result);

}  // namespace tandem::harness
