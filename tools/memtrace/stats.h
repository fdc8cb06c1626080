// `memtrace stats`: one pass over a trace adding up traffic per region, initiator, task and
// allocation, plus the busiest time intervals. Rendering is in stats_report.h.
#pragma once

#include "sim/model/trace/trace_reader.h"
#include "sim/model/trace/trace_stream.h"
#include "tools/memtrace/format.h"
#include "tools/memtrace/record_semantics.h"
#include "tools/memtrace/traffic.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::memtrace {

using RegionTraffic = std::array<Traffic, trace::kRegionCount>;
using InitiatorKindTraffic = std::array<Traffic, kInitiatorKindCount>;

struct InitiatorStats {
    uint16_t initiator = 0;
    Traffic traffic;
};

// The initiators that began a task, in order of their first TaskBegin. Nearly every task runs
// on one core: that one is kept inline, so a table of 10^5 tasks allocates nothing per task.
class TaskInitiators {
public:
    void add(uint16_t initiator) {
        if (count_ == 0) {
            first_ = initiator;
            count_ = 1;
        } else if (initiator != first_ && std::find(more_.begin(), more_.end(), initiator) == more_.end()) {
            more_.push_back(initiator);
            ++count_;
        }
    }
    size_t size() const { return count_; }
    uint16_t operator[](size_t i) const { return i == 0 ? first_ : more_[i - 1]; }
    std::vector<uint16_t> list() const {
        std::vector<uint16_t> all;
        for (size_t i = 0; i < count_; ++i) all.push_back((*this)[i]);
        return all;
    }
    bool operator==(const TaskInitiators& other) const { return list() == other.list(); }
    bool operator!=(const TaskInitiators& other) const { return !(*this == other); }

private:
    uint16_t first_ = 0;
    uint32_t count_ = 0;
    std::vector<uint16_t> more_;
};

// A task: one run's task `id` (its index in the run's graph).
struct TaskStats {
    uint64_t run = 0;
    uint32_t id = 0;
    uint32_t kernel = trace::kNoKernel;  // kernel id of its first TaskBegin
    std::string_view kernel_name;        // its name, in TraceStats::kernel_names
    std::optional<uint64_t> begin_ps;    // earliest TaskBegin
    std::optional<uint64_t> end_ps;      // latest TaskEnd
    TaskInitiators initiators;
    RegionTraffic regions;  // what the task's accesses moved, by region

    // All its accesses: the sum over regions (not kept: 200k tasks make the table the
    // biggest thing `stats` writes, and this keeps an entry at four cache lines).
    Traffic traffic() const {
        Traffic total;
        for (const Traffic& region : regions) total += region;
        return total;
    }
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

// Move-only: its tasks' kernel names point into its own kernel_names.
struct TraceStats {
    TraceStats() = default;
    TraceStats(TraceStats&&) = default;
    TraceStats& operator=(TraceStats&&) = default;
    TraceStats(const TraceStats&) = delete;
    TraceStats& operator=(const TraceStats&) = delete;

    std::string path;
    std::string arch;
    uint64_t config_hash = 0;
    bool complete = true;
    uint64_t records = 0;
    uint64_t first_ps = 0;  // earliest issue time
    uint64_t last_ps = 0;   // latest issue time
    uint64_t end_ps = 0;    // latest completion (issue + latency)
    std::array<uint64_t, trace::kOpCount> op_counts{};
    // The names tasks refer to (TraceReader::kernel_name of every id they use), each once;
    // TaskStats point into it, so it must outlive them. A deque: names never move as more
    // are added, so a task is named as soon as it begins.
    std::deque<std::string> kernel_names;

    RegionTraffic regions;
    std::vector<InitiatorStats> initiators;    // by initiator value; only those that accessed memory
    std::vector<TaskStats> tasks;              // by run, then id
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
// The same from a trace read in chunks: what `memtrace stats` uses, as it needs each record once.
TraceStats compute_stats(const trace::TraceStream& stream, const StatsOptions& options = {});

}  // namespace tandem::memtrace
