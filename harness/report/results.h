// The result of one scene on one arch: what the scene process reports (status,
// checks, per-task timelines, provider) plus what the parent adds (duration, log
// tail; with --both the diff of the two providers' runs). Serialised to JSON between
// the scene process and the harness, and in the report.
#pragma once

#include "harness/scene_process/api_timings.h"
#include "runtime/host/chip_worker.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
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

// A check's error or tolerance as JSON, which has no infinities or NaN: a number, or the
// string "inf", "-inf" or "nan"; number_from_json reads either back.
nlohmann::json json_number(double value);
double number_from_json(const nlohmann::json& json);

// One ctx.check(): the largest errors over all elements and the tolerance used.
struct OutputCheck {
    std::string name;
    bool passed = false;
    double max_abs_error = 0, max_rel_error = 0;
    double rtol = 0, atol = 0;
    bool equal_nan = false;  // a NaN matched a NaN
    uint64_t mismatches = 0, elements = 0;
    std::string dtype;            // of the actual array (numpy name, e.g. "float32")
    std::vector<uint64_t> shape;  // of the actual array
    // Mismatches where either value is NaN: they have no error, so max_abs_error leaves them out.
    uint64_t nan_mismatches = 0;
    // The first element out of tolerance, in C order (none: empty index and texts), and its two
    // values as text, with every digit their dtypes tell apart.
    std::vector<uint64_t> first_mismatch;
    std::string first_actual, first_golden;
};

// One ChipWorker run: its per-task timeline and which task wrote each checked
// output (by check name; outputs whose array no task's host tensor covers are absent).
struct RunRecord {
    std::vector<runtime::TaskTiming> timeline;
    std::map<std::string, uint32_t> outputs;
    std::optional<runtime::StagingSummary> staging;  // how the run staged its host tensors (L2 runs)
};

// The run and task that wrote a checked output (its latest run), if a task's host tensor covers it.
struct OutputWriter {
    size_t run;
    uint32_t task;
    std::string kernel;
};

// One difference `harness run --both` found between the two providers' runs.
struct Difference {
    std::string kind;       // "output", "structure", "core", "order" or "timing"
    std::string message;    // one line, naming both values
    nlohmann::json detail;  // kind-specific fields (element index, values, task, ...)
};

// The comparison of one scene x arch on both providers.
struct ProviderDiff {
    std::string first, second;  // the providers, e.g. "sim" and "hw"
    std::vector<Difference> differences;
    size_t outputs_compared = 0, tasks_compared = 0;
    std::optional<double> timing_band;  // the scene's TIMING_BAND; timings not compared without
    bool same() const { return differences.empty(); }
};

// A fault armed in the simulator (TANDEM_SIM_INJECT / --second-inject) and what became
// of it, counted over the scene process and its L3 chip children.
struct FaultInjection {
    std::string spec;
    uint64_t fired = 0;   // times the fault was injected
    uint64_t stores = 0;  // stores the fault could have hit
};

// A memory trace a run wrote (--trace): one per simulated device.
struct TraceFile {
    int32_t device = 0;
    std::string path;
};

struct SceneResult {
    std::string scene, arch, provider;  // provider selection: "sim" / "hw"
    std::string case_name;              // the scene's case (CASES in scene.py); "" for a scene without cases
    Status status = Status::Error;
    std::string reason;                   // why it is not a pass; empty for a pass
    bool infrastructure_problem = false;  // e.g. no board: the run as a whole cannot pass
    std::vector<OutputCheck> checks;
    std::vector<RunRecord> runs;        // per ChipWorker::run, in order
    std::optional<double> timing_band;  // the scene's TIMING_BAND (relative), if it declares one
    std::string provider_library, provider_version;
    std::optional<uint64_t> config_hash;            // tandem_sim_config_hash, simulator only
    ApiTimings api_timings;                         // host API calls of the scene (ChipWorker)
    std::vector<TraceFile> traces;                  // the run's memory traces (--trace), by device
    std::optional<FaultInjection> fault_injection;  // the simulator fault armed for the run, if any
    int32_t device = 0;                             // the device the scene was given (ctx.device)
    bool device_fault = false;                      // the device reported a fault (CANN 507xxx error)
    double seconds = 0;                             // wall time of the scene process
    std::string log_tail;                           // last lines of the scene's output, for non-passes
    std::vector<std::string> notes;                 // what a reader must know that does not change the status
    // --both: the comparison and the two providers' own results (provider is "both").
    std::optional<ProviderDiff> diff;
    std::vector<SceneResult> sides;
};

// "scene", for a case "scene[case]": the test name in the JUnit.
std::string scene_label(const SceneResult& result);
// "scene/arch", for a case "scene[case]/arch": how a run is named on the console.
std::string run_label(const SceneResult& result);
// Who wrote the output checked as `name`; ", written by run 0 task 3 (add)" (empty if unknown).
std::optional<OutputWriter> writer_of(const SceneResult& result, const std::string& name);
std::string written_by_text(const std::optional<OutputWriter>& writer);

// The report's JSON (--json): each run's timeline one object per task.
void to_json(nlohmann::json& json, const SceneResult& result);
// What a scene process hands the harness (its result file): the report's fields, but each
// run's timeline as one array per field ("timeline_columns"), which a 100k-task run writes
// and the harness reads back in a fraction of the time and memory.
nlohmann::json scene_process_json(const SceneResult& result);
// Reads scene_process_json's form (a pair's diff and sides are the parent's own).
void from_json(const nlohmann::json& json, SceneResult& result);

}  // namespace tandem::harness
