#include "tools/memtrace/diff.h"

#include "tools/memtrace/allocation_tracker.h"
#include "tools/memtrace/record_semantics.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace tandem::memtrace {
namespace {

using trace::Op;
using trace::Record;

// Follows one trace's Alloc/Free records to express addresses as Locations.
class Locator {
public:
    Location locate(const Record& record) {
        switch (record.op) {
            case Op::Alloc: {
                const AllocationKey key{record.task_id, occurrences_[record.task_id]++};
                tracker_.on_alloc(record, allocations_.size());
                allocations_.push_back(Allocation{key, record.address});
                return Location{key, 0};
            }
            case Op::Free: return located(tracker_.on_free(record), record.address);
            case Op::Read:
            case Op::Write: return located(tracker_.find(record.region, record.address), record.address);
            case Op::TaskBegin:
            case Op::TaskEnd: break;
        }
        return Location{std::nullopt, record.address};
    }

private:
    struct Allocation {
        AllocationKey key;
        uint64_t address;
    };

    Location located(size_t handle, uint64_t address) const {
        if (handle == AllocationTracker::kNone) return Location{std::nullopt, address};
        const Allocation& allocation = allocations_[handle];
        return Location{allocation.key, address - allocation.address};
    }

    AllocationTracker tracker_;
    std::vector<Allocation> allocations_;  // indexed by tracker handle
    std::unordered_map<uint32_t, uint32_t> occurrences_;
};

std::vector<std::string> differing_fields(const LocatedRecord& a, const LocatedRecord& b, const DiffOptions& options) {
    std::vector<std::string> fields;
    const Record& x = a.record;
    const Record& y = b.record;
    if (!options.ignore_timing && x.time_ps != y.time_ps) fields.push_back("time_ps");
    if (x.op != y.op) fields.push_back("op");
    if (x.initiator != y.initiator) fields.push_back("initiator");
    if (x.region != y.region) fields.push_back("region");
    if (!(a.location == b.location)) fields.push_back("address");
    if (x.size != y.size) fields.push_back("size");
    // For alloc/free the field holds the allocation id, which the location already compares.
    if (x.task_id != y.task_id && !is_allocation_marker(x.op) && !is_allocation_marker(y.op)) {
        fields.push_back("task_id");
    }
    if (!options.ignore_timing && x.latency_ps != y.latency_ps) fields.push_back("latency_ps");
    return fields;
}

std::optional<RecordDivergence> first_divergence(const trace::TraceReader& a, const trace::TraceReader& b,
                                                 const DiffOptions& options) {
    Locator locate_a;
    Locator locate_b;
    const size_t common = std::min(a.size(), b.size());
    for (size_t i = 0; i < common; ++i) {
        const LocatedRecord x{a[i], locate_a.locate(a[i])};
        const LocatedRecord y{b[i], locate_b.locate(b[i])};
        std::vector<std::string> fields = differing_fields(x, y, options);
        if (!fields.empty()) return RecordDivergence{i, x, y, std::move(fields)};
    }
    if (a.size() == b.size()) return std::nullopt;
    RecordDivergence divergence{common, std::nullopt, std::nullopt, {"length"}};
    if (common < a.size()) divergence.a = LocatedRecord{a[common], locate_a.locate(a[common])};
    if (common < b.size()) divergence.b = LocatedRecord{b[common], locate_b.locate(b[common])};
    return divergence;
}

bool same_region_traffic(const RegionTraffic& a, const RegionTraffic& b) {
    for (size_t r = 0; r < a.size(); ++r) {
        if (a[r] != b[r]) return false;
    }
    return true;
}

std::vector<std::string> task_aspects(const TaskStats& a, const TaskStats& b, const DiffOptions& options) {
    std::vector<std::string> aspects;
    if (!same_region_traffic(a.regions, b.regions)) aspects.push_back("traffic");
    if (!options.ignore_timing && (a.begin_ps != b.begin_ps || a.end_ps != b.end_ps)) aspects.push_back("timing");
    if (a.initiators != b.initiators) aspects.push_back("initiators");
    if (a.kernel_name != b.kernel_name) aspects.push_back("kernel");
    return aspects;
}

std::vector<std::string> allocation_aspects(const AllocationStats& a, const AllocationStats& b,
                                            const DiffOptions& options) {
    std::vector<std::string> aspects;
    if (a.size != b.size || a.region != b.region) aspects.push_back("layout");
    bool same_kinds = true;
    for (size_t k = 0; k < a.by_initiator_kind.size(); ++k)
        same_kinds &= a.by_initiator_kind[k] == b.by_initiator_kind[k];
    if (a.traffic != b.traffic || !same_kinds) aspects.push_back("traffic");
    if (a.free_ps.has_value() != b.free_ps.has_value()) aspects.push_back("lifetime");
    if (!options.ignore_timing && (a.alloc_ps != b.alloc_ps || a.free_ps != b.free_ps)) aspects.push_back("timing");
    return aspects;
}

// Pairs up entries of A and B with the same key (either may be missing) and keeps the
// pairs whose `aspects` are not empty; a missing side is the aspect "presence".
template <typename Key, typename Stats, typename Diff, typename Aspects>
std::vector<Diff> differing_pairs(const std::map<Key, const Stats*>& a, const std::map<Key, const Stats*>& b,
                                  Aspects aspects_of) {
    std::map<Key, Diff> pairs;  // Diff is constructed from its key
    for (const auto& [key, stats] : a) pairs.try_emplace(key, key).first->second.a = *stats;
    for (const auto& [key, stats] : b) pairs.try_emplace(key, key).first->second.b = *stats;
    std::vector<Diff> differing;
    for (auto& entry : pairs) {
        Diff& diff = entry.second;
        if (!diff.a || !diff.b) {
            diff.aspects = {"presence"};
        } else {
            diff.aspects = aspects_of(*diff.a, *diff.b);
        }
        if (!diff.aspects.empty()) differing.push_back(std::move(diff));
    }
    return differing;
}

std::map<TaskKey, const TaskStats*> tasks_by_key(const TraceStats& stats) {
    std::map<TaskKey, const TaskStats*> tasks;
    for (const TaskStats& task : stats.tasks) tasks[TaskKey{task.run, task.id}] = &task;
    return tasks;
}

std::map<AllocationKey, const AllocationStats*> allocations_by_key(const TraceStats& stats) {
    std::map<AllocationKey, const AllocationStats*> allocations;
    std::unordered_map<uint32_t, uint32_t> occurrences;
    for (const AllocationStats& allocation : stats.allocations) {
        allocations[AllocationKey{allocation.id, occurrences[allocation.id]++}] = &allocation;
    }
    return allocations;
}

}  // namespace

TraceDiff diff_traces(const trace::TraceReader& a, const trace::TraceReader& b, const DiffOptions& options) {
    TraceDiff diff;
    diff.a = compute_stats(a);
    diff.b = compute_stats(b);
    if (diff.a.arch != diff.b.arch) diff.header_differences.push_back("arch");
    if (diff.a.config_hash != diff.b.config_hash) diff.header_differences.push_back("config_hash");
    diff.first_divergence = first_divergence(a, b, options);

    for (int r = 0; r < trace::kRegionCount; ++r) {
        if (diff.a.regions[r] != diff.b.regions[r]) {
            diff.regions.push_back(RegionDiff{static_cast<trace::Region>(r), diff.a.regions[r], diff.b.regions[r]});
        }
    }
    diff.tasks = differing_pairs<TaskKey, TaskStats, TaskDiff>(
        tasks_by_key(diff.a), tasks_by_key(diff.b),
        [&](const TaskStats& x, const TaskStats& y) { return task_aspects(x, y, options); });
    diff.allocations = differing_pairs<AllocationKey, AllocationStats, AllocationDiff>(
        allocations_by_key(diff.a), allocations_by_key(diff.b),
        [&](const AllocationStats& x, const AllocationStats& y) { return allocation_aspects(x, y, options); });
    return diff;
}

}  // namespace tandem::memtrace
