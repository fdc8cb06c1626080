#include "tools/memtrace/stats.h"

#include "tools/memtrace/allocation_tracker.h"
#include "tools/memtrace/time_bins.h"

#include <algorithm>
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

// Accumulates one trace. add() is the hot loop of `memtrace stats`: table lookups and
// additions only, with caches for the task and allocation of the previous access.
class StatsBuilder {
public:
    StatsBuilder(const trace::TraceReader& reader, const StatsOptions& options)
        : bins_(make_bins(reader, options)), initiators_(kInitiatorSlots), bin_bytes_(bins_.count()) {
        stats_.path = reader.name();
        stats_.arch = reader.arch();
        stats_.config_hash = reader.header().config_hash;
        stats_.complete = reader.complete();
        stats_.records = reader.size();
        stats_.first_ps = reader.first_time_ps();
        stats_.last_ps = reader.last_time_ps();
        stats_.end_ps = reader.end_time_ps();
        stats_.interval_ps = bins_.width_ps();
    }

    void add(const Record& record) {
        ++stats_.op_counts[static_cast<size_t>(record.op)];
        switch (record.op) {
            case Op::Read:
            case Op::Write: add_access(record); break;
            case Op::Alloc: add_alloc(record); break;
            case Op::Free: add_free(record); break;
            case Op::TaskBegin: add_task_begin(record); break;
            case Op::TaskEnd: add_task_end(record); break;
        }
    }

    TraceStats finish(size_t top_intervals);

private:
    static TimeBins make_bins(const trace::TraceReader& reader, const StatsOptions& options) {
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
        stats_.regions[region].add(record.op, record.size);
        initiators_[record.initiator].add(record.op, record.size);
        add_to_intervals(record, region);

        if (record.task_id == trace::kNoTask) {
            stats_.outside_tasks.add(record.op, record.size);
        } else {
            TaskStats& task = task_for(record.task_id);
            task.traffic.add(record.op, record.size);
            task.regions[region].add(record.op, record.size);
        }

        const size_t allocation = allocations_.find(record.region, record.address);
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
        TaskStats& task = task_for(record.task_id);
        task.begin_ps = std::min(task.begin_ps.value_or(UINT64_MAX), record.time_ps);
        if (std::find(task.initiators.begin(), task.initiators.end(), record.initiator) == task.initiators.end()) {
            task.initiators.push_back(record.initiator);
        }
    }

    void add_task_end(const Record& record) {
        TaskStats& task = task_for(record.task_id);
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

    TaskStats& task_for(uint32_t id) {
        if (id == cached_task_id_ && cached_task_ != nullptr) return *cached_task_;
        return switch_task(id);
    }

    // Kept out of line so that task_for's cache check inlines into the loop.
    [[gnu::noinline]] TaskStats& switch_task(uint32_t id) {
        const auto [it, inserted] = task_index_.try_emplace(id, stats_.tasks.size());
        if (inserted) {
            stats_.tasks.emplace_back();
            stats_.tasks.back().id = id;
        }
        // Only an insertion grows the vector, and it is always followed by this refresh.
        cached_task_id_ = id;
        cached_task_ = &stats_.tasks[it->second];
        return *cached_task_;
    }

    TraceStats stats_;
    TimeBins bins_;
    std::vector<Traffic> initiators_;  // indexed by initiator value
    std::vector<std::array<uint64_t, trace::kRegionCount>> bin_bytes_;
    AllocationTracker allocations_;
    std::unordered_map<uint32_t, size_t> task_index_;
    uint32_t cached_task_id_ = 0;
    TaskStats* cached_task_ = nullptr;
    size_t cached_bin_ = 0;
    uint64_t cached_bin_start_ps_ = bins_.start_ps(0);
};

TraceStats StatsBuilder::finish(size_t top_intervals) {
    for (size_t i = 0; i < initiators_.size(); ++i) {
        if (initiators_[i].total_accesses() != 0) {
            stats_.initiators.push_back(InitiatorStats{static_cast<uint16_t>(i), initiators_[i]});
        }
    }
    std::sort(stats_.tasks.begin(), stats_.tasks.end(),
              [](const TaskStats& a, const TaskStats& b) { return a.id < b.id; });

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

}  // namespace tandem::memtrace
