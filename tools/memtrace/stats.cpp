#include "tools/memtrace/stats.h"

#include "tools/memtrace/allocation_tracker.h"
#include "tools/memtrace/huge_pages.h"
#include "tools/memtrace/time_bins.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <unordered_map>

namespace tandem::memtrace {
namespace {

using trace::Op;
using trace::Record;

// Bins above this would cost more memory than the trace: an --interval that small is a mistake.
constexpr size_t kMaxIntervalBins = 10'000'000;
// Initiator values are (kind << 12 | index) with kind < 5 (the reader checks).
constexpr size_t kInitiatorSlots = size_t{kInitiatorKindCount} << 12;

// Task stats by run and id. Ids are graph indices counted from 0, so each run has a dense
// table; an id far beyond the tasks seen so far (a damaged trace) goes to a map instead.
class TaskIndex {
public:
    static constexpr uint32_t kAbsent = UINT32_MAX;

    // Index of the task in `tasks`, added if new.
    uint32_t find_or_add(TaskKey key, std::vector<TaskStats>& tasks) {
        RunTasks& run = run_tasks(key.run);
        uint32_t* slot = nullptr;
        if (key.id < run.dense.size()) {
            slot = &run.dense[key.id];
        } else if (key.id < 2 * run.count + kDenseSlack) {
            grow_dense(run, size_t{key.id} + 1);
            slot = &run.dense[key.id];
        } else {
            slot = &run.sparse.try_emplace(key.id, kAbsent).first->second;
        }
        if (*slot == kAbsent) {
            *slot = static_cast<uint32_t>(tasks.size());
            tasks.emplace_back();
            tasks.back().run = key.run;
            tasks.back().id = key.id;
            ++run.count;
        }
        return *slot;
    }

    // The indices of all tasks in (run, id) order, read off the tables without sorting tasks.
    std::vector<uint32_t> order(size_t task_count) const {
        std::vector<uint64_t> runs;
        for (const auto& entry : runs_) runs.push_back(entry.first);
        std::sort(runs.begin(), runs.end());
        std::vector<uint32_t> order;
        order.reserve(task_count);
        for (uint64_t run : runs) {
            const RunTasks& tasks = runs_.at(run);
            for (uint32_t index : tasks.dense) {
                if (index != kAbsent) order.push_back(index);
            }
            // Every sparse id lies beyond the dense table (grow_dense moves them in).
            std::vector<std::pair<uint32_t, uint32_t>> sparse(tasks.sparse.begin(), tasks.sparse.end());
            std::sort(sparse.begin(), sparse.end());
            for (const auto& entry : sparse) order.push_back(entry.second);
        }
        return order;
    }

private:
    static constexpr uint64_t kDenseSlack = 4096;
    struct RunTasks {
        std::vector<uint32_t> dense;
        std::unordered_map<uint32_t, uint32_t> sparse;
        uint64_t count = 0;
    };
    RunTasks& run_tasks(uint64_t run) {
        if (cached_ == nullptr || cached_run_ != run) {
            cached_ = &runs_[run];  // unordered_map nodes stay put
            cached_run_ = run;
        }
        return *cached_;
    }
    // Tasks filed as sparse that the grown table now covers move into it, so each task has
    // one slot.
    static void grow_dense(RunTasks& run, size_t size) {
        run.dense.resize(size, kAbsent);
        for (auto it = run.sparse.begin(); it != run.sparse.end();) {
            if (it->first < size) {
                run.dense[it->first] = it->second;
                it = run.sparse.erase(it);
            } else {
                ++it;
            }
        }
    }

    std::unordered_map<uint64_t, RunTasks> runs_;
    uint64_t cached_run_ = 0;
    RunTasks* cached_ = nullptr;
};

// Kernel names for tasks, each stored once in `names` (a deque: stored names never move).
// Neighbouring tasks mostly run the same kernel, so the last one is remembered.
class KernelNames {
public:
    KernelNames(const trace::TraceInfo& reader, std::deque<std::string>& names) : reader_(reader), names_(names) {}

    std::string_view of(uint32_t kernel) {
        if (kernel != last_kernel_ || last_name_.data() == nullptr) {
            const auto [entry, added] = index_.try_emplace(kernel);
            if (added) entry->second = names_.emplace_back(reader_.kernel_name(kernel));
            last_kernel_ = kernel;
            last_name_ = entry->second;
        }
        return last_name_;
    }
    // The name of tasks with no TaskBegin (yet).
    std::string_view unnamed() {
        if (unnamed_.data() == nullptr) unnamed_ = of(trace::kNoKernel);
        return unnamed_;
    }

private:
    const trace::TraceInfo& reader_;
    std::deque<std::string>& names_;
    std::unordered_map<uint32_t, std::string_view> index_;
    uint32_t last_kernel_ = trace::kNoKernel;
    std::string_view last_name_;
    std::string_view unnamed_;
};

// Accumulates one trace. add() is the hot loop of `memtrace stats`: table lookups and
// additions only. Initiators interleave in a trace but each runs one task at a time over a
// few buffers, so each keeps its own task and allocation caches.
class StatsBuilder {
public:
    StatsBuilder(const trace::TraceInfo& reader, const StatsOptions& options)
        : reader_(reader),
          bins_(make_bins(reader, options)),
          slots_(kInitiatorSlots, kNoSlot),
          bin_bytes_(bins_.count()) {
        stats_.path = reader.name();
        stats_.arch = reader.arch();
        stats_.config_hash = reader.header().config_hash;
        stats_.complete = reader.complete();
        stats_.records = reader.size();
        stats_.first_ps = reader.first_time_ps();
        stats_.last_ps = reader.last_time_ps();
        stats_.end_ps = reader.end_time_ps();
        stats_.interval_ps = bins_.width_ps();
        for (size_t op = 0; op < trace::kOpCount; ++op) stats_.op_counts[op] = reader.op_count(static_cast<Op>(op));
        // Growing these tables would copy big entries.
        stats_.allocations.reserve(reader.op_count(Op::Alloc));
        stats_.tasks.reserve(reader.op_count(Op::TaskBegin));
        advise_huge_pages(stats_.tasks.data(), stats_.tasks.capacity() * sizeof(TaskStats));
    }

    void add(const Record& record) {
        // Nearly all records are accesses: a branch on that predicts well where the jump of
        // a switch over all ops mispredicted often.
        if (is_access(record.op)) {
            add_access(record);
            return;
        }
        switch (record.op) {
            case Op::Read:
            case Op::Write: break;
            case Op::Alloc: add_alloc(record); break;
            case Op::Free: add_free(record); break;
            case Op::TaskBegin: add_task_begin(record); break;
            case Op::TaskEnd: add_task_end(record); break;
        }
    }

    TraceStats finish(size_t top_intervals);

    // Orders the tasks by run and id. They appear in the order they began; moving each task
    // about once, in place, is much cheaper than sorting the big entries themselves.
    void sort_tasks() {
        std::vector<TaskStats>& tasks = stats_.tasks;
        std::vector<uint32_t> order = tasks_.order(tasks.size());
        // Apply the permutation cycle by cycle (a second table would be fresh pages).
        for (uint32_t start = 0; start < order.size(); ++start) {
            if (order[start] == start) continue;
            TaskStats held = std::move(tasks[start]);
            uint32_t at = start;
            for (;;) {
                const uint32_t from = order[at];
                order[at] = at;
                if (from == start) {
                    tasks[at] = std::move(held);
                    break;
                }
                tasks[at] = std::move(tasks[from]);
                at = from;
            }
        }
    }

private:
    struct InitiatorState {
        Traffic traffic;
        uint64_t run = 0;  // of its latest TaskBegin
        // The task it last touched: the index in stats_.tasks of (task_run, task_id).
        uint64_t task_run = 0;
        uint32_t task_id = trace::kNoTask;
        uint32_t task = TaskIndex::kAbsent;
        AllocationTracker::Cache allocations;
    };

    static TimeBins make_bins(const trace::TraceInfo& reader, const StatsOptions& options) {
        // Intervals run to the last completion: bytes count while their access is in flight.
        const uint64_t span = reader.end_time_ps() - reader.first_time_ps();
        if (options.interval_count > kMaxIntervalBins) {
            throw std::invalid_argument("at most " + std::to_string(kMaxIntervalBins) + " intervals");
        }
        if (options.interval_ps != 0 && span / options.interval_ps >= kMaxIntervalBins) {
            throw std::invalid_argument("interval of " + format_time(options.interval_ps) + " would need more than " +
                                        std::to_string(kMaxIntervalBins) + " bins over this trace's " +
                                        format_time(span) + "; choose a longer one");
        }
        return TimeBins(reader.first_time_ps(), reader.end_time_ps(), options.interval_count, options.interval_ps);
    }

    void add_access(const Record& record) {
        const auto region = static_cast<size_t>(record.region);
        InitiatorState& initiator = state_of(record.initiator);
        stats_.regions[region].add(record.op, record.size);
        initiator.traffic.add(record.op, record.size);
        add_to_intervals(record, region);

        if (record.task_id == trace::kNoTask) {
            stats_.outside_tasks.add(record.op, record.size);
        } else {
            TaskStats& task = task_of(initiator, TaskKey{initiator.run, record.task_id});
            task.regions[region].add(record.op, record.size);
        }

        const size_t allocation = allocations_.find(record.region, record.address, initiator.allocations);
        if (allocation == AllocationTracker::kNone) {
            stats_.outside_allocations.add(record.op, record.size);
        } else {
            AllocationStats& stats = stats_.allocations[allocation];
            stats.traffic.add(record.op, record.size);
            stats.by_initiator_kind[static_cast<size_t>(trace::initiator_kind(record.initiator))].add(record.op,
                                                                                                      record.size);
        }
    }

    void add_alloc(const Record& record) {
        AllocationStats allocation;
        allocation.id = record.task_id;
        allocation.address = record.address;
        allocation.size = record.size;
        allocation.region = record.region;
        allocation.alloc_ps = record.time_ps;
        allocations_.on_alloc(record, stats_.allocations.size());
        stats_.allocations.push_back(allocation);
    }

    void add_free(const Record& record) {
        const size_t freed = allocations_.on_free(record);
        if (freed != AllocationTracker::kNone) stats_.allocations[freed].free_ps = record.time_ps;
    }

    void add_task_begin(const Record& record) {
        InitiatorState& initiator = state_of(record.initiator);
        initiator.run = marker_run(record);
        TaskStats& task = task_of(initiator, TaskKey{initiator.run, record.task_id});
        if (!task.begin_ps) {
            task.kernel = marker_kernel(record);
            task.kernel_name = kernel_names_.of(task.kernel);
        }
        task.begin_ps = std::min(task.begin_ps.value_or(UINT64_MAX), record.time_ps);
        task.initiators.add(record.initiator);
    }

    void add_task_end(const Record& record) {
        TaskStats& task = task_of(state_of(record.initiator), TaskKey{marker_run(record), record.task_id});
        task.end_ps = std::max(task.end_ps.value_or(0), record.time_ps);
    }

    // Most accesses start and complete within the interval of the previous one: only the
    // others look their interval up and, if they span several, share their bytes among them.
    void add_to_intervals(const Record& record, size_t region) {
        const uint64_t offset = record.time_ps - cached_bin_start_ps_;
        if (offset < bins_.width_ps() && record.latency_ps <= bins_.width_ps() - offset) {
            bin_bytes_[cached_bin_][region] += record.size;
            return;
        }
        bins_.spread(record.time_ps, trace::completion_time_ps(record), record.size,
                     [&](size_t bin, uint64_t share) { bin_bytes_[bin][region] += share; });
        cached_bin_ = bins_.index(record.time_ps);
        cached_bin_start_ps_ = bins_.start_ps(cached_bin_);
    }

    InitiatorState& state_of(uint16_t initiator) {
        uint16_t& slot = slots_[initiator];
        if (slot == kNoSlot) {
            slot = static_cast<uint16_t>(initiators_.size());
            initiators_.emplace_back();
        }
        return initiators_[slot];
    }

    TaskStats& task_of(InitiatorState& initiator, TaskKey key) {
        if (key.id != initiator.task_id || key.run != initiator.task_run) {
            initiator.task = tasks_.find_or_add(key, stats_.tasks);
            TaskStats& task = stats_.tasks[initiator.task];
            if (task.kernel_name.data() == nullptr) task.kernel_name = kernel_names_.unnamed();  // a new task
            initiator.task_id = key.id;
            initiator.task_run = key.run;
        }
        return stats_.tasks[initiator.task];
    }

    const trace::TraceInfo& reader_;
    TraceStats stats_;
    TimeBins bins_;
    // The state of each initiator seen, found through a small table indexed by initiator value
    // (a table of the states themselves would be megabytes to clear for every trace).
    static constexpr uint16_t kNoSlot = UINT16_MAX;
    std::vector<uint16_t> slots_;
    std::vector<InitiatorState> initiators_;
    std::vector<std::array<uint64_t, trace::kRegionCount>> bin_bytes_;
    AllocationTracker allocations_;
    TaskIndex tasks_;
    KernelNames kernel_names_{reader_, stats_.kernel_names};
    size_t cached_bin_ = 0;
    uint64_t cached_bin_start_ps_ = bins_.start_ps(0);
};

TraceStats StatsBuilder::finish(size_t top_intervals) {
    for (size_t i = 0; i < slots_.size(); ++i) {
        if (slots_[i] != kNoSlot && initiators_[slots_[i]].traffic.total_accesses() != 0) {
            stats_.initiators.push_back(InitiatorStats{static_cast<uint16_t>(i), initiators_[slots_[i]].traffic});
        }
    }
    sort_tasks();

    std::vector<IntervalStats> intervals;
    for (size_t bin = 0; bin < bin_bytes_.size(); ++bin) {
        IntervalStats interval;
        interval.start_ps = bins_.start_ps(bin);
        interval.end_ps = bins_.end_ps(bin);
        interval.region_bytes = bin_bytes_[bin];
        for (size_t region = 0; region < interval.region_bytes.size(); ++region) {
            interval.bytes += interval.region_bytes[region];
            stats_.peak_interval_bytes[region] =
                std::max(stats_.peak_interval_bytes[region], interval.region_bytes[region]);
        }
        if (interval.bytes != 0) intervals.push_back(interval);
    }
    // Stable: equally busy intervals stay in time order, so the output is deterministic.
    std::stable_sort(intervals.begin(), intervals.end(),
                     [](const IntervalStats& a, const IntervalStats& b) { return a.bytes > b.bytes; });
    intervals.resize(std::min(intervals.size(), top_intervals));
    stats_.busiest_intervals = std::move(intervals);
    return std::move(stats_);
}

}  // namespace

Traffic TraceStats::total() const {
    Traffic total;
    for (const Traffic& region : regions) total += region;
    return total;
}

InitiatorKindTraffic TraceStats::initiator_kinds() const {
    InitiatorKindTraffic kinds;
    for (const InitiatorStats& initiator : initiators) {
        kinds[static_cast<size_t>(trace::initiator_kind(initiator.initiator))] += initiator.traffic;
    }
    return kinds;
}

TraceStats compute_stats(const trace::TraceReader& reader, const StatsOptions& options) {
    StatsBuilder builder(reader, options);
    for (const trace::Record& record : reader) builder.add(record);
    return builder.finish(options.top_intervals);
}

TraceStats compute_stats(const trace::TraceStream& stream, const StatsOptions& options) {
    StatsBuilder builder(stream, options);
    stream.for_each_chunk([&builder](const trace::Record* records, size_t count) {
        for (size_t i = 0; i < count; ++i) builder.add(records[i]);
    });
    return builder.finish(options.top_intervals);
}

}  // namespace tandem::memtrace
