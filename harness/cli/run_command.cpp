#include "harness/cli/run_command.h"

#include "harness/cli/usage_error.h"
#include "harness/compare/pair_outcome.h"
#include "harness/devices/board_arch.h"
#include "harness/devices/device_check.h"
#include "harness/devices/device_locks.h"
#include "harness/devices/device_pool.h"
#include "harness/plan/catalog.h"
#include "harness/plan/provider_sides.h"
#include "harness/plan/scene_cases.h"
#include "harness/plan/shard.h"
#include "harness/process/child_process.h"
#include "harness/process/work_dir.h"
#include "harness/report/outcome.h"
#include "harness/report/report.h"
#include "harness/report/trace_files.h"
#include "harness/report/utf8.h"
#include "hw/board/board_discovery.h"
#include "hw/board/npu_smi_tool.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <thread>

namespace tandem::harness {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kDeviceCheckTimeoutSeconds = 60;

volatile sig_atomic_t interrupt_signal = 0;  // the SIGINT / SIGTERM that asked the run to stop
void on_interrupt(int signal) { interrupt_signal = signal; }

std::string signal_name(int signal) {
    if (signal == SIGINT) return "SIGINT";
    if (signal == SIGTERM) return "SIGTERM";
    return "signal " + std::to_string(signal);
}

// SIGINT and SIGTERM stop the run: running scenes are killed, pending ones are not
// started, and the results so far are reported. They are unblocked in case the caller
// blocked them.
void stop_on_interrupt() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigset_t signals;
    sigemptyset(&signals);
    for (const int signal : {SIGINT, SIGTERM}) {
        sigaction(signal, &action, nullptr);
        sigaddset(&signals, signal);
    }
    sigprocmask(SIG_UNBLOCK, &signals, nullptr);
}

// One scene (case) x arch on one provider side (plan/provider_sides.h).
struct Job {
    std::string scene, case_name, arch;  // case_name: "" for a scene without CASES
    size_t side = 0;
};

struct RunningJob {
    size_t index;
    ChildProcess process;
    Clock::time_point started;
    std::string result_path, log_path;
    std::string trace_path;  // empty: no trace requested
    int32_t device;
};

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// A run this long shows its seconds in the progress line, which is then shown again while it
// runs (also for a single run, which otherwise shows none): every second on a terminal, every
// minute in a log. A long scene (a 100k-task graph, a large GEMM) is never silent for long.
constexpr double kLongRunSeconds = 10;
constexpr double kHeartbeatSecondsTerminal = 1, kHeartbeatSecondsLog = 60;

class Scheduler {
public:
    Scheduler(const RunOptions& options, std::vector<ProviderSide> sides, std::vector<Job> jobs,
              std::optional<BoardArch> board)
        : options_(options),
          sides_(std::move(sides)),
          jobs_(std::move(jobs)),
          board_(std::move(board)),
          results_(jobs_.size()),
          executable_(current_executable()),
          devices_(options.devices.empty() ? std::vector<int32_t>{0} : parse_device_list(options.devices),
                   health_check(), !options.devices.empty()) {
        // A simulated device is private to its scene process, so the simulator's devices are
        // locked only when --device names them; a board's always are.
        if (!options.devices.empty() || on_board(sides_)) {
            locks_.emplace(options.lock_dir.empty() ? hw::default_lock_dir() : options.lock_dir);
        }
    }

    std::vector<SceneResult> run() {
        bool show_progress = jobs_.size() > 1;  // a single run's, from its first heartbeat on
        const bool terminal = isatty(STDERR_FILENO);
        const double heartbeat_seconds = terminal ? kHeartbeatSecondsTerminal : kHeartbeatSecondsLog;
        Clock::time_point last_progress = Clock::now();
        size_t next = 0, done = 0;
        std::vector<SceneResult> finished;
        while (done < jobs_.size()) {
            bool changed = false;
            if (interrupt_signal && next < jobs_.size()) {  // pending runs are not started
                for (; next < jobs_.size(); ++next, ++done) {
                    results_[next] = unrun(next, Status::Skipped,
                                           interrupted_by(signal_name(interrupt_signal)) + " before it started", true);
                    finished.push_back(results_[next]);
                }
                changed = true;
            }
            while (next < jobs_.size() && running_.size() < std::max(1u, options_.jobs)) {
                std::optional<SceneResult> not_started;
                if (board_ && jobs_[next].arch != board_->arch) {  // the board is another arch: nothing to run on
                    not_started =
                        unrun(next, Status::Skipped, "board is " + board_->soc + " (" + board_->arch + ")", false);
                } else if (const DevicePool::Acquired acquired = start(next); acquired.device) {
                    waiting_since_.reset();
                } else if (acquired.busy.empty()) {
                    not_started =
                        unrun(next, Status::Error, "no usable device left (" + devices_.retired_summary() + ")", false);
                } else if (still_waiting(jobs_[next], acquired.busy)) {
                    break;  // the job waits for a device; try again on the next round
                } else {
                    not_started = unrun(next, Status::Error, busy_reason(jobs_[next], acquired.busy), true);
                }
                if (not_started) {
                    results_[next] = *not_started;
                    finished.push_back(results_[next]);
                    ++done;
                    changed = true;
                }
                ++next;
            }
            for (auto it = running_.begin(); it != running_.end();) {
                std::optional<SceneProcessEnd> end = check(*it);
                if (!end) {
                    ++it;
                    continue;
                }
                const Job& job = jobs_[it->index];
                results_[it->index] = scene_outcome(job.scene, job.arch, sides_[job.side].provider, *end);
                SceneResult& result = results_[it->index];
                result.case_name = job.case_name;
                if (options_.verbose) print_log(job, result, it->log_path);
                if (!it->trace_path.empty()) result.traces = traces_written(it->trace_path);
                result.device = it->device;
                if (result.device_fault) quarantine_if_broken(job, result);
                finished.push_back(results_[it->index]);
                it = running_.erase(it);
                ++done;
                changed = true;
            }
            const bool heartbeat = !changed && longest_running_seconds() >= kLongRunSeconds &&
                                   seconds_since(last_progress) >= heartbeat_seconds;
            if ((changed && show_progress) || heartbeat) {
                print_progress(std::cerr, done, jobs_.size(), finished, running_names(), terminal);
                last_progress = Clock::now();
                show_progress = true;  // a terminal's line ends only with the last progress line
            }
            if (!changed) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return results_;
    }

    // The devices that left the pool during the run, and why.
    const std::map<int32_t, std::string>& quarantined() const { return devices_.retired(); }

    // Where job `index`'s scene process dumps its checked outputs (--both); "" for none.
    std::string dump_dir(size_t index) const { return sides_.size() > 1 ? work_.file(index, ".outputs") : ""; }

private:
    // A job that did not run, and why; `infrastructure_problem`: the run as a whole is incomplete (interrupted).
    SceneResult unrun(size_t index, Status status, const std::string& reason, bool infrastructure_problem) const {
        SceneResult result;
        result.scene = jobs_[index].scene;
        result.case_name = jobs_[index].case_name;
        result.arch = jobs_[index].arch;
        result.provider = sides_[jobs_[index].side].provider;
        result.status = status;
        result.infrastructure_problem = infrastructure_problem;
        result.reason = reason;
        return result;
    }

    // Starts the job's scene process on a device this run holds; what the pool gave (no device:
    // none left, or all of them busy).
    DevicePool::Acquired start(size_t index) {
        const Job& job = jobs_[index];
        const ProviderSide& side = sides_[job.side];
        const DevicePool::Acquired acquired =
            devices_.acquire([&](int32_t device) { return !locks_ || locks_->hold(side.provider, device); });
        if (!acquired.device) return acquired;
        const int32_t device = *acquired.device;
        const std::string result_path = work_.file(index, ".json"), log_path = work_.file(index, ".log");
        const std::string provider = provider_to_load(side.provider);
        std::vector<std::string> args = {"run-one",    job.scene,   "--arch",       job.arch,
                                         "--provider", provider,    "--scenes-dir", options_.scenes_dir,
                                         "--result",   result_path, "--device",     std::to_string(device)};
        if (!job.case_name.empty()) args.insert(args.end(), {"--case", job.case_name});
        std::map<std::string, std::string> environment = {{"TANDEM_SIM_ARCH", job.arch}, {"TANDEM_PROVIDER", provider}};
        if (!side.sim_config.empty()) args.insert(args.end(), {"--sim-config", side.sim_config});
        if (!side.inject.empty()) environment["TANDEM_SIM_INJECT"] = side.inject;
        if (side.provider == "sim" && !options_.sim_set.empty()) {
            std::string overrides;
            for (const std::string& entry : options_.sim_set) overrides += (overrides.empty() ? "" : ",") + entry;
            environment["TANDEM_SIM_SET"] = overrides;
        }
        const std::string dump_dir = this->dump_dir(index);
        if (!dump_dir.empty()) {
            std::filesystem::create_directories(dump_dir);
            args.insert(args.end(), {"--dump-dir", dump_dir});
        }
        const std::string trace_path = this->trace_path(job);
        if (!trace_path.empty()) {
            remove_stale_traces(trace_path);
            environment["TANDEM_SIM_TRACE"] = trace_path;
        }
        running_.push_back({index, ChildProcess::spawn(executable_, args, environment, log_path), Clock::now(),
                            result_path, log_path, trace_path, device});
        return acquired;
    }

    // Whether the job may wait longer for one of the `busy` devices (--device-wait); says once
    // per holder that it waits, and for whom.
    bool still_waiting(const Job& job, const std::vector<int32_t>& busy) {
        if (!waiting_since_) waiting_since_ = Clock::now();
        const std::string holders = busy_holders(job, busy);
        if (holders != announced_wait_) {
            announced_wait_ = holders;
            std::cerr << "harness: " << name(job) << " waits for a device: " << holders << "; up to "
                      << static_cast<int64_t>(options_.device_wait_seconds) << " s (--device-wait)\n";
        }
        return seconds_since(*waiting_since_) < options_.device_wait_seconds;
    }

    // "device 3 held by pid 12 (harness run ...) since ..., device 4 held by ..."
    std::string busy_holders(const Job& job, const std::vector<int32_t>& busy) const {
        std::string out;
        for (const int32_t device : busy) {
            const std::optional<hw::LockHolder> holder = locks_->other_holder(sides_[job.side].provider, device);
            out += (out.empty() ? "" : ", ") + std::string("device ") + std::to_string(device) + " held by " +
                   (holder ? holder->describe() : "another process");
        }
        return out;
    }

    std::string busy_reason(const Job& job, const std::vector<int32_t>& busy) const {
        return "device busy: " + busy_holders(job, busy) + " (lock directory " + locks_->dir() + "); waited " +
               std::to_string(static_cast<int64_t>(options_.device_wait_seconds)) + " s (--device-wait)";
    }

    // A run that faulted its device: the device is reset and re-checked, and leaves the pool
    // (quarantined) if it fails again; a device that passes stays, which the result notes.
    void quarantine_if_broken(const Job& job, SceneResult& result) {
        const std::string fault = "faulted in " + name(job) + ": " + result.reason;
        const std::string device = "device " + std::to_string(result.device);
        if (const std::optional<std::string> problem = devices_.recheck_after_fault(result.device, fault)) {
            result.notes.push_back(device +
                                   " quarantined (out of the pool for this run): it failed its re-check "
                                   "after the fault: " +
                                   *problem);
        } else {
            result.notes.push_back(device + " faulted, was reset and re-checked: healthy, it stays in the pool");
        }
    }

    // The device health check, in a child process (one simulated chip per process).
    DevicePool::HealthCheck health_check() {
        return [this](int32_t device) {
            const std::string log_path = work_.file(jobs_.size() + static_cast<size_t>(device), ".device.log");
            const std::string arch = jobs_.empty() ? kArches.front() : jobs_.front().arch;
            return check_device_in_child(executable_, checked_provider(), arch, device, log_path,
                                         kDeviceCheckTimeoutSeconds, options_.shared_ok);
        };
    }

    // The provider devices are health-checked on: a board if a side runs on one.
    std::string checked_provider() const { return on_board(sides_) ? provider_to_load("hw") : "sim"; }

    // DIR/<scene>[.<case>].<arch>[.second].trace with --trace on the simulator; "" otherwise.
    std::string trace_path(const Job& job) const {
        const ProviderSide& side = sides_[job.side];
        if (options_.trace_dir.empty() || side.provider != "sim") return "";
        const std::string stem = job.scene + (job.case_name.empty() ? "" : "." + job.case_name);
        return (std::filesystem::absolute(options_.trace_dir) / (stem + "." + job.arch + side.suffix + ".trace"))
            .string();
    }

    // "scene[case]/arch", with --both "scene[case]/arch [hw]".
    std::string name(const Job& job) const {
        const std::string name = job.scene + (job.case_name.empty() ? "" : "[" + job.case_name + "]") + "/" + job.arch;
        return sides_.size() > 1 ? name + " [" + sides_[job.side].label() + "]" : name;
    }

    // --verbose: the run's whole output (the scene's prints, stdout and stderr) once it ended.
    void print_log(const Job& job, const SceneResult& result, const std::string& log_path) const {
        std::ifstream in(log_path, std::ios::binary);
        const std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::cout << "--- " << name(job) << ": " << status_name(result.status) << ", output:\n"
                  << (log.empty() ? "(none)" : valid_utf8(log)) << (!log.empty() && log.back() == '\n' ? "" : "\n")
                  << std::flush;
    }

    // The end of a scene process: exited, or killed at the timeout / on interrupt.
    std::optional<SceneProcessEnd> check(RunningJob& job) {
        const double elapsed = seconds_since(job.started);
        SceneProcessEnd end;
        end.timeout_seconds = options_.timeout_seconds;
        end.seconds = elapsed;
        end.result_path = job.result_path;
        end.log_path = job.log_path;
        if (std::optional<ProcessEnd> process = job.process.poll()) {
            end.process = *process;
            return end;
        }
        if (interrupt_signal) {
            end.stopped_by = SceneProcessEnd::StoppedBy::Interrupt;
            end.interrupt = signal_name(interrupt_signal);
        } else if (elapsed >= options_.timeout_seconds) {
            end.stopped_by = SceneProcessEnd::StoppedBy::Timeout;
        } else {
            return std::nullopt;
        }
        end.process = job.process.terminate();
        return end;
    }

    // "scene/arch", with its whole seconds once it has run kLongRunSeconds.
    std::vector<std::string> running_names() const {
        std::vector<std::string> names;
        for (const auto& job : running_) {
            const double seconds = seconds_since(job.started);
            names.push_back(name(jobs_[job.index]) + (seconds >= kLongRunSeconds
                                                          ? " (" + std::to_string(static_cast<long>(seconds)) + " s)"
                                                          : ""));
        }
        return names;
    }

    double longest_running_seconds() const {
        double longest = 0;
        for (const auto& job : running_) longest = std::max(longest, seconds_since(job.started));
        return longest;
    }

    const RunOptions& options_;
    std::vector<ProviderSide> sides_;
    std::vector<Job> jobs_;
    std::optional<BoardArch> board_;  // with a board: runs of any other arch are skipped
    std::vector<SceneResult> results_;
    std::string executable_;
    WorkDir work_;
    DevicePool devices_;
    std::optional<DeviceLocks> locks_;                // none: the simulator without --device
    std::optional<Clock::time_point> waiting_since_;  // since when the next job waits for a busy device
    std::string announced_wait_;                      // the holders the last "waits for a device" line named
    std::vector<RunningJob> running_;
};

std::string selection_name(const SceneSelection& selection) {
    return selection.scene + (selection.case_name.empty() ? "" : "[" + selection.case_name + "]");
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

// The scene runs the command line asks for: each selected scene once, or once per
// case if it declares CASES -- only the named case for "scene[case]". Sorted by scene,
// then case in declaration order. Throws UsageError for an unknown case.
std::vector<SceneSelection> select_runs(const RunOptions& options) {
    std::vector<SceneSelection> requested;
    std::vector<std::string> requested_scenes;
    for (const auto& text : options.scenes) {
        requested.push_back(parse_scene_selection(text));
        requested_scenes.push_back(requested.back().scene);
    }
    std::vector<std::string> scenes = select_scenes(options.scenes_dir, requested_scenes, options.filter);
    std::sort(scenes.begin(), scenes.end());
    scenes.erase(std::unique(scenes.begin(), scenes.end()), scenes.end());
    const WorkDir listing;
    const std::string executable = current_executable();
    std::vector<SceneSelection> runs;
    for (size_t index = 0; index < scenes.size(); ++index) {
        const std::string& scene = scenes[index];
        const std::vector<std::string> cases =
            discover_cases(executable, options.scenes_dir, scene, listing.file(index, ""), options.timeout_seconds);
        const bool whole_scene =
            requested.empty() || std::any_of(requested.begin(), requested.end(),
                                             [&](const auto& r) { return r.scene == scene && r.case_name.empty(); });
        for (const auto& r : requested) {
            if (r.scene != scene || r.case_name.empty()) continue;
            if (std::find(cases.begin(), cases.end(), r.case_name) == cases.end()) {
                const std::string known = cases.empty()
                                              ? "it declares no CASES, or they cannot be read: run it alone to see why"
                                              : "its cases: " + joined(cases);
                throw UsageError("scene '" + scene + "' has no case '" + r.case_name + "' (" + known + ")");
            }
        }
        if (cases.empty()) runs.push_back({scene, ""});
        for (const auto& case_name : cases) {
            const bool named = std::any_of(requested.begin(), requested.end(),
                                           [&](const auto& r) { return r.scene == scene && r.case_name == case_name; });
            if (whole_scene || named) runs.push_back({scene, case_name});
        }
    }
    return runs;
}

// Every scene run x arch, sorted by scene (case) then arch: the order --shard splits (on side 0).
std::vector<Job> sorted_jobs(const std::vector<SceneSelection>& runs, const std::vector<std::string>& arches) {
    std::vector<Job> jobs;
    for (const auto& run : runs) {
        for (const auto& arch : arches) jobs.push_back({run.scene, run.case_name, arch});
    }
    return jobs;
}

std::vector<Job> shard_of(const std::vector<Job>& jobs, const Shard& shard) {
    std::vector<Job> selected;
    for (size_t position = 0; position < jobs.size(); ++position) {
        if (in_shard(shard, position)) selected.push_back(jobs[position]);
    }
    if (selected.empty()) {
        std::cerr << "harness: note: shard " << shard.index << "/" << shard.count << " has no scene runs ("
                  << jobs.size() << " in all)\n";
    }
    return selected;
}

// Each scene x arch once per provider side, the sides of a scene x arch next to each other.
std::vector<Job> on_each_side(const std::vector<Job>& jobs, size_t sides) {
    std::vector<Job> expanded;
    for (const auto& job : jobs) {
        for (size_t side = 0; side < sides; ++side) expanded.push_back({job.scene, job.case_name, job.arch, side});
    }
    return expanded;
}

// --both: the two sides' results of each scene x arch (next to each other) as one
// pair result; otherwise the results as they are.
std::vector<SceneResult> compared(const std::vector<SceneResult>& results, const std::vector<ProviderSide>& sides,
                                  const Scheduler& scheduler) {
    if (sides.size() == 1) return results;
    std::vector<SceneResult> pairs;
    for (size_t first = 0; first + 1 < results.size(); first += 2) {
        pairs.push_back(pair_outcome({results[first], sides[0].label(), scheduler.dump_dir(first)},
                                     {results[first + 1], sides[1].label(), scheduler.dump_dir(first + 1)}));
    }
    return pairs;
}

// Creates --trace DIR; on a board there is no memory trace, which is said once.
void prepare_trace_dir(const RunOptions& options, const std::vector<ProviderSide>& sides) {
    if (options.trace_dir.empty()) return;
    if (std::none_of(sides.begin(), sides.end(), [](const auto& side) { return side.provider == "sim"; })) {
        std::cerr << "harness: note: --trace needs the simulator (--sim): a board has no memory trace, so none is "
                     "written\n";
        return;
    }
    std::error_code error;
    std::filesystem::create_directories(options.trace_dir, error);
    if (error) throw UsageError("--trace " + options.trace_dir + ": cannot create the directory: " + error.message());
}

// A report the run will write at its end must be writable before the run starts: a run of many
// minutes must not end in "cannot write" with its results lost.
void require_writable_report(const char* option, const std::string& path) {
    if (path.empty()) return;
    namespace fs = std::filesystem;
    const fs::path file(path);
    const fs::path directory = file.has_parent_path() ? file.parent_path() : fs::path(".");
    std::error_code error;
    if (fs::is_directory(file, error))
        throw UsageError(std::string(option) + " " + path + ": is a directory; name a file");
    if (!fs::is_directory(directory, error)) {
        throw UsageError(std::string(option) + " " + path + ": the directory " + directory.string() +
                         " does not exist (create it first)");
    }
    const bool exists = fs::exists(file, error);
    if (access(exists ? path.c_str() : directory.c_str(), W_OK) != 0) {
        throw UsageError(
            std::string(option) + " " + path + ": " +
            (exists ? "the file is not writable" : "the directory " + directory.string() + " is not writable"));
    }
}

// Writes the reports; a report that cannot be written is said and does not keep the other from
// being written. False if one could not be.
bool write_reports(const RunOptions& options, const RunProvenance& provenance, const std::vector<SceneResult>& results,
                   const std::map<int32_t, std::string>& quarantined) {
    bool written = true;
    const auto attempt = [&](const std::string& path, const auto& write) {
        if (path.empty()) return;
        try {
            write();
        } catch (const std::exception& error) {
            std::cerr << "harness: " << error.what() << "\n";
            written = false;
        }
    };
    attempt(options.json_path, [&] { write_json(options.json_path, provenance, results, quarantined); });
    attempt(options.junit_path, [&] { write_junit(options.junit_path, provenance, results); });
    return written;
}

// With a board, its SoC and arch (asked on the first device); nullopt on the simulator or when
// the board's provider cannot be loaded (each run then reports that). Throws UsageError if
// `arches` leave nothing to run on the board.
std::optional<BoardArch> board_arch(const RunOptions& options, const std::vector<ProviderSide>& sides,
                                    const std::vector<std::string>& arches) {
    if (!on_board(sides)) return std::nullopt;
    const int32_t device = options.devices.empty() ? 0 : parse_device_list(options.devices).front();
    std::optional<BoardArch> board =
        board_arch_in_child(current_executable(), provider_to_load("hw"), device, kDeviceCheckTimeoutSeconds);
    if (!board) return board;
    if (std::find(arches.begin(), arches.end(), board->arch) == arches.end()) {
        throw UsageError("the board is " + board->soc + " (" + board->arch + "), but --arch " + options.arch +
                         " asks for another arch: nothing can run on it (run with --arch " + board->arch +
                         " or --arch all)");
    }
    std::cerr << "harness: the board is " << board->soc << " (" << board->arch << "): only " << board->arch
              << " runs on it, any other arch is skipped\n";
    return board;
}

// The board facts for the reports: the board's SoC, arch and provider, the driver's version
// (npu-smi) and the devices its scene runs were given; nullopt without a board.
std::optional<BoardFacts> board_facts(const std::optional<BoardArch>& board, const std::vector<SceneResult>& results) {
    if (!board) return std::nullopt;
    BoardFacts facts{board->soc, board->arch, board->provider_version, "unknown (no npu-smi on PATH)", {}};
    if (const std::optional<std::string> npu_smi = hw::find_npu_smi()) {
        try {
            facts.driver_version = hw::board_driver_version(*npu_smi);
            if (facts.driver_version.empty()) facts.driver_version = "unknown (npu-smi info prints no version)";
        } catch (const std::exception& error) {
            facts.driver_version = std::string("unknown (") + error.what() + ")";
        }
    }
    std::set<int32_t> devices;
    const auto add = [&](const SceneResult& r) {
        if (r.provider != "sim" && r.status != Status::Skipped) devices.insert(r.device);
    };
    for (const SceneResult& r : results) {
        add(r);
        for (const SceneResult& side : r.sides) add(side);
    }
    facts.devices.assign(devices.begin(), devices.end());
    return facts;
}

int exit_code(const std::vector<SceneResult>& results) {
    int code = kAllPassed;
    for (const auto& r : results) {
        if (r.infrastructure_problem) return kInfrastructure;
        if (r.status == Status::Fail || r.status == Status::Error) code = kSomeFailed;
    }
    return code;
}

}  // namespace

int run_scenes(const RunOptions& options) {
    const std::vector<std::string> arches = select_arches(options.arch);
    const std::vector<SceneSelection> runs = select_runs(options);
    if (options.list) {
        for (const auto& run : runs) std::cout << selection_name(run) << "\n";
        return kAllPassed;
    }
    const std::vector<ProviderSide> sides = provider_sides(options);
    std::vector<Job> jobs = sorted_jobs(runs, arches);
    if (!options.shard.empty()) jobs = shard_of(jobs, parse_shard(options.shard));
    if (!options.devices.empty()) parse_device_list(options.devices);  // bad lists are usage errors before any run
    require_writable_report("--json", options.json_path);
    require_writable_report("--junit", options.junit_path);
    prepare_trace_dir(options, sides);
    std::optional<BoardArch> board = board_arch(options, sides, arches);
    const std::optional<BoardArch> board_for_report = board;
    stop_on_interrupt();
    Scheduler scheduler(options, sides, on_each_side(jobs, sides.size()), std::move(board));
    const std::vector<SceneResult> results = compared(scheduler.run(), sides, scheduler);

    print_summary(std::cout, results);
    for (const auto& r : results) {
        if (r.status == Status::Fail || r.status == Status::Error) {
            std::cout << "\n--- " << run_label(r) << ": " << status_name(r.status) << ": " << r.reason << "\n"
                      << r.log_tail;
        }
        for (const auto& note : r.notes) std::cout << "\n--- " << run_label(r) << ": note: " << note << "\n";
    }
    const RunProvenance provenance{TANDEM_GIT_COMMIT, options.both ? "both" : options.provider,
                                   board_facts(board_for_report, results)};
    if (!write_reports(options, provenance, results, scheduler.quarantined())) return kInfrastructure;
    return exit_code(results);
}

}  // namespace tandem::harness
