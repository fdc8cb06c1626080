#include "tools/memtrace/diff_report.h"

#include "tools/memtrace/format.h"
#include "tools/memtrace/json_output.h"
#include "tools/memtrace/stats_report.h"

#include <algorithm>
#include <string>
#include <vector>

namespace tandem::memtrace {
namespace {

using nlohmann::ordered_json;

ordered_json side_json(const TraceStats& stats) {
    return {{"path", stats.path},
            {"arch", stats.arch},
            {"config_hash", hex(stats.config_hash)},
            {"records", stats.records}};
}

template <typename T, typename ToJson>
ordered_json optional_json(const std::optional<T>& value, ToJson to_json) {
    return value ? to_json(*value) : ordered_json(nullptr);
}

ordered_json located_record_json(const LocatedRecord& located) {
    const trace::Record& record = located.record;
    ordered_json out = {
        {"time_ps", record.time_ps},
        {"address", record.address},
        {"size", record.size},
        {"task_id", record.task_id},
        {"latency_ps", record.latency_ps},
        {"initiator", initiator_name(record.initiator)},
        {"op", trace::op_name(record.op)},
        {"region", trace::region_name(record.region)},
    };
    if (located.location.allocation) {
        out["allocation"] = {{"id", located.location.allocation->id},
                             {"occurrence", located.location.allocation->occurrence},
                             {"offset", located.location.offset}};
    }
    return out;
}

std::string allocation_label(const AllocationKey& key) {
    return "alloc " + std::to_string(key.id) + (key.occurrence == 0 ? "" : "#" + std::to_string(key.occurrence));
}

std::string record_text(const LocatedRecord& located) {
    const trace::Record& record = located.record;
    std::string text = format_time(record.time_ps) + " " + initiator_name(record.initiator) + " " +
                       trace::op_name(record.op) + " " + trace::region_name(record.region) + " " +
                       std::to_string(record.size) + " B at ";
    text += located.location.allocation
                ? allocation_label(*located.location.allocation) + " +" + hex(located.location.offset)
                : hex(record.address);
    if (record.task_id != trace::kNoTask) text += " task " + std::to_string(record.task_id);
    return text + " latency " + format_time(record.latency_ps);
}

std::string change(uint64_t a, uint64_t b) {
    const std::string delta = b >= a ? "+" + std::to_string(b - a) : "-" + std::to_string(a - b);
    return std::to_string(a) + " -> " + std::to_string(b) + " (" + delta + ")";
}

// "hbm read_bytes 4096 -> 8192 (+4096)" for each count that differs.
void add_traffic_changes(std::vector<std::string>& changes, const std::string& what, const Traffic& a,
                         const Traffic& b) {
    const char* names[] = {"reads", "writes", "read_bytes", "write_bytes"};
    const uint64_t values_a[] = {a.reads(), a.writes(), a.read_bytes(), a.write_bytes()};
    const uint64_t values_b[] = {b.reads(), b.writes(), b.read_bytes(), b.write_bytes()};
    for (size_t i = 0; i < 4; ++i) {
        if (values_a[i] != values_b[i])
            changes.push_back(what + " " + names[i] + " " + change(values_a[i], values_b[i]));
    }
}

std::string optional_time(const std::optional<uint64_t>& ps) { return ps ? format_time(*ps) : "none"; }

void add_time_change(std::vector<std::string>& changes, const char* what, const std::optional<uint64_t>& a,
                     const std::optional<uint64_t>& b) {
    if (a != b) changes.push_back(std::string(what) + " " + optional_time(a) + " -> " + optional_time(b));
}

std::string join(const std::vector<std::string>& parts, const char* separator) {
    std::string text;
    for (const std::string& part : parts) text += (text.empty() ? "" : separator) + part;
    return text;
}

std::vector<std::string> task_changes(const TaskDiff& diff) {
    std::vector<std::string> changes;
    if (!diff.a || !diff.b) return {diff.a ? "only in A" : "only in B"};
    for (int r = 0; r < trace::kRegionCount; ++r) {
        add_traffic_changes(changes, trace::region_name(static_cast<trace::Region>(r)), diff.a->regions[r],
                            diff.b->regions[r]);
    }
    add_time_change(changes, "begin", diff.a->begin_ps, diff.b->begin_ps);
    add_time_change(changes, "end", diff.a->end_ps, diff.b->end_ps);
    if (diff.a->initiators != diff.b->initiators) changes.push_back("initiators differ");
    if (diff.a->kernel_name != diff.b->kernel_name) {
        changes.push_back("kernel " + std::string(diff.a->kernel_name) + " -> " + std::string(diff.b->kernel_name));
    }
    return changes;
}

std::vector<std::string> allocation_changes(const AllocationDiff& diff) {
    std::vector<std::string> changes;
    if (!diff.a || !diff.b) return {diff.a ? "only in A" : "only in B"};
    if (diff.a->size != diff.b->size) changes.push_back("size " + change(diff.a->size, diff.b->size));
    if (diff.a->region != diff.b->region) {
        changes.push_back(std::string("region ") + trace::region_name(diff.a->region) + " -> " +
                          trace::region_name(diff.b->region));
    }
    for (int k = 0; k < kInitiatorKindCount; ++k) {
        add_traffic_changes(changes, trace::initiator_kind_name(static_cast<trace::InitiatorKind>(k)),
                            diff.a->by_initiator_kind[k], diff.b->by_initiator_kind[k]);
    }
    if (diff.a->alloc_ps != diff.b->alloc_ps)
        changes.push_back("alloc " + format_time(diff.a->alloc_ps) + " -> " + format_time(diff.b->alloc_ps));
    add_time_change(changes, "free", diff.a->free_ps, diff.b->free_ps);
    return changes;
}

template <typename Diff, typename Label, typename Changes>
void print_list(std::ostream& out, const char* title, const std::vector<Diff>& diffs, size_t row_limit, Label label,
                Changes changes) {
    if (diffs.empty()) return;
    out << title << ": " << diffs.size() << " differ\n";
    const size_t shown = row_limit == 0 ? diffs.size() : std::min(diffs.size(), row_limit);
    for (size_t i = 0; i < shown; ++i) {
        out << "  " << label(diffs[i]) << " [" << join(diffs[i].aspects, ", ") << "]: " << join(changes(diffs[i]), "; ")
            << "\n";
    }
    if (shown < diffs.size()) out << "  ... " << (diffs.size() - shown) << " more (--limit 0 shows all)\n";
}

}  // namespace

ordered_json diff_json(const TraceDiff& diff) {
    ordered_json out;
    out["schema"] = kDiffSchema;
    out["equal"] = diff.equal();
    out["a"] = side_json(diff.a);
    out["b"] = side_json(diff.b);
    out["header_differences"] = diff.header_differences;
    out["first_divergence"] = optional_json(diff.first_divergence, [](const RecordDivergence& divergence) {
        return ordered_json{{"record", divergence.index},
                            {"fields", divergence.fields},
                            {"a", optional_json(divergence.a, located_record_json)},
                            {"b", optional_json(divergence.b, located_record_json)}};
    });
    ordered_json regions = ordered_json::array();
    for (const RegionDiff& region : diff.regions) {
        regions.push_back({{"region", trace::region_name(region.region)},
                           {"a", traffic_json(region.a)},
                           {"b", traffic_json(region.b)}});
    }
    out["regions"] = std::move(regions);
    ordered_json tasks = ordered_json::array();
    for (const TaskDiff& task : diff.tasks) {
        tasks.push_back({{"run", task.key.run},
                         {"id", task.key.id},
                         {"differs", task.aspects},
                         {"a", optional_json(task.a, task_json)},
                         {"b", optional_json(task.b, task_json)}});
    }
    out["tasks"] = std::move(tasks);
    ordered_json allocations = ordered_json::array();
    for (const AllocationDiff& allocation : diff.allocations) {
        allocations.push_back({{"id", allocation.key.id},
                               {"occurrence", allocation.key.occurrence},
                               {"differs", allocation.aspects},
                               {"a", optional_json(allocation.a, allocation_json)},
                               {"b", optional_json(allocation.b, allocation_json)}});
    }
    out["allocations"] = std::move(allocations);
    return out;
}

void print_diff_text(std::ostream& out, const TraceDiff& diff, size_t row_limit) {
    out << "A: " << diff.a.path << " (" << diff.a.records << " records, arch " << diff.a.arch << ", config "
        << hex(diff.a.config_hash) << ")\n";
    out << "B: " << diff.b.path << " (" << diff.b.records << " records, arch " << diff.b.arch << ", config "
        << hex(diff.b.config_hash) << ")\n";
    if (!diff.header_differences.empty()) {
        out << "note: headers differ in " << join(diff.header_differences, ", ") << "\n";
    }
    if (diff.first_divergence) {
        const RecordDivergence& divergence = *diff.first_divergence;
        out << "first divergence at record " << divergence.index << ": " << join(divergence.fields, ", ") << "\n";
        out << "  A: " << (divergence.a ? record_text(*divergence.a) : "(trace ended)") << "\n";
        out << "  B: " << (divergence.b ? record_text(*divergence.b) : "(trace ended)") << "\n";
    }
    if (!diff.regions.empty()) {
        out << "regions:\n";
        for (const RegionDiff& region : diff.regions) {
            std::vector<std::string> changes;
            add_traffic_changes(changes, trace::region_name(region.region), region.a, region.b);
            out << "  " << join(changes, "; ") << "\n";
        }
    }
    print_list(
        out, "tasks", diff.tasks, row_limit,
        [](const TaskDiff& task) {
            return "run " + std::to_string(task.key.run) + " task " + std::to_string(task.key.id);
        },
        task_changes);
    print_list(
        out, "allocations", diff.allocations, row_limit,
        [](const AllocationDiff& allocation) { return allocation_label(allocation.key); }, allocation_changes);
    out << (diff.equal() ? "traces are equal\n" : "traces differ\n");
}

}  // namespace tandem::memtrace
