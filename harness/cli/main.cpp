// harness: runs tandem scenes (scenes/<name>/scene.py) on the simulator or a board.
//   harness run [SCENE...] [options]   run scenes, one process per scene x arch
//   harness boards [--lock-dir DIR]    the device map: board chips (npu-smi) or simulator devices, locks
//   harness doctor [--hw] [--device N] the bring-up self-test, one line per step
//   harness run-one SCENE ...          (internal) one scene in this process
#include "common/huge_page_heap.h"
#include "harness/cli/boards_command.h"
#include "harness/cli/doctor_command.h"
#include "harness/cli/run_command.h"
#include "harness/cli/usage_error.h"
#include "harness/devices/device_check.h"
#include "harness/scene_process/run_one.h"

#include <CLI/CLI.hpp>

#include <signal.h>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <thread>

using namespace tandem::harness;

namespace {

struct DeviceCheckInvocation {
    std::string provider;
    int32_t device = 0;
    std::string soc_result;  // where to write the device's SoC name; "" for none
    bool shared_ok = false;  // a board device with HBM in use by another process passes
};

constexpr const char* kRunFooter = R"help(Statuses:
  pass     every ctx.check() passed
  fail     a ctx.check() failed (max errors in the results)
  error    the scene raised, crashed, hung (killed at --timeout), faulted the
           device, made no check, is malformed (file and line named), or was
           running when the harness was interrupted
  skipped  not run: the scene does not support the arch, needs what the arch
           lacks (scene.py NEEDS, e.g. host_register on a5), the board is
           another arch (--hw: "board is <SoC> (<arch>)"), no provider (e.g.
           --hw without a board), or the harness was interrupted before it
           started -- never counted as a pass

A result may carry notes that do not change its status, e.g. that a fault armed
with --second-inject or TANDEM_SIM_INJECT never fired (so nothing was injected);
they are shown in the reason column, after the summary, and in the JSON ("notes",
"fault_injection": spec, times fired, stores it could have hit) and the JUnit.

--both runs each scene x arch on the simulator and on a second provider (a
board, or the simulator with --second-config and/or --second-inject) and diffs
them: every ctx.check'ed output (integers bit-exact, floats within the check's
rtol/atol; the first differing element, both values and the task that wrote
it), per task the core and the completion order, and -- if scene.py declares
TIMING_BAND = 0.25 -- each task's duration within that relative band. A pair
passes when the runs are the same and every check passed ("same" in the diff
column), and fails when they differ ("differ"; the first difference in the
reason, all of them in the JSON's "diff"); without a board it is skipped.

A scene may declare CASES, named parameter sets (scene.py: CASES = {"small":
{"n": 1024}, "ragged": {"n": 1000}}; run(ctx) reads ctx.case and ctx.params).
Each case is its own run, result row and process, named scene[case]/arch;
`harness run scene[case]` selects one, --list shows them all.

Each scene x arch runs in its own process (one SystemC simulation per process;
the arch reaches the simulator as TANDEM_SIM_ARCH) under a supervisor that, when
the scene ends, hits --timeout or the harness stops, kills everything the scene
started -- its process group and any descendant that left it (setsid) -- and
reaps it. Scene processes die with the harness, even on kill -9; the temporary
directory such a harness leaves behind is removed by the next harness to start.

SIGINT (Ctrl-C) or SIGTERM stops the run: running scenes are killed and reported
as errors "interrupted (SIGINT)", scenes not started yet as skipped, finished
results are kept, and the summary, --json and --junit are written (exit 2).

--shard I/N splits the sorted scene x arch list; --device LIST hands devices
out round-robin after a health check; a device that fails the check leaves the
pool, a device that faults is reset and re-checked and leaves the pool
(quarantined, named in the JSON) if it fails again, and runs left without a
device are errors. A device is used by one harness at a time: the harness takes
its lock (a flock under --lock-dir) at its first use and holds it to the end of
the run; another harness that wants it waits, saying for whom, up to
--device-wait seconds, then reports its runs as errors "device busy" (exit 2).
Board devices are always locked, simulator devices when --device names them;
`harness boards` shows who holds what (docs/board.md, "Board pool").

Exit codes:
  0  every scene run passed (or was skipped for an arch it does not support,
     for a capability the arch lacks, or because the board is another arch)
  1  some scene failed or errored
  2  infrastructure problem: bad arguments, unknown scene or arch, no provider
     (e.g. --hw or --both without a board: every scene is reported skipped),
     or the run was interrupted (SIGINT, SIGTERM)

Examples:
  harness run                          every scene, both arches, simulator
  harness run vector_example --arch a5
  harness run 'online_softmax[ragged]' -v  one case, with the scene's output
  harness run --arch all --json results.json --junit results.xml
  harness run --shard 2/4 --device 0-3 machine 2 of 4, devices 0..3
  harness run --trace traces/          memory traces (simulator) for memtrace
  harness run --hw                     on a board (CANN's libascendcl)
  harness run --both                   simulator vs board, diffed
  harness run --both --second-config sim/model/config/a2a3.json --arch a2a3
                                       simulator vs simulator (same config: same)
  harness run --both --second-inject mte-store-bitflip:1:30
                                       simulator vs simulator with a fault armed)help";

// nan, inf and 1e400 parse as doubles but are no timeout.
CLI::Validator finite_positive_seconds() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            char* end = nullptr;
            const double seconds = std::strtod(text.c_str(), &end);
            if (end == text.c_str() || *end || !std::isfinite(seconds) || seconds <= 0) {
                return "must be a finite number of seconds > 0 (e.g. 120), not '" + text + "'";
            }
            return "";
        },
        "SECONDS > 0");
}

void add_run_command(CLI::App& app, RunOptions& options) {
    CLI::App* run = app.add_subcommand("run", "Run scenes, each scene x arch in its own process");
    run->footer(kRunFooter);
    run->add_option("scenes", options.scenes,
                    "Scenes to run (directory names under --scenes-dir; default: all); scene[case] runs one of a "
                    "scene's CASES, a scene alone all of them");
    auto* sim = run->add_flag("--sim", "Run on the simulator provider (default)");
    auto* hw = run->add_flag_callback(
        "--hw", [&options] { options.provider = "hw"; },
        "Run on a board through CANN's libascendcl (TANDEM_PROVIDER=hw); the board's SoC name "
        "(aclrtGetSocName) picks the arch: runs of another --arch are skipped");
    auto* both = run->add_flag("--both", options.both,
                               "Run each scene x arch on the simulator and on a second provider (default: a board, "
                               "as --hw) and diff outputs, core assignment, completion order and timings");
    sim->excludes(hw);
    both->excludes(sim)->excludes(hw);
    run->add_option("--second-config", options.second_config,
                    "--both: make the second provider the simulator with this arch config .json (for CI)")
        ->needs(both);
    run->add_option("--second-inject", options.second_inject,
                    "--both: make the second provider the simulator (with --second-config's config, else the "
                    "run's arch) with this fault armed in it only (TANDEM_SIM_INJECT, e.g. mte-store-bitflip:1:30)")
        ->needs(both);
    run->add_option("--arch", options.arch, "a2a3, a5 or all")
        ->capture_default_str()
        ->check(CLI::IsMember({"a2a3", "a5", "all"}));
    run->add_option("--timeout", options.timeout_seconds,
                    "Seconds before a scene process (and everything it started) is killed; a finite number > 0. "
                    "The reason then says where its simulation stopped: the kernel, task and core it was running, "
                    "or its device time")
        ->capture_default_str()
        ->check(finite_positive_seconds());
    options.jobs = std::max(1u, std::thread::hardware_concurrency());
    run->add_option("--jobs,-j", options.jobs, "Scene processes at a time")
        ->capture_default_str()
        ->check(CLI::Range(1u, 1024u));
    run->add_option("--json", options.json_path,
                    "Write results as JSON (status, reason, max error per output, "
                    "per-task timelines, provider, tandem commit, config hash)");
    run->add_option("--junit", options.junit_path, "Write results as JUnit XML");
    run->add_option("--trace", options.trace_dir,
                    "Simulator: write each scene x arch run's memory trace to DIR/<scene>.<arch>.trace -- device N "
                    "other than 0 (--device N, an L3 scene's further chips) to DIR/<scene>.<arch>.devN.trace; the "
                    "JSON names the scene's own device's as \"trace\" and every one in \"traces\" (read them with "
                    "memtrace). Ignored with a note on --hw");
    run->add_option("--shard", options.shard,
                    "Run shard I of N (1 <= I <= N): the scene x arch runs at positions p of the sorted list with "
                    "p % N == I-1, so N machines split a run deterministically");
    run->add_option(
        "--device", options.devices,
        "Devices to run on, e.g. 0-3,5: runs are given devices round-robin (ctx.device, "
        "ChipWorker.init's default); each device is health-checked (aclrtGetDeviceCount, aclrtSetDevice; "
        "on a board also npu-smi: Health OK and no HBM in use, see --shared-ok) before its first use; with --hw a device that faults leaves the pool for the rest of the run. "
        "Simulator: any id below TANDEM_SIM_DEVICES (default 8). Default: device 0, unchecked");
    run->add_option("--set", options.sim_set,
                    "Simulator: override one arch config entry's value, section.key=value (repeatable), e.g. --set "
                    "memory.hbm_latency_ns=200; the results' config_hash covers it (TANDEM_SIM_SET for the scenes)")
        ->check([](const std::string& entry) -> std::string {
            const size_t equals = entry.find('='), dot = entry.find('.');
            if (entry.find(',') != std::string::npos || equals == std::string::npos || dot == std::string::npos ||
                dot == 0 || dot + 1 >= equals || equals + 1 == entry.size()) {
                return "write section.key=value, e.g. memory.hbm_latency_ns=200 (one entry per --set)";
            }
            return "";
        });
    run->add_flag("--shared-ok", options.shared_ok,
                  "--hw: use a device even when npu-smi shows HBM in use by another process (its Health must still be "
                  "OK)");
    run->add_option("--lock-dir", options.lock_dir,
                    "Directory of the device locks, shared by every harness on this machine (created 0700; default "
                    "$TANDEM_LOCK_DIR, else $XDG_RUNTIME_DIR/tandem-locks, else /tmp/tandem-locks-$UID)");
    run->add_option("--device-wait", options.device_wait_seconds,
                    "Seconds to wait for a device another harness holds before reporting its runs as errors "
                    "\"device busy\" (exit 2)")
        ->capture_default_str()
        ->check(finite_positive_seconds());
    run->add_flag("--list", options.list,
                  "List the selected scenes, a scene with CASES as one line per case (scene[case]), and exit");
    run->add_flag("--verbose,-v", options.verbose,
                  "Show each scene run's own output (its prints, stdout and stderr) as it finishes; a failed or "
                  "errored run's last lines are shown in any case");
    run->add_option("--filter", options.filter, "Only scenes whose name matches this glob");
    run->add_option("--scenes-dir", options.scenes_dir,
                    "Directory of scenes (entries that cannot be read, e.g. symbolic link loops, are skipped with a "
                    "note)")
        ->capture_default_str();
}

void add_boards_command(CLI::App& app, BoardsOptions& options) {
    CLI::App* boards = app.add_subcommand(
        "boards",
        "Show the devices: a board's chips from npu-smi (device, NPU/chip, SoC, arch, health, HBM used, "
        "locked by), or without npu-smi the simulator's devices and their locks");
    boards->footer(
        "TANDEM_NPU_SMI names the npu-smi program to run instead of the one on PATH (a test seam: the\n"
        "tests feed recorded outputs through a fake script). Exit code 2 if npu-smi's output cannot be read.");
    boards->add_option("--lock-dir", options.lock_dir, "Directory of the device locks (as harness run --lock-dir)");
}

void add_doctor_command(CLI::App& app, DoctorOptions& options) {
    CLI::App* doctor = app.add_subcommand(
        "doctor",
        "Bring-up self-test of a provider and a device, one line per step (provider and version, aclInit, "
        "device count, set device and SoC, malloc/copy round trip, host registration, register map, device "
        "programs); stops at the first failure with the call, error code and the provider's message");
    doctor->footer("Exit codes: 0 every step passed, 1 a step failed, 2 bad arguments.");
    doctor->add_flag("--hw", options.hw, "Check the board (CANN's libascendcl) instead of the simulator");
    doctor->add_option("--device", options.device, "The device to check")->capture_default_str();
}

void add_run_one_command(CLI::App& app, SceneInvocation& invocation) {
    CLI::App* run_one = app.add_subcommand("run-one", "Internal: run one scene on one arch in this process");
    run_one->group("");  // hidden from --help
    run_one->add_option("scene", invocation.scene)->required();
    run_one->add_option("--case", invocation.case_name);
    run_one->add_option("--arch", invocation.arch)->required();
    run_one->add_option("--provider", invocation.provider)->required();
    run_one->add_option("--scenes-dir", invocation.scenes_dir)->required();
    run_one->add_option("--result", invocation.result_path)->required();
    run_one->add_option("--device", invocation.device);
    run_one->add_option("--sim-config", invocation.sim_config);
    run_one->add_option("--dump-dir", invocation.dump_dir);
}

void add_list_cases_command(CLI::App& app, SceneInvocation& invocation) {
    CLI::App* list = app.add_subcommand("list-cases", "Internal: write the names of a scene's CASES to --result");
    list->group("");  // hidden from --help
    list->add_option("scene", invocation.scene)->required();
    list->add_option("--scenes-dir", invocation.scenes_dir)->required();
    list->add_option("--result", invocation.result_path)->required();
}

void add_check_device_command(CLI::App& app, DeviceCheckInvocation& invocation) {
    CLI::App* check = app.add_subcommand("check-device", "Internal: health check of one device in this process");
    check->group("");  // hidden from --help
    check->add_option("--provider", invocation.provider)->required();
    check->add_option("--device", invocation.device)->required();
    check->add_option("--soc-result", invocation.soc_result);
    check->add_flag("--shared-ok", invocation.shared_ok);
}

}  // namespace

int main(int argc, char** argv) {
    // Scene processes (and their chip children) inherit it; a 100k-task scene's memory is
    // then faulted in 2 MiB at a time, and so is the results JSON of --json.
    tandem::run_with_huge_page_heap(argv);
    // Ignoring SIGCHLD is inherited across exec and makes the kernel reap children at
    // once, losing their exit statuses (a scene's crash would read as no crash).
    signal(SIGCHLD, SIG_DFL);
    CLI::App app("harness: runs tandem scenes on the simulator or a board");
    app.require_subcommand(1);
    RunOptions run_options;
    SceneInvocation invocation;
    add_run_command(app, run_options);
    BoardsOptions boards_options;
    add_boards_command(app, boards_options);
    DoctorOptions doctor_options;
    add_doctor_command(app, doctor_options);
    add_run_one_command(app, invocation);
    SceneInvocation case_listing;
    add_list_cases_command(app, case_listing);
    DeviceCheckInvocation device_check;
    add_check_device_command(app, device_check);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kInfrastructure;
    }
    try {
        if (app.got_subcommand("run-one")) return run_one(invocation);
        if (app.got_subcommand("boards")) return show_boards(boards_options);
        if (app.got_subcommand("doctor")) return run_doctor(doctor_options);
        if (app.got_subcommand("list-cases")) return list_cases(case_listing);
        if (app.got_subcommand("check-device"))
            return check_device(device_check.provider, device_check.device, device_check.soc_result,
                                device_check.shared_ok);
        return run_scenes(run_options);
    } catch (const UsageError& e) {
        std::cerr << "harness: " << e.what() << "\n";
        return kInfrastructure;
    } catch (const std::exception& e) {
        std::cerr << "harness: " << e.what() << "\n";
        return kInfrastructure;
    }
}
