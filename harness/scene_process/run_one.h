// The scene process (`harness run-one`): loads the provider, embeds Python, loads
// scene.py, validates it, calls run(ctx) and writes a SceneResult as JSON. One scene
// on one arch per process (one SystemC simulation per process).
#pragma once

#include <cstdint>
#include <string>

namespace tandem::harness {

struct SceneInvocation {
    std::string scene;
    std::string case_name;  // one of the scene's CASES; "" for a scene without cases
    std::string scenes_dir;
    std::string arch;      // "a2a3" / "a5"
    std::string provider;  // "sim" / "hw" / a provider library path
    std::string result_path;
    int32_t device = 0;      // ctx.device, ChipWorker.init's default
    std::string sim_config;  // simulator arch config .json for TANDEM_SIM_ARCH; "" for `arch`
    std::string dump_dir;    // where ctx.check dumps each actual array (--both); "" for none
};

// Returns 0 once a result is written (whatever the scene's status), 2 if it cannot be.
int run_one(const SceneInvocation& invocation);

// Writes the names of the scene's CASES, one a line, to `invocation.result_path`
// (nothing for a scene without CASES). Returns 0, or 1 (the reason on stderr) if the
// scene cannot be loaded or its CASES are malformed.
int list_cases(const SceneInvocation& invocation);

}  // namespace tandem::harness
