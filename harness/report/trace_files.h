// The memory traces of one run under --trace. The harness gives the scene process one
// path, DIR/<stem>.trace (TANDEM_SIM_TRACE); the simulator writes device 0's trace
// there and device N's to DIR/<stem>.devN.trace (docs/runtime.md), so an L3 scene or
// --device N writes files the harness must find and name.
#pragma once

#include "harness/report/results.h"

#include <string>
#include <vector>

namespace tandem::harness {

// Removes the traces a previous run left under `path`'s names: they must not pass for
// this run's.
void remove_stale_traces(const std::string& path);

// The traces written under `path`'s names, by device.
std::vector<TraceFile> traces_written(const std::string& path);

}  // namespace tandem::harness
