// Reconstructs intervals from the record stream: task slices (TaskBegin..TaskEnd on one
// initiator) and DMA transfers (a DMA read of the source and a write of the destination
// issued together, docs/trace-format.md).
#pragma once

#include "sim/model/trace/trace_reader.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tandem::memtrace {

struct TaskSlice {
    uint16_t initiator = 0;
    uint64_t run = 0;
    uint32_t task_id = 0;
    uint32_t kernel = trace::kNoKernel;  // of the TaskBegin
    uint64_t begin_ps = 0;
    uint64_t end_ps = 0;
    bool ended = true;  // false: no TaskEnd, the slice runs to the end of the trace
};

// In trace order of their TaskBegin. A TaskEnd closes the latest open begin of that run's task
// on that initiator; a TaskEnd with none open is ignored.
std::vector<TaskSlice> task_slices(const trace::TraceReader& reader);

struct DmaTransfer {
    uint16_t initiator = 0;
    std::optional<trace::Record> source;       // the read; missing if the write came alone
    std::optional<trace::Record> destination;  // the write; missing if the read came alone

    uint64_t start_ps() const;
    uint64_t end_ps() const;  // latest completion of the two halves
    uint64_t bytes() const;
    uint32_t task_id() const;
    // "H2D", "D2H", "D2D", or "<source region>-><destination region>", "read hbm", "write hbm".
    std::string direction() const;
};

// Calls `visit` for every transfer of every DMA initiator, in trace order of its last record.
void for_each_dma_transfer(const trace::TraceReader& reader, const std::function<void(const DmaTransfer&)>& visit);

}  // namespace tandem::memtrace
