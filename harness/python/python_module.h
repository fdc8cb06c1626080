// The embedded Python module `tandem`: DType, Direction, Tensor (zero-copy over
// numpy arrays), TaskGraph, scalar_f32/scalar_i32, ChipWorker, ProviderError,
// scene_kernel(). The scene process configures it through ModuleState.
#pragma once

#include "harness/scene_process/api_timings.h"
#include "runtime/host/chip_worker.h"

#include <functional>
#include <string>

namespace tandem::harness {

struct ModuleState {
    std::string scene;                                        // the scene being run: scene_kernel()'s default
    std::string kernels_dir;                                  // <dir>/<scene>/<kernel>.so
    std::function<void(const runtime::TaskGraph&)> on_graph;  // sees each graph ChipWorker.run is about to run
    std::function<void(const runtime::RunResult&)> on_run;    // sees every ChipWorker.run
    int32_t device = 0;                                // the device the harness assigned: ChipWorker.init's default
    aclError last_runtime_error = 0;                   // code of the last runtime::RuntimeError raised into Python
    ApiTimings api_timings;                            // per ChipWorker call
    ApiCallTimer::DeviceClock device_clock = nullptr;  // tandem_sim_now_ns; null on a board
};
ModuleState& module_state();

// CANN's 507xxx codes: the device itself failed (core exception, timeout, AICPU
// exception), as opposed to a bad call.
bool is_device_fault(aclError code);

// Makes the interpreter's stdout and stderr UTF-8 whatever the locale (a scene's process
// often runs under the C locale, where Python would pick ASCII): print("5 µs") works.
void use_utf8_stdio();

// The binary of a scene's PTO kernel kernels/<kernel>.cpp (one binary per source); throws
// naming the expected path if it is not there.
std::string scene_kernel_path(const std::string& scene, const std::string& kernel);

}  // namespace tandem::harness
