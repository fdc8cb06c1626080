// `memtrace export --perfetto`: Chrome/Perfetto trace-event JSON (the JSON Object Format that
// ui.perfetto.dev and chrome://tracing open). Layout, documented in docs/memtrace.md:
//   process "cores":     one track per initiator that ran tasks, task slices (TaskBegin..TaskEnd)
//   process "dma":       one track per DMA channel, a slice per transfer
//   process "bandwidth": a counter track per region, GB/s per time bin
// Overlapping slices of one initiator go to extra tracks ("aiv0 #2") so every track nests.
#pragma once

#include "sim/model/trace/trace_reader.h"

#include <cstddef>
#include <ostream>

namespace tandem::memtrace {

struct PerfettoOptions {
    // Above this many events DMA slices are left out, then task slices, so that the UI can
    // still load the file; bandwidth counters always stay.
    size_t max_events = 500000;
    size_t counter_bins = 1000;  // bandwidth samples per region across the trace
};

struct PerfettoSummary {
    size_t task_slices = 0;     // written
    size_t dma_slices = 0;      // written
    size_t counter_events = 0;  // written
    size_t dropped_task_slices = 0;
    size_t dropped_dma_slices = 0;
};

// Writes the JSON to `out`; explains on `notes` what it left out to stay under max_events.
// Throws std::invalid_argument for counter_bins outside 1..100000.
PerfettoSummary export_perfetto(const trace::TraceReader& reader, const PerfettoOptions& options, std::ostream& out,
                                std::ostream& notes);

}  // namespace tandem::memtrace
