#include "harness/run_command.h"

#include "harness/catalog.h"
#include "harness/child_process.h"
#include "harness/outcome.h"
#include "harness/report.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

namespace tandem::harness {
namespace {

using Clock = std::chrono::steady_clock;

volatile sig_atomic_t interrupted = 0;
void on_interrupt(int) { interrupted = 1; }

struct Job {
    std::string scene, arch;
    std::string name() const { return scene + "/" + arch; }
};

struct RunningJob {
    size_t index;
    ChildProcess process;
    Clock::time_point started;
    std::string result_path, log_path;
};

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// A private directory for the scene processes' results and logs, removed at the end.
class WorkDir {
public:
    WorkDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "tandem-harness-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary directory for scene logs");
        path_ = pattern;
    }
    ~WorkDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    std::string file(size_t index, const char* suffix) const { return path_ + "/" + std::to_string(index) + suffix; }

private:
    std::string path_;
};

class Scheduler {
public:
    Scheduler(const RunOptions& options, std::vector<Job> jobs)
        : options_(options), jobs_(std::move(jobs)), results_(jobs_.size()), executable_(current_executable()) {}

    std::vector<SceneResult> run() {
        const bool show_progress = jobs_.size() > 1;
        const bool terminal = isatty(STDERR_FILENO);
        size_t next = 0, done = 0;
        std::vector<SceneResult> finished;
        while (done < jobs_.size()) {
            while (!interrupted && next < jobs_.size() && running_.size() < std::max(1u, options_.jobs)) start(next++);
            bool changed = false;
            for (auto it = running_.begin(); it != running_.end();) {
                std::optional<SceneProcessEnd> end = check(*it);
                if (!end) {
                    ++it;
                    continue;
                }
                results_[it->index] = scene_outcome(jobs_[it->index].scene, jobs_[it->index].arch, options_.provider, *end);
                finished.push_back(results_[it->index]);
                it = running_.erase(it);
                ++done;
                changed = true;
            }
            if (interrupted && running_.empty() && next < jobs_.size()) {
                throw std::runtime_error("interrupted; " + std::to_string(jobs_.size() - done) + " scene runs not done");
            }
            if (changed && show_progress) print_progress(std::cerr, done, jobs_.size(), finished, running_names(), terminal);
            if (!changed) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return results_;
    }

private:
    void start(size_t index) {
        const Job& job = jobs_[index];
        const std::string result_path = work_.file(index, ".json"), log_path = work_.file(index, ".log");
        const std::vector<std::string> args = {"run-one", job.scene,           "--arch",   job.arch,
                                               "--provider", options_.provider, "--scenes-dir", options_.scenes_dir,
                                               "--result", result_path};
        const std::map<std::string, std::string> environment = {{"TANDEM_SIM_ARCH", job.arch},
                                                                {"TANDEM_PROVIDER", options_.provider}};
        running_.push_back({index, ChildProcess::spawn(executable_, args, environment, log_path), Clock::now(),
                            result_path, log_path});
    }

    // The end of a scene process: exited, or killed at the timeout / on interrupt.
    std::optional<SceneProcessEnd> check(RunningJob& job) {
        const double elapsed = seconds_since(job.started);
        SceneProcessEnd end{std::nullopt, options_.timeout_seconds, elapsed, job.result_path, job.log_path};
        if (std::optional<int> status = job.process.poll()) {
            end.wait_status = status;
            return end;
        }
        if (elapsed < options_.timeout_seconds && !interrupted) return std::nullopt;
        job.process.kill_group();
        return end;
    }

    std::vector<std::string> running_names() const {
        std::vector<std::string> names;
        for (const auto& job : running_) names.push_back(jobs_[job.index].name());
        return names;
    }

    const RunOptions& options_;
    std::vector<Job> jobs_;
    std::vector<SceneResult> results_;
    std::string executable_;
    WorkDir work_;
    std::vector<RunningJob> running_;
};

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
    const std::vector<std::string> scenes = select_scenes(options.scenes_dir, options.scenes, options.filter);
    if (options.list) {
        for (const auto& scene : scenes) std::cout << scene << "\n";
        return kAllPassed;
    }
    std::vector<Job> jobs;
    for (const auto& scene : scenes) {
        for (const auto& arch : arches) jobs.push_back({scene, arch});
    }
    signal(SIGINT, on_interrupt);
    signal(SIGTERM, on_interrupt);
    const std::vector<SceneResult> results = Scheduler(options, std::move(jobs)).run();

    print_summary(std::cout, results);
    for (const auto& r : results) {
        if (r.status == Status::Fail || r.status == Status::Error) {
            std::cout << "\n--- " << r.scene << "/" << r.arch << ": " << status_name(r.status) << ": " << r.reason
                      << "\n" << r.log_tail;
        }
    }
    const RunProvenance provenance{TANDEM_GIT_COMMIT, options.provider};
    if (!options.json_path.empty()) write_json(options.json_path, provenance, results);
    if (!options.junit_path.empty()) write_junit(options.junit_path, results);
    return exit_code(results);
}

}  // namespace tandem::harness
