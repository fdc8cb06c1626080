#include "stats_reference.h"

#include "tools/memtrace/record_semantics.h"
#include "tools/memtrace/time_bins.h"

#include <algorithm>
#include <map>

namespace tandem::memtrace::testing {
namespace {

using trace::Op;
using trace::Record;

// Live allocations of one address space by start address: allocation index in TraceStats.
using LiveAllocations = std::map<uint64_t, size_t>;

// The live allocation with the greatest start at or below `address`, if it contains it.
const AllocationStats* containing(const LiveAllocations& live, const std::vector<AllocationStats>& allocations,
                                  uint64_t address) {
    auto after = live.upper_bound(address);
    if (after == live.begin()) return nullptr;
    const AllocationStats& allocation = allocations[std::prev(after)->second];
    const uint64_t end = allocation.address + allocation.size;
    const uint64_t saturated_end = end < allocation.address ? UINT64_MAX : end;
    return address < saturated_end ? &allocation : nullptr;
}

}  // namespace

TraceStats reference_stats(const trace::TraceReader& reader, const StatsOptions& options) {
    TraceStats stats;
    stats.path = reader.name();
    stats.arch = reader.arch();
    stats.config_hash = reader.header().config_hash;
    stats.complete = reader.complete();
    stats.records = reader.size();
    stats.first_ps = reader.first_time_ps();
    stats.last_ps = reader.last_time_ps();
    stats.end_ps = reader.end_time_ps();
    const TimeBins bins(reader.first_time_ps(), reader.end_time_ps(), options.interval_count, options.interval_ps);
    stats.interval_ps = bins.width_ps();
    std::vector<std::array<uint64_t, trace::kRegionCount>> bin_bytes(bins.count());

    std::map<uint16_t, Traffic> initiators;  // those that accessed memory
    std::map<uint16_t, uint64_t> run_of;     // initiator -> run of its latest TaskBegin
    std::map<TaskKey, TaskStats> tasks;
    const auto task = [&](TaskKey key) -> TaskStats& {
        TaskStats& found = tasks[key];
        found.run = key.run;
        found.id = key.id;
        return found;
    };
    LiveAllocations live[kAddressSpaceCount];

    for (const Record& record : reader) {
        ++stats.op_counts[static_cast<size_t>(record.op)];
        LiveAllocations& space = live[static_cast<size_t>(address_space(record.region))];
        switch (record.op) {
            case Op::Read:
            case Op::Write: {
                const auto region = static_cast<size_t>(record.region);
                stats.regions[region].add(record.op, record.size);
                initiators[record.initiator].add(record.op, record.size);
                bins.spread(record.time_ps, trace::completion_time_ps(record), record.size,
                            [&](size_t bin, uint64_t share) { bin_bytes[bin][region] += share; });
                if (record.task_id == trace::kNoTask) {
                    stats.outside_tasks.add(record.op, record.size);
                } else {
                    TaskStats& accessing = task(TaskKey{run_of[record.initiator], record.task_id});
                    accessing.regions[region].add(record.op, record.size);
                }
                const AllocationStats* found = containing(space, stats.allocations, record.address);
                if (found == nullptr) {
                    stats.outside_allocations.add(record.op, record.size);
                } else {
                    AllocationStats& allocation =
                        stats.allocations[static_cast<size_t>(found - stats.allocations.data())];
                    allocation.traffic.add(record.op, record.size);
                    allocation.by_initiator_kind[static_cast<size_t>(trace::initiator_kind(record.initiator))].add(
                        record.op, record.size);
                }
                break;
            }
            case Op::Alloc: {
                AllocationStats allocation;
                allocation.id = record.task_id;
                allocation.address = record.address;
                allocation.size = record.size;
                allocation.region = record.region;
                allocation.alloc_ps = record.time_ps;
                space[record.address] = stats.allocations.size();  // replaces one starting there
                stats.allocations.push_back(allocation);
                break;
            }
            case Op::Free: {
                const auto freed = space.find(record.address);
                if (freed != space.end()) {
                    stats.allocations[freed->second].free_ps = record.time_ps;
                    space.erase(freed);
                }
                break;
            }
            case Op::TaskBegin: {
                run_of[record.initiator] = marker_run(record);
                TaskStats& begun = task(TaskKey{marker_run(record), record.task_id});
                if (!begun.begin_ps) begun.kernel = marker_kernel(record);
                begun.begin_ps = std::min(begun.begin_ps.value_or(UINT64_MAX), record.time_ps);
                begun.initiators.add(record.initiator);
                break;
            }
            case Op::TaskEnd: {
                TaskStats& ended = task(TaskKey{marker_run(record), record.task_id});
                ended.end_ps = std::max(ended.end_ps.value_or(0), record.time_ps);
                break;
            }
        }
    }

    for (const auto& [initiator, traffic] : initiators) stats.initiators.push_back(InitiatorStats{initiator, traffic});
    std::map<uint32_t, size_t> name_of;  // kernel id -> kernel_names index
    for (auto& [key, entry] : tasks) {
        if (name_of.try_emplace(entry.kernel, stats.kernel_names.size()).second) {
            stats.kernel_names.push_back(reader.kernel_name(entry.kernel));
        }
        stats.tasks.push_back(std::move(entry));
    }
    for (TaskStats& entry : stats.tasks) entry.kernel_name = stats.kernel_names[name_of.at(entry.kernel)];

    std::vector<IntervalStats> intervals;
    for (size_t bin = 0; bin < bins.count(); ++bin) {
        IntervalStats interval;
        interval.start_ps = bins.start_ps(bin);
        interval.end_ps = bins.end_ps(bin);
        interval.region_bytes = bin_bytes[bin];
        for (size_t region = 0; region < trace::kRegionCount; ++region) {
            interval.bytes += interval.region_bytes[region];
            stats.peak_interval_bytes[region] =
                std::max(stats.peak_interval_bytes[region], interval.region_bytes[region]);
        }
        if (interval.bytes != 0) intervals.push_back(interval);
    }
    std::stable_sort(intervals.begin(), intervals.end(),
                     [](const IntervalStats& a, const IntervalStats& b) { return a.bytes > b.bytes; });
    intervals.resize(std::min(intervals.size(), options.top_intervals));
    stats.busiest_intervals = std::move(intervals);
    return stats;
}

}  // namespace tandem::memtrace::testing
