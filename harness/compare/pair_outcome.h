// `harness run --both`: the result of one scene x arch from its runs on the two
// providers. If both ran their checks, their diff decides: "same" passes, "differ"
// fails (so does a failed check on either side). Otherwise the pair cannot be
// compared: skipped if a side had no provider (e.g. no board; never a pass), error if
// a side errored, skipped if the scene does not support the arch.
#pragma once

#include "harness/compare/provider_diff.h"
#include "harness/report/results.h"

namespace tandem::harness {

SceneResult pair_outcome(const SideRun& first, const SideRun& second);

}  // namespace tandem::harness
