#include "tools/memtrace/stats_report.h"

#include "tools/memtrace/json_output.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace tandem::memtrace {
namespace {

using nlohmann::ordered_json;

ordered_json optional_json(const std::optional<uint64_t>& value) {
    return value ? ordered_json(*value) : ordered_json(nullptr);
}

ordered_json region_traffic_json(const RegionTraffic& regions) {
    ordered_json out = ordered_json::object();
    for (int r = 0; r < trace::kRegionCount; ++r) {
        out[trace::region_name(static_cast<trace::Region>(r))] = traffic_json(regions[r]);
    }
    return out;
}

ordered_json kind_traffic_json(const InitiatorKindTraffic& kinds, uint64_t span_ps) {
    ordered_json out = ordered_json::object();
    for (int k = 0; k < kInitiatorKindCount; ++k) {
        ordered_json entry = traffic_json(kinds[k]);
        if (span_ps != 0) entry["bytes_per_second"] = bandwidth(kinds[k].total_bytes(), span_ps);
        out[trace::initiator_kind_name(static_cast<trace::InitiatorKind>(k))] = std::move(entry);
    }
    return out;
}

// Row of a text table: a name column and the read/write/bandwidth columns.
void print_row(std::ostream& out, const std::string& name, const Traffic& traffic, const std::string& extra) {
    char line[256];
    std::snprintf(line, sizeof(line), "  %-28s %10llu %12s %10llu %12s  ", name.c_str(),
                  static_cast<unsigned long long>(traffic.reads()), format_bytes(traffic.read_bytes()).c_str(),
                  static_cast<unsigned long long>(traffic.writes()), format_bytes(traffic.write_bytes()).c_str());
    out << line << extra << "\n";
}

void print_heading(std::ostream& out, const char* title, const char* extra) {
    char line[256];
    std::snprintf(line, sizeof(line), "%-30s %10s %12s %10s %12s  %s\n", title, "reads", "read bytes", "writes",
                  "write bytes", extra);
    out << "\n" << line;
}

// Indices of `items` busiest first (by total bytes), at most `limit` of them (0 = all).
template <typename T, typename Bytes>
std::vector<size_t> busiest_first(const std::vector<T>& items, size_t limit, Bytes bytes_of) {
    // Only the rows shown are sorted (20 of 10^5 tasks, say), on (bytes, index) pairs read off
    // the table once; equally busy rows keep table order.
    std::vector<std::pair<uint64_t, size_t>> rows(items.size());
    for (size_t i = 0; i < items.size(); ++i) rows[i] = {bytes_of(items[i]), i};
    const size_t shown = limit == 0 ? rows.size() : std::min(limit, rows.size());
    const auto busier = [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    };
    if (shown < rows.size()) {
        std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(shown), rows.end(), busier);
    } else {
        std::sort(rows.begin(), rows.end(), busier);
    }
    std::vector<size_t> order(shown);
    for (size_t i = 0; i < shown; ++i) order[i] = rows[i].second;
    return order;
}

void print_more(std::ostream& out, size_t shown, size_t total) {
    if (shown < total) out << "  ... " << (total - shown) << " more (--limit 0 shows all)\n";
}

std::string task_extra(const TaskStats& task) {
    std::string text = std::string(task.kernel_name) + " ";
    for (size_t i = 0; i < task.initiators.size(); ++i)
        text += (i == 0 ? "" : ",") + initiator_name(task.initiators[i]);
    if (task.begin_ps && task.end_ps && *task.end_ps >= *task.begin_ps) {
        text += "  " + format_time(*task.begin_ps) + " +" + format_time(*task.end_ps - *task.begin_ps);
    } else if (task.begin_ps && !task.end_ps) {
        // The trace ends inside the task: its kernel crashed the simulator, or tracing stopped.
        text += "  " + format_time(*task.begin_ps) + " +(no end in the trace)";
    }
    return text;
}

}  // namespace

ordered_json task_json(const TaskStats& task) {
    ordered_json out = {{"run", task.run},
                        {"id", task.id},
                        {"kernel", task.kernel == trace::kNoKernel ? ordered_json(nullptr)
                                                                   : ordered_json(std::string(task.kernel_name))}};
    ordered_json initiators = ordered_json::array();
    for (uint16_t initiator : task.initiators.list()) initiators.push_back(initiator_name(initiator));
    out["initiators"] = std::move(initiators);
    out["begin_ps"] = optional_json(task.begin_ps);
    out["end_ps"] = optional_json(task.end_ps);
    out["duration_ps"] = task.begin_ps && task.end_ps && *task.end_ps >= *task.begin_ps
                             ? ordered_json(*task.end_ps - *task.begin_ps)
                             : ordered_json(nullptr);
    out.update(traffic_json(task.traffic()));
    out["regions"] = region_traffic_json(task.regions);
    return out;
}

ordered_json allocation_json(const AllocationStats& allocation) {
    ordered_json out = {
        {"id", allocation.id},
        {"address", allocation.address},
        {"size", allocation.size},
        {"region", trace::region_name(allocation.region)},
        {"alloc_ps", allocation.alloc_ps},
        {"free_ps", optional_json(allocation.free_ps)},
    };
    out.update(traffic_json(allocation.traffic));
    out["by_initiator_kind"] = kind_traffic_json(allocation.by_initiator_kind, 0);
    return out;
}

ordered_json stats_json(const TraceStats& stats) {
    const uint64_t span = stats.span_ps();
    ordered_json out;
    out["schema"] = kStatsSchema;
    out["file"] = {
        {"path", stats.path},       {"arch", stats.arch},         {"config_hash", hex(stats.config_hash)},
        {"records", stats.records}, {"complete", stats.complete},
    };
    out["time"] = {
        {"first_ps", stats.first_ps}, {"last_ps", stats.last_ps}, {"end_ps", stats.end_ps}, {"span_ps", span}};

    ordered_json ops = ordered_json::object();
    for (int op = 0; op < trace::kOpCount; ++op) ops[trace::op_name(static_cast<trace::Op>(op))] = stats.op_counts[op];
    out["ops"] = std::move(ops);

    const Traffic total = stats.total();
    out["totals"] = traffic_json(total);
    out["totals"]["bytes_per_second"] = bandwidth(total.total_bytes(), span);

    ordered_json regions = ordered_json::object();
    for (int r = 0; r < trace::kRegionCount; ++r) {
        ordered_json entry = traffic_json(stats.regions[r]);
        entry["bytes_per_second"] = bandwidth(stats.regions[r].total_bytes(), span);
        entry["peak_bytes_per_second"] = bandwidth(stats.peak_interval_bytes[r], stats.interval_ps);
        regions[trace::region_name(static_cast<trace::Region>(r))] = std::move(entry);
    }
    out["regions"] = std::move(regions);
    out["initiator_kinds"] = kind_traffic_json(stats.initiator_kinds(), span);

    ordered_json initiators = ordered_json::array();
    for (const InitiatorStats& initiator : stats.initiators) {
        ordered_json entry = {
            {"name", initiator_name(initiator.initiator)},
            {"kind", trace::initiator_kind_name(trace::initiator_kind(initiator.initiator))},
            {"index", trace::initiator_index(initiator.initiator)},
        };
        entry.update(traffic_json(initiator.traffic));
        entry["bytes_per_second"] = bandwidth(initiator.traffic.total_bytes(), span);
        initiators.push_back(std::move(entry));
    }
    out["initiators"] = std::move(initiators);

    ordered_json tasks = ordered_json::array();
    for (const TaskStats& task : stats.tasks) tasks.push_back(task_json(task));
    out["tasks"] = std::move(tasks);
    out["outside_tasks"] = traffic_json(stats.outside_tasks);

    ordered_json allocations = ordered_json::array();
    for (size_t i = 0; i < stats.allocations.size(); ++i) {
        ordered_json entry = {{"index", i}};
        entry.update(allocation_json(stats.allocations[i]));
        allocations.push_back(std::move(entry));
    }
    out["allocations"] = std::move(allocations);
    out["outside_allocations"] = traffic_json(stats.outside_allocations);

    ordered_json top = ordered_json::array();
    for (const IntervalStats& interval : stats.busiest_intervals) {
        ordered_json by_region = ordered_json::object();
        for (int r = 0; r < trace::kRegionCount; ++r) {
            by_region[trace::region_name(static_cast<trace::Region>(r))] = interval.region_bytes[r];
        }
        top.push_back({
            {"start_ps", interval.start_ps},
            {"end_ps", interval.end_ps},
            {"bytes", interval.bytes},
            {"bytes_per_second", bandwidth(interval.bytes, stats.interval_ps)},
            {"regions", std::move(by_region)},
        });
    }
    out["busiest_intervals"] = {{"interval_ps", stats.interval_ps}, {"top", std::move(top)}};
    return out;
}

void print_stats_text(std::ostream& out, const TraceStats& stats, size_t row_limit) {
    const uint64_t span = stats.span_ps();
    out << "trace " << stats.path << ": arch " << stats.arch << ", config " << hex(stats.config_hash) << ", "
        << stats.records << " records" << (stats.complete ? "" : " (writer did not close the file)") << "\n";
    out << "time  " << format_time(stats.first_ps) << " .. " << format_time(stats.end_ps) << " (span "
        << format_time(span) << ")\n";
    out << "ops  ";
    for (int op = 0; op < trace::kOpCount; ++op) {
        out << " " << trace::op_name(static_cast<trace::Op>(op)) << " " << stats.op_counts[op];
    }
    out << "\n";

    print_heading(out, "region", "average / peak bandwidth");
    for (int r = 0; r < trace::kRegionCount; ++r) {
        const Traffic& traffic = stats.regions[r];
        if (traffic.total_accesses() == 0) continue;
        print_row(out, trace::region_name(static_cast<trace::Region>(r)), traffic,
                  format_bandwidth(bandwidth(traffic.total_bytes(), span)) + " / " +
                      format_bandwidth(bandwidth(stats.peak_interval_bytes[r], stats.interval_ps)));
    }
    const Traffic total = stats.total();
    print_row(out, "total", total, format_bandwidth(bandwidth(total.total_bytes(), span)));

    print_heading(out, "initiator", "average bandwidth");
    const InitiatorKindTraffic kinds = stats.initiator_kinds();
    for (int k = 0; k < kInitiatorKindCount; ++k) {
        if (kinds[k].total_accesses() == 0) continue;
        print_row(out, std::string("all ") + trace::initiator_kind_name(static_cast<trace::InitiatorKind>(k)), kinds[k],
                  format_bandwidth(bandwidth(kinds[k].total_bytes(), span)));
    }
    const auto initiator_rows =
        busiest_first(stats.initiators, row_limit, [](const InitiatorStats& i) { return i.traffic.total_bytes(); });
    for (size_t i : initiator_rows) {
        const InitiatorStats& initiator = stats.initiators[i];
        print_row(out, initiator_name(initiator.initiator), initiator.traffic,
                  format_bandwidth(bandwidth(initiator.traffic.total_bytes(), span)));
    }
    print_more(out, initiator_rows.size(), stats.initiators.size());

    print_heading(out, "task", "kernel initiators  begin +duration");
    const auto task_rows =
        busiest_first(stats.tasks, row_limit, [](const TaskStats& t) { return t.traffic().total_bytes(); });
    for (size_t i : task_rows) {
        const TaskStats& task = stats.tasks[i];
        print_row(out, "run " + std::to_string(task.run) + " task " + std::to_string(task.id), task.traffic(),
                  task_extra(task));
    }
    print_more(out, task_rows.size(), stats.tasks.size());
    print_row(out, "(no task)", stats.outside_tasks, "");

    print_heading(out, "allocation", "address +size region  lifetime");
    const auto allocation_rows =
        busiest_first(stats.allocations, row_limit, [](const AllocationStats& a) { return a.traffic.total_bytes(); });
    for (size_t i : allocation_rows) {
        const AllocationStats& allocation = stats.allocations[i];
        print_row(out, "alloc " + std::to_string(allocation.id), allocation.traffic,
                  hex(allocation.address) + " +" + format_bytes(allocation.size) + " " +
                      trace::region_name(allocation.region) + "  " + format_time(allocation.alloc_ps) + " .. " +
                      (allocation.free_ps ? format_time(*allocation.free_ps) : std::string("never freed")));
    }
    print_more(out, allocation_rows.size(), stats.allocations.size());
    print_row(out, "(no allocation)", stats.outside_allocations, "");

    out << "\nbusiest intervals (" << format_time(stats.interval_ps) << " each)\n";
    for (const IntervalStats& interval : stats.busiest_intervals) {
        out << "  " << format_time(interval.start_ps) << " .. " << format_time(interval.end_ps) << "  "
            << format_bytes(interval.bytes) << "  " << format_bandwidth(bandwidth(interval.bytes, stats.interval_ps))
            << " (";
        const char* separator = "";
        for (int r = 0; r < trace::kRegionCount; ++r) {
            if (interval.region_bytes[r] == 0) continue;
            out << separator << trace::region_name(static_cast<trace::Region>(r)) << " "
                << format_bytes(interval.region_bytes[r]);
            separator = ", ";
        }
        out << ")\n";
    }
}

}  // namespace tandem::memtrace
