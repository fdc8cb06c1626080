// `memtrace stats`: one pass over a trace adding up traffic per region, initiator, task and
// allocation, plus the busiest time intervals. Rendering is in stats_report.h.
#pragma once

#include "sim/trace/trace_reader.h"
#include "tools/memtrace/format.h"
#include "tools/memtrace/traffic.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tandem::memtrace {

using RegionTraffic = std::array<Traffic, trace::kRegionCount>;
using InitiatorKindTraffic = std::array<Traffic, kInitiatorKindCount>;

struct InitiatorStats {
    uint16_t initiator = 0;
    Traffic traffic;
};

struct TaskStats {
    uint32_t id = 0;
    std::optional<uint64_t> begin_ps;  // earliest TaskBegin
    std::optional<uint64_t> end_ps;    // latest TaskEnd
    std::vector<uint16_t> initiators;  // those that began the task, in order of their first TaskBegin
    Traffic traffic;
    RegionTraffic regions;
};

// One Alloc record and the accesses that fell inside it while it was live. Allocation ids
// may be reused after a Free; each Alloc record is its own entry.
struct AllocationStats {
    uint32_t id = 0;
    uint64_t address = 0;
    uint64_t size = 0;
    trace::Region region = trace::Region::Hbm;
    uint64_t alloc_ps = 0;
    std::optional<uint64_t> free_ps;
    Traffic traffic;
    InitiatorKindTraffic by_initiator_kind;
};

// Bytes of the accesses in flight during an interval: an access's bytes are shared among the
// intervals from its issue to its completion.
struct IntervalStats {
    uint64_t start_ps = 0;
    uint64_t end_ps = 0;  // exclusive
    uint64_t bytes = 0;
    std::array<uint64_t, trace::kRegionCount> region_bytes{};
};

struct StatsOptions {
    size_t interval_count = 1000;  // busiest-interval bins across the trace's span...
    uint64_t interval_ps = 0;      // ...or this bin width when non-zero
    size_t top_intervals = 5;
};

struct TraceStats {
    std::string path;
    std::string arch;
    uint64_t config_hash = 0;
    bool complete = true;
    uint64_t records = 0;
    uint64_t first_ps = 0;  // earliest issue time
    uint64_t last_ps = 0;   // latest issue time
    uint64_t end_ps = 0;    // latest completion (issue + latency)
    std::array<uint64_t, trace::kOpCount> op_counts{};

    RegionTraffic regions;
    std::vector<InitiatorStats> initiators;    // by initiator value; only those that accessed memory
    std::vector<TaskStats> tasks;              // by id
    Traffic outside_tasks;                     // accesses with task_id kNoTask
    std::vector<AllocationStats> allocations;  // in trace order of the Alloc records
    Traffic outside_allocations;               // accesses in no live allocation

    uint64_t interval_ps = 0;
    std::array<uint64_t, trace::kRegionCount> peak_interval_bytes{};  // per region, busiest interval
    std::vector<IntervalStats> busiest_intervals;                     // by bytes, most first; only non-empty ones

    uint64_t span_ps() const { return end_ps - first_ps; }
    Traffic total() const;
    InitiatorKindTraffic initiator_kinds() const;
};

// Throws std::invalid_argument if the options ask for an unreasonable number of intervals.
TraceStats compute_stats(const trace::TraceReader& reader, const StatsOptions& options = {});

}  // namespace tandem::memtrace
