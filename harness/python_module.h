// The embedded Python module `tandem`: DType, Direction, Tensor (zero-copy over
// numpy arrays), TaskGraph, scalar_f32/scalar_i32, ChipWorker, ProviderError,
// scene_kernels(). The scene process configures it through ModuleState.
#pragma once

#include "runtime/host/chip_worker.h"

#include <functional>
#include <string>

namespace tandem::harness {

struct ModuleState {
    std::string scene;        // the scene being run: scene_kernels()'s default
    std::string kernels_dir;  // <dir>/<scene>/libscene_<scene>_kernels.so
    std::function<void(const runtime::RunResult&)> on_run;  // sees every ChipWorker.run
};
ModuleState& module_state();

// The kernel binary built from scenes/<scene>/kernels/*.cpp; throws naming the
// expected path if it is not there.
std::string scene_kernels_path(const std::string& scene);

}  // namespace tandem::harness
