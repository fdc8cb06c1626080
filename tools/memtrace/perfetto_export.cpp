#include "tools/memtrace/perfetto_export.h"

#include "tools/memtrace/format.h"
#include "tools/memtrace/json_output.h"
#include "tools/memtrace/record_semantics.h"
#include "tools/memtrace/slices.h"
#include "tools/memtrace/time_bins.h"
#include "tools/memtrace/traffic.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

namespace tandem::memtrace {
namespace {

using nlohmann::ordered_json;

constexpr int kCoresPid = 1;
constexpr int kDmaPid = 2;
constexpr int kBandwidthPid = 3;
// More samples than this per track would be more events than the UI loads anyway.
constexpr size_t kMaxCounterBins = 100000;

// Trace-event timestamps are microseconds; fractions keep picosecond resolution.
double to_us(uint64_t ps) { return static_cast<double>(ps) / 1e6; }

// Streams the traceEvents array, one event per line, so memory stays flat for big traces.
class EventStream {
public:
    EventStream(std::ostream& out, const trace::TraceReader& reader) : out_(out) {
        const ordered_json other = {{"source", "memtrace"}, {"trace", reader.name()}, {"arch", reader.arch()}};
        out_ << "{\"displayTimeUnit\":\"ns\",\"otherData\":" << json_text(other) << ",\"traceEvents\":[\n";
    }
    void write(const ordered_json& event) {
        out_ << (first_ ? "" : ",\n") << json_text(event);
        first_ = false;
    }
    void finish() { out_ << "\n]}\n"; }

private:
    std::ostream& out_;
    bool first_ = true;
};

// Where a slice goes; `index` selects its description in the caller's list.
struct SliceSpan {
    uint16_t initiator;
    uint64_t start_ps;
    uint64_t end_ps;
    size_t index;
};

// Assigns each slice of one process to the first lane of its initiator that is free at its
// start (tracks must nest, so overlapping slices get extra lanes), names the lanes' threads
// and writes the slices; `describe(index)` gives an event's name, category and args.
void write_slices(EventStream& events, int pid, std::vector<SliceSpan> slices,
                  const std::function<ordered_json(size_t)>& describe) {
    std::stable_sort(slices.begin(), slices.end(), [](const SliceSpan& a, const SliceSpan& b) {
        return std::make_pair(a.initiator, a.start_ps) < std::make_pair(b.initiator, b.start_ps);
    });
    std::map<uint16_t, std::vector<uint64_t>> lane_ends;  // per initiator, when each lane frees up
    std::map<std::pair<uint16_t, size_t>, int> tids;
    for (const SliceSpan& slice : slices) {
        std::vector<uint64_t>& lanes = lane_ends[slice.initiator];
        size_t lane = 0;
        while (lane < lanes.size() && lanes[lane] > slice.start_ps) ++lane;
        if (lane == lanes.size()) lanes.push_back(0);
        lanes[lane] = slice.end_ps;

        const int next_tid = static_cast<int>(tids.size()) + 1;
        const auto [it, is_new] = tids.try_emplace({slice.initiator, lane}, next_tid);
        const int tid = it->second;
        if (is_new) {
            const std::string name =
                initiator_name(slice.initiator) + (lane == 0 ? "" : " #" + std::to_string(lane + 1));
            events.write(
                {{"ph", "M"}, {"pid", pid}, {"tid", tid}, {"name", "thread_name"}, {"args", {{"name", name}}}});
            events.write({{"ph", "M"},
                          {"pid", pid},
                          {"tid", tid},
                          {"name", "thread_sort_index"},
                          {"args", {{"sort_index", tid}}}});
        }
        ordered_json event = {{"ph", "X"},
                              {"pid", pid},
                              {"tid", tid},
                              {"ts", to_us(slice.start_ps)},
                              {"dur", to_us(slice.end_ps - slice.start_ps)}};
        event.update(describe(slice.index));
        events.write(event);
    }
}

void write_task_slices(EventStream& events, const trace::TraceReader& reader, const std::vector<TaskSlice>& tasks) {
    std::vector<SliceSpan> spans;
    spans.reserve(tasks.size());
    for (size_t i = 0; i < tasks.size(); ++i) {
        spans.push_back(SliceSpan{tasks[i].initiator, tasks[i].begin_ps, tasks[i].end_ps, i});
    }
    write_slices(events, kCoresPid, std::move(spans), [&](size_t i) {
        const TaskSlice& slice = tasks[i];
        const std::string kernel = reader.kernel_name(slice.kernel);
        ordered_json event = {{"name", kernel + " #" + std::to_string(slice.task_id)},
                              {"cat", "task"},
                              {"args",
                               {{"kernel", kernel},
                                {"run", slice.run},
                                {"task", slice.task_id},
                                {"initiator", initiator_name(slice.initiator)}}}};
        if (!slice.ended) event["args"]["unended"] = true;
        return event;
    });
}

void write_dma_slices(EventStream& events, const trace::TraceReader& reader, size_t transfer_count) {
    std::vector<DmaTransfer> transfers;
    transfers.reserve(transfer_count);
    for_each_dma_transfer(reader, [&](const DmaTransfer& transfer) { transfers.push_back(transfer); });
    std::vector<SliceSpan> spans;
    spans.reserve(transfers.size());
    for (size_t i = 0; i < transfers.size(); ++i) {
        spans.push_back(SliceSpan{transfers[i].initiator, transfers[i].start_ps(), transfers[i].end_ps(), i});
    }
    write_slices(events, kDmaPid, std::move(spans), [&](size_t i) {
        const DmaTransfer& transfer = transfers[i];
        ordered_json args = {{"bytes", transfer.bytes()}};
        if (transfer.source) {
            args["source"] = hex(transfer.source->address);
            args["source_region"] = trace::region_name(transfer.source->region);
        }
        if (transfer.destination) {
            args["destination"] = hex(transfer.destination->address);
            args["destination_region"] = trace::region_name(transfer.destination->region);
        }
        if (transfer.task_id() != trace::kNoTask) args["task"] = transfer.task_id();
        return ordered_json{{"name", transfer.direction()}, {"cat", "dma"}, {"args", std::move(args)}};
    });
}

// GB/s per region and time bin (an access's bytes shared among the bins it was in flight), as
// counter samples; a sample is written only when the value changes (a counter holds its value
// until the next sample), and every track ends at 0.
class BandwidthCounters {
public:
    BandwidthCounters(const trace::TraceReader& reader, size_t bins)
        : bins_(reader.first_time_ps(), reader.end_time_ps(), bins), bytes_(bins_.count()) {
        for (const trace::Record& record : reader) {
            if (!is_access(record.op)) continue;
            const auto region = static_cast<size_t>(record.region);
            bins_.spread(record.time_ps, trace::completion_time_ps(record), record.size,
                         [&](size_t bin, uint64_t share) { bytes_[bin][region] += share; });
            used_[region] = true;
        }
    }

    size_t event_count() const {
        size_t count = 0;
        for_each_sample([&](size_t, size_t, double) { ++count; });
        return count;
    }

    void write(EventStream& events) const {
        events.write(
            {{"ph", "M"}, {"pid", kBandwidthPid}, {"name", "process_name"}, {"args", {{"name", "bandwidth"}}}});
        for_each_sample([&](size_t region, size_t bin, double gb_per_s) {
            const std::string name = std::string(trace::region_name(static_cast<trace::Region>(region))) + " bandwidth";
            events.write({{"ph", "C"},
                          {"pid", kBandwidthPid},
                          {"name", name},
                          {"ts", to_us(sample_time_ps(bin))},
                          {"args", {{"GB/s", gb_per_s}}}});
        });
    }

private:
    uint64_t sample_time_ps(size_t bin) const {
        return bin < bins_.count() ? bins_.start_ps(bin) : bins_.end_ps(bins_.count() - 1);
    }

    // Calls visit(region, bin, GB/s) for every sample to write; bin == count() is the final 0.
    template <typename Visit>
    void for_each_sample(Visit visit) const {
        for (size_t region = 0; region < used_.size(); ++region) {
            if (!used_[region]) continue;
            double previous = -1.0;
            for (size_t bin = 0; bin <= bins_.count(); ++bin) {
                const uint64_t bytes = bin < bins_.count() ? bytes_[bin][region] : 0;
                const double gb_per_s = bandwidth(bytes, bins_.width_ps()) / 1e9;
                if (gb_per_s != previous) visit(region, bin, gb_per_s);
                previous = gb_per_s;
            }
        }
    }

    TimeBins bins_;
    std::vector<std::array<uint64_t, trace::kRegionCount>> bytes_;
    std::array<bool, trace::kRegionCount> used_{};
};

}  // namespace

PerfettoSummary export_perfetto(const trace::TraceReader& reader, const PerfettoOptions& options, std::ostream& out,
                                std::ostream& notes) {
    if (options.counter_bins < 1 || options.counter_bins > kMaxCounterBins) {
        throw std::invalid_argument("counter bins must be between 1 and " + std::to_string(kMaxCounterBins));
    }
    const BandwidthCounters counters(reader, options.counter_bins);
    const std::vector<TaskSlice> tasks = task_slices(reader);
    size_t transfer_count = 0;
    for_each_dma_transfer(reader, [&](const DmaTransfer&) { ++transfer_count; });

    PerfettoSummary summary;
    summary.counter_events = counters.event_count();
    const bool keep_tasks = summary.counter_events + tasks.size() <= options.max_events;
    const bool keep_dma = keep_tasks && summary.counter_events + tasks.size() + transfer_count <= options.max_events;
    summary.task_slices = keep_tasks ? tasks.size() : 0;
    summary.dropped_task_slices = tasks.size() - summary.task_slices;
    summary.dma_slices = keep_dma ? transfer_count : 0;
    summary.dropped_dma_slices = transfer_count - summary.dma_slices;
    if (summary.dropped_task_slices != 0 || summary.dropped_dma_slices != 0) {
        notes << "memtrace: " << tasks.size() << " task slices, " << transfer_count << " DMA transfers and "
              << summary.counter_events << " counter samples exceed --max-events " << options.max_events
              << (keep_tasks ? "; exporting task slices and bandwidth counters only\n"
                             : "; exporting bandwidth counters only\n");
    }

    EventStream events(out, reader);
    events.write({{"ph", "M"}, {"pid", kCoresPid}, {"name", "process_name"}, {"args", {{"name", "cores"}}}});
    events.write({{"ph", "M"}, {"pid", kDmaPid}, {"name", "process_name"}, {"args", {{"name", "dma"}}}});
    if (keep_tasks) write_task_slices(events, reader, tasks);
    if (keep_dma) write_dma_slices(events, reader, transfer_count);
    counters.write(events);
    events.finish();
    return summary;
}

}  // namespace tandem::memtrace
