// `harness run --both`: compares one scene x arch's runs on two providers. Outputs:
// every ctx.check'ed actual array (dumped by the scene processes, scene_process/output_dump.h),
// bit-exact for integers and bools, within the check's rtol/atol for floats, naming
// the first differing element, both values and the task that wrote it. Timelines: per
// run and task the core, the completion order (where the two first part) and, if the
// scene declares TIMING_BAND, each task's duration within that relative band.
#pragma once

#include "harness/report/results.h"

#include <string>

namespace tandem::harness {

// One provider's run of the scene: its result, the provider's label and where its
// scene process dumped the checked outputs.
struct SideRun {
    const SceneResult& result;
    std::string label;
    std::string dump_dir;
};

// Both sides ran their checks (pass or fail). Throws std::runtime_error if a dump
// cannot be read.
ProviderDiff diff_providers(const SideRun& first, const SideRun& second);

}  // namespace tandem::harness
