// Writes a trace shaped like the simulator's trace of real task-graph runs, record for record
// (staging, AICPU dispatch over many AIV cores, interleaved core records, copy-back, frees), so
// memtrace_bench and the memtrace tests can work on a realistic trace of any size without
// running the simulator.
#pragma once

#include <cstdint>
#include <string>

namespace tandem::memtrace {

struct RunShapedTraceOptions {
    uint64_t tasks = 100'000;  // per run
    uint32_t runs = 1;         // run() calls, one after the other, each staging its own buffers
    uint64_t arrays = 0;       // 0: a device buffer per tensor; N: tensors are slices of N arrays staged whole
    uint64_t seed = 0x9E3779B97F4A7C15ULL;  // the cores' jitter; the same seed writes the same trace
};

// Writes the trace to `path` (TraceWriter, arch "a2a3"); returns the number of records.
uint64_t write_run_shaped_trace(const std::string& path, const RunShapedTraceOptions& options);

}  // namespace tandem::memtrace
