// A plain restatement of what `memtrace stats` computes (docs/memtrace.md): ordered maps, no
// caches, every access spread over its intervals. Slow and easy to check by reading, so tests
// can compare compute_stats with it on large, realistic traces.
#pragma once

#include "sim/model/trace/trace_reader.h"
#include "tools/memtrace/stats.h"

namespace tandem::memtrace::testing {

// For traces whose live allocations do not overlap (every trace the simulator writes).
TraceStats reference_stats(const trace::TraceReader& reader, const StatsOptions& options = {});

}  // namespace tandem::memtrace::testing
